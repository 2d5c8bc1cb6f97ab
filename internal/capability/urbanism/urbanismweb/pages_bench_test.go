package urbanismweb_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/urbanism"
	"guichet/internal/capability/urbanism/urbanismweb"
)

// BenchmarkPages renders the parcel sheet, the atlas's sectors and the
// lookup by point in a generated town of 20,000 parcels and 40 zones,
// signed out, through the whole middleware stack without the network.
func BenchmarkPages(b *testing.B) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	s := urbanismweb.Of(e.App.Kernel).Store
	var cadastre, plu bytes.Buffer
	if err := urbanism.GenerateCadastre(&cadastre, "86990", 20000); err != nil {
		b.Fatal(err)
	}
	if err := urbanism.GeneratePLU(&plu, "86990", 20000, 40); err != nil {
		b.Fatal(err)
	}
	for source, body := range map[string]*bytes.Buffer{urbanism.SourceCadastre: &cadastre, urbanism.SourcePLU: &plu} {
		if _, err := s.Import(context.Background(), e.Town.ID, urbanism.ImportFile{Source: source, Name: source, Body: body}); err != nil {
			b.Fatal(err)
		}
	}
	h := e.App.Web.Handler()
	for _, tc := range []struct{ name, path string }{
		{"sheet", "/urbanisme/parcelles/869900000A0001"},
		{"sheet-inside", "/urbanisme/parcelles/86990000AX0200"},
		{"sector", "/urbanisme/carte?secteur=F6"},
		{"atlas", "/urbanisme/carte"},
		{"reference", "/urbanisme?section=AX&numero=200"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "http://montclair.localhost"+tc.path, nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK && rec.Code != http.StatusSeeOther {
					b.Fatalf("%s: status %d", tc.path, rec.Code)
				}
			}
		})
	}
}
