package app_test

import (
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/kernel/dbtest"
)

// readyz returns the status of the readiness check.
func readyz(t *testing.T, e *apptest.Env) int {
	t.Helper()
	res, err := e.Server.Client().Get(e.Server.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// With the SQLite file locked by another process, a write answers a 503
// page with a Retry-After within seconds, and the readiness check says
// not ready until the lock is released.
func TestLockedDatabaseAnswers503(t *testing.T) {
	t.Parallel() // the lock is on this test's own file; the bound leaves 5 s for a busy machine
	path := filepath.Join(t.TempDir(), "guichet.db")
	e := apptest.New(t, "sqlite:"+path)
	const email = "lea@exemple.fr"
	e.Resident(e.Town, email, "Léa")
	if got := readyz(t, e); got != http.StatusOK {
		t.Fatalf("readyz before the lock: %d", got)
	}
	release := dbtest.HoldWriteLock(t, path)

	b := e.Browser(e.Town)
	began := time.Now()
	res := b.Post("/connexion", url.Values{"email": {email}, "password": {apptest.Password}})
	if waited := time.Since(began); waited > 8*time.Second {
		t.Errorf("the sign-in waited %v", waited)
	}
	res.Want(t, http.StatusServiceUnavailable).WantBody(t, "Service momentanément indisponible", "réessayez dans quelques secondes")
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if got := readyz(t, e); got != http.StatusServiceUnavailable {
		t.Errorf("readyz while writes cannot get the lock: %d", got)
	}

	release()
	deadline := time.Now().Add(10 * time.Second)
	for readyz(t, e) != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("still not ready once the lock is released")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if res := b.SignIn(t, email, apptest.Password); !strings.HasPrefix(res.Location, "/") {
		t.Fatalf("sign-in after the lock: %q", res.Location)
	}
}
