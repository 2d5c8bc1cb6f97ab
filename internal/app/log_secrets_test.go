package app_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"guichet/internal/app"
	"guichet/internal/apptest"
)

// lockedBuffer collects the log of requests served concurrently.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDebugLogKeepsNoLinkSecret: at --log-level debug, the request log
// names each route and its path with the secret of the link masked, for a
// link of every kind, a reset link's query, and a path no route matches.
func TestDebugLogKeepsNoLinkSecret(t *testing.T) {
	t.Parallel()
	var log lockedBuffer
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		secret := func(n string) string { return "jetonSecretDuLien" + n + "0123456789abcdefghij" }
		paths := []string{
			"/rendez-vous/gerer/" + secret("1"),
			"/rendez-vous/gerer/" + secret("2") + "/confirmer/" + secret("3"),
			"/dossiers/0194a3c2-7d1e-7c4b-9a55-3f1e2d3c4b5a/acces/" + secret("4"),
			"/invitation/" + secret("5"),
			"/alertes/confirmer/" + secret("6"),
			"/questions/verifier/" + secret("7"),
			"/donnees-personnelles/demande/confirmer/" + secret("8"),
			"/mot-de-passe/nouveau?jeton=" + secret("9"),
			"/nulle-part/" + secret("10"),
		}
		for _, p := range paths {
			b.Get(p)
		}
		got := log.String()
		if strings.Contains(got, "jetonSecretDuLien") {
			t.Errorf("the log holds a link's secret:\n%s", got)
		}
		for _, want := range []string{`"route":"GET /rendez-vous/gerer/{token}/confirmer/{code}"`,
			`"path":"/rendez-vous/gerer/•••/confirmer/•••"`, `"path":"/dossiers/0194a3c2-7d1e-7c4b-9a55-3f1e2d3c4b5a/acces/•••"`,
			`"path":"/mot-de-passe/nouveau"`, `"path":"/nulle-part/•••"`} {
			if !strings.Contains(got, want) {
				t.Errorf("the log lacks %s:\n%s", want, got)
			}
		}
	}, apptest.WithLog(&log), apptest.WithConfig(func(c *app.Config) { c.LogLevel = "debug" }))
}
