package urbanism_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/paulmach/orb"

	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/dbtest"
)

// generated is a commune of n parcels and zones zones, as files.
func generated(b *testing.B, n, zones int) (cadastre, plu []byte) {
	b.Helper()
	var c, p bytes.Buffer
	if err := urbanism.GenerateCadastre(&c, "86990", n); err != nil {
		b.Fatal(err)
	}
	if err := urbanism.GeneratePLU(&p, "86990", n, zones); err != nil {
		b.Fatal(err)
	}
	return c.Bytes(), p.Bytes()
}

// BenchmarkImportCommune imports a generated commune of 20,000 parcels
// and 40 zones into SQLite, each round into a new collectivité; it
// reports the bytes allocated and the heap in use after the import.
// Run it with -benchtime 3x.
func BenchmarkImportCommune(b *testing.B) {
	cadastre, plu := generated(b, 20000, 40)
	d := dbtest.Open(b, "sqlite:"+b.TempDir()+"/bench.db", sets)
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, tn := newStore(b, d, fmt.Sprintf("commune-%d", i))
		i++
		b.StartTimer()
		for _, f := range []struct {
			source string
			body   []byte
		}{{urbanism.SourceCadastre, cadastre}, {urbanism.SourcePLU, plu}} {
			if _, err := s.Import(ctx, tn.ID, urbanism.ImportFile{Source: f.source, Name: "f", Body: bytes.NewReader(f.body)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapInuse)/(1<<20), "MiB-heap-after")
	b.ReportMetric(float64(len(cadastre))/(1<<20), "MiB-file")
}

// territory20000 is a generated commune of 20,000 parcels and 40 zones,
// loaded.
func territory20000(b *testing.B) *urbanism.Territory {
	b.Helper()
	cadastre, plu := generated(b, 20000, 40)
	d := dbtest.Open(b, "sqlite:"+b.TempDir()+"/bench.db", sets)
	s, tn := newStore(b, d, "commune")
	ctx := context.Background()
	for _, f := range []struct {
		source string
		body   []byte
	}{{urbanism.SourceCadastre, cadastre}, {urbanism.SourcePLU, plu}} {
		if _, err := s.Import(ctx, tn.ID, urbanism.ImportFile{Source: f.source, Name: "f", Body: bytes.NewReader(f.body)}); err != nil {
			b.Fatal(err)
		}
	}
	ter, err := s.Territory(ctx, tn.ID)
	if err != nil {
		b.Fatal(err)
	}
	return ter
}

// BenchmarkParcelAt finds the parcel under points spread over the
// commune of 20,000 parcels.
func BenchmarkParcelAt(b *testing.B) {
	ter := territory20000(b)
	var points []orb.Point
	for _, p := range ter.Parcels[:1000] {
		points = append(points, p.Center())
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ter.ParcelAt(points[i%len(points)]); err != nil {
			b.Fatal(err)
		}
		i += 7
	}
}

// BenchmarkSheet computes parcel sheets (zones and their shares,
// constraints, buildings) in the commune of 20,000 parcels.
func BenchmarkSheet(b *testing.B) {
	ter := territory20000(b)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if sh := ter.Sheet(ter.Parcels[(i*7919)%len(ter.Parcels)]); len(sh.Zones) == 0 {
			b.Fatal("a parcel outside every zone")
		}
		i++
	}
}

// BenchmarkLoadTerritory reads the commune of 20,000 parcels from the
// database and indexes it: what the first page after an import costs.
func BenchmarkLoadTerritory(b *testing.B) {
	cadastre, plu := generated(b, 20000, 40)
	d := dbtest.Open(b, "sqlite:"+b.TempDir()+"/bench.db", sets)
	s, tn := newStore(b, d, "commune")
	ctx := context.Background()
	for _, body := range [][]byte{cadastre, plu} {
		source := urbanism.SourceCadastre
		if len(body) == len(plu) {
			source = urbanism.SourcePLU
		}
		if _, err := s.Import(ctx, tn.ID, urbanism.ImportFile{Source: source, Name: "f", Body: bytes.NewReader(body)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Drop(tn.ID)
		if ter, err := s.Territory(ctx, tn.ID); err != nil || len(ter.Parcels) != 20000 {
			b.Fatal(err)
		}
	}
}
