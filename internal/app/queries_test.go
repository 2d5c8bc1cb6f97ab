package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/kernel/db"
)

// TestContentPagesRunConstantQueries counts the queries of the home page,
// the lists and the search at two sizes of the town's archive, 40 items
// and then 2,000 news and 600 events: the counts must not grow with the
// data (keyset pagination, no N+1). Any query per item shows at a size
// above the largest page (500 rows); the 10,000 news this test used to
// write showed nothing more and took half the package's time.
func TestContentPagesRunConstantQueries(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		newsweb.Of(e.App.Kernel).Module.DisableCache()
		eventsweb.Of(e.App.Kernel).Module.DisableCache()
		alertsweb.Of(e.App.Kernel).Module.DisableCache()
		pages := []string{"/", "/actualites", "/actualites?categorie=travaux", "/agenda", "/agenda/archives",
			"/vie-pratique", "/alertes", "/questions", "/recherche?q=travaux+rue", "/api/v1/news", "/api/v1/events",
			"/actualites/flux.atom", "/agenda/flux.ics"}
		count := func() map[string]int64 {
			out := map[string]int64{}
			h := e.App.Web.Handler()
			for _, p := range pages {
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "http://montclair.localhost"+p, nil)) // warm the tenant cache
				var n atomic.Int64
				req := httptest.NewRequest(http.MethodGet, "http://montclair.localhost"+p, nil)
				req = req.WithContext(db.WithQueryCounter(req.Context(), &n))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: status %d", p, rec.Code)
				}
				out[p] = n.Load()
			}
			return out
		}
		generate := func(items, events int) {
			t.Helper()
			if err := newsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, items, func() {}); err != nil {
				t.Fatal(err)
			}
			if err := eventsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, e.Town.Location(), events, func() {}); err != nil {
				t.Fatal(err)
			}
		}
		generate(30, 10)
		small := count()
		start := time.Now()
		generate(2000-30, 600-10)
		t.Logf("2,000 news and 600 events generated in %s", time.Since(start).Round(time.Millisecond))
		large := count()
		for _, p := range pages {
			if small[p] != large[p] {
				t.Errorf("%s: %d queries with 40 items, %d with 2,600", p, small[p], large[p])
			}
			if large[p] > 6 {
				t.Errorf("%s: %d queries, want at most 6", p, large[p])
			}
		}
		t.Logf("queries per page: %v", large)
	})
}
