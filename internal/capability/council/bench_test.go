package council_test

import (
	"context"
	"io"
	"testing"

	"guichet/internal/capability/council"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/publishing/search"
)

// benchTown is a town with 5,000 published deliberations, on SQLite.
func benchTown(b *testing.B) *env {
	b.Helper()
	d := dbtest.Open(b, "sqlite:"+b.TempDir()+"/bench.db", sets)
	e := newEnv(b, d)
	if err := e.s.Generate(context.Background(), e.tenant.ID, 5000, func() {}); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkSCDLExport writes the open-data file of 5,000 deliberations.
func BenchmarkSCDLExport(b *testing.B) {
	e := benchTown(b)
	p := council.Publisher{Name: e.tenant.Name, SIRET: e.tenant.SIRET, BaseURL: "https://montclair.example"}
	b.ResetTimer()
	for b.Loop() {
		if n, err := e.s.WriteSCDL(context.Background(), io.Discard, e.tenant.ID, "2026-12-07", p); err != nil || n != 5000 {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkActsList reads a filtered page of the acts' list (a year and a
// matière), as the public list does.
func BenchmarkActsList(b *testing.B) {
	e := benchTown(b)
	b.ResetTimer()
	for b.Loop() {
		if _, total, err := e.s.PublicActs(context.Background(), e.tenant.ID, "2026-12-07",
			council.ActFilter{Year: "2023", Matter: "7", Limit: 20}); err != nil || total == 0 {
			b.Fatal(total, err)
		}
	}
}

// BenchmarkActsSearch searches the 5,000 acts for two words.
func BenchmarkActsSearch(b *testing.B) {
	e := benchTown(b)
	b.ResetTimer()
	for b.Loop() {
		p, err := e.s.Search.Search(context.Background(), search.Query{TenantID: e.tenant.ID, Text: "subvention association",
			Kinds: []string{council.Kind}, Limit: 20})
		if err != nil || len(p.Hits) == 0 {
			b.Fatal(err)
		}
	}
}
