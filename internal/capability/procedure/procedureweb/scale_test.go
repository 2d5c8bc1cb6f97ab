package procedureweb_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
)

// auditStatements is what recording a reading of personal data costs: the
// chain's head taken, the entry written, the head moved.
const auditStatements = 3

// The agent inbox costs the same number of queries whatever the number
// of cases and whichever page is shown (keyset pagination, no count).
func TestInboxQueriesAreConstant(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		b := e.Browser(e.Town)
		staffSignIn(t, b, "admin@montclair.localhost")
		cookie := account.CookieName + "=" + b.Cookie(account.CookieName)
		h := e.App.Web.Handler()
		get := func(path string) (int64, string) {
			// An uncounted request first: the session's and the collectivité's
			// caches (seconds long) may have expired while cases were
			// generated, which would count their reload against the page.
			warm := httptest.NewRequest(http.MethodGet, "http://montclair.localhost"+path, nil)
			warm.Header.Set("Cookie", cookie)
			h.ServeHTTP(httptest.NewRecorder(), warm)
			var n atomic.Int64
			req := httptest.NewRequest(http.MethodGet, "http://montclair.localhost"+path, nil)
			req.Header.Set("Cookie", cookie)
			req = req.WithContext(db.WithQueryCounter(req.Context(), &n))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", path, rec.Code, rec.Body.String())
			}
			return n.Load(), rec.Body.String()
		}
		next := regexp.MustCompile(`href="(/gestion/dossiers\?apres=[^"]+)" rel="next"`)
		pages := func() map[string]int64 {
			out := map[string]int64{}
			for _, p := range []string{"/gestion/dossiers", "/gestion/dossiers?etat=instruction", "/gestion/dossiers?q=martin",
				"/gestion/dossiers?retard=1", "/gestion/dossiers?agent=none&etiquette=urgent", "/api/v1/gestion/dossiers"} {
				// The fewest of three visits after an uncounted one: a
				// cache of a few seconds (collectivité, banners) that
				// expires during a slow visit on a loaded machine adds
				// queries that are not the page's own; a query per case
				// would show in every visit.
				get(p)
				out[p] = math.MaxInt64
				for range 3 {
					n, _ := get(p)
					out[p] = min(out[p], n)
				}
			}
			_, body := get("/gestion/dossiers")
			if m := next.FindStringSubmatch(body); m != nil {
				out["page 2"], _ = get(strings.ReplaceAll(m[1], "&amp;", "&"))
			}
			return out
		}
		if err := generateCases(ctx, e, 60); err != nil {
			t.Fatal(err)
		}
		small := pages()
		if err := generateCases(ctx, e, 3000); err != nil {
			t.Fatal(err)
		}
		large := pages()
		if _, ok := large["page 2"]; !ok {
			t.Fatal("no second page")
		}
		for p, n := range large {
			if small[p] != n {
				t.Errorf("%s: %d queries with 64 cases, %d with 3064", p, small[p], n)
			}
			if n > 6+auditStatements {
				t.Errorf("%s: %d queries, want at most %d", p, n, 6+auditStatements)
			}
		}
		t.Logf("queries per inbox page: %v", large)
	})
}

// generateCases files n made-up school registrations in the town.
func generateCases(ctx context.Context, e *apptest.Env, n int) error {
	s := procedureweb.Of(e.App.Kernel).Store
	p, err := s.ProcedureBySlug(ctx, e.Town.ID, "inscription-scolaire")
	if err != nil {
		return err
	}
	return s.Generate(ctx, p, n, nil)
}
