package reports_test

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// A large town for the benchmarks: 100,000 reports over 6 km × 6 km in
// 8 categories.
const (
	benchReports    = 100_000
	benchSide       = 6000.0
	benchCategories = 8
)

// townFixture is the large town on one engine, built once per test
// binary and dropped when it ends (TestMain).
type townFixture struct {
	s          *reports.Store
	tenantID   string
	categories []string
}

var towns = struct {
	sync.Mutex
	built   map[db.Dialect]*townFixture
	cleanup []func()
}{built: map[db.Dialect]*townFixture{}}

// dropTowns closes and removes what the benchmarks built.
func dropTowns() {
	towns.Lock()
	defer towns.Unlock()
	for _, f := range towns.cleanup {
		f()
	}
}

// largeTown returns the large town on dialect, building it the first
// time; it skips PostgreSQL when not configured.
func largeTown(b *testing.B, dialect db.Dialect) *townFixture {
	towns.Lock()
	defer towns.Unlock()
	if f := towns.built[dialect]; f != nil {
		return f
	}
	url := benchURL(b, dialect)
	if url == "" {
		b.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	f, err := buildTown(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	towns.built[dialect] = f
	return f
}

// benchURL is a fresh database of dialect, dropped by dropTowns.
func benchURL(b *testing.B, dialect db.Dialect) string {
	if dialect == db.SQLite {
		dir, err := os.MkdirTemp("", "reports-bench-")
		if err != nil {
			b.Fatal(err)
		}
		towns.cleanup = append(towns.cleanup, func() { os.RemoveAll(dir) })
		return "sqlite:" + filepath.Join(dir, "guichet.db")
	}
	pg := dbtest.PostgresURL(b)
	if pg == "" {
		return ""
	}
	var rnd [6]byte
	_, _ = crand.Read(rnd[:])
	schema := "bench_" + hex.EncodeToString(rnd[:])
	towns.cleanup = append(towns.cleanup, func() {
		if d, err := db.Open(context.Background(), pg); err == nil {
			_, _ = d.Exec(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
			d.Close()
		}
	})
	sep := "?"
	if strings.Contains(pg, "?") {
		sep = "&"
	}
	return pg + sep + "schema=" + schema
}

func buildTown(ctx context.Context, url string) (*townFixture, error) {
	d, err := db.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	towns.cleanup = append([]func(){func() { d.Close() }}, towns.cleanup...)
	if err := d.Migrate(ctx, sets); err != nil {
		return nil, err
	}
	tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "grande-ville", Name: "Grande Ville", Kind: tenant.KindCommune})
	if err != nil {
		return nil, err
	}
	f := &townFixture{s: reports.NewStore(d, nil), tenantID: tn.ID}
	for i := range benchCategories {
		c := &reports.Category{TenantID: tn.ID, Code: fmt.Sprintf("categorie-%d", i), Name: fmt.Sprintf("Catégorie %d", i), Active: true}
		if err := f.s.CreateCategory(ctx, c); err != nil {
			return nil, err
		}
		f.categories = append(f.categories, c.ID)
	}
	sp := spread{tenantID: tn.ID, categories: f.categories, n: benchReports, side: benchSide, at: time.Date(2027, 3, 9, 9, 0, 0, 0, time.UTC), seed: 42}
	return f, sp.insert(ctx, d)
}

// BenchmarkNearby is the form's lookup of open reports of a category
// near the point a resident placed, in a town of 100,000 reports, at
// three radii; each lookup at another point.
func BenchmarkNearby(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			town := largeTown(b, dialect)
			for _, radius := range []float64{100, 200, 500} {
				b.Run(fmt.Sprintf("%.0fm", radius), func(b *testing.B) {
					rnd := rand.New(rand.NewPCG(7, 7))
					found := 0
					for b.Loop() {
						lat, lon := north((rnd.Float64() - 0.5) * benchSide * 0.9)
						near, err := town.s.Nearby(context.Background(), town.tenantID,
							town.categories[rnd.IntN(benchCategories)], lat, lon+(rnd.Float64()-0.5)*0.07, radius, 10)
						if err != nil {
							b.Fatal(err)
						}
						found += len(near)
					}
					b.ReportMetric(float64(found)/float64(b.N), "found/op")
				})
			}
		})
	}
}
