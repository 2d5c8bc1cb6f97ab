package urbanism

import (
	"bytes"
	"compress/gzip"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"guichet"
)

// fuzzInvalid fails unless err is nil or an EInvalid error: whatever the
// input, the decoders answer with a message, never an internal error.
func fuzzInvalid(t *testing.T, err error) {
	t.Helper()
	if err != nil && guichet.ErrorCode(err) != guichet.EInvalid {
		t.Fatalf("not EInvalid: %#v", err)
	}
}

// fuzzSurface fails unless g is a non-empty set of closed rings in
// longitude/latitude.
func fuzzSurface(t *testing.T, g orb.MultiPolygon) {
	t.Helper()
	if len(g) == 0 {
		t.Fatal("no geometry")
	}
	for _, p := range g {
		for _, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Fatalf("ring %v", r)
			}
			for _, pt := range r {
				if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) {
					t.Fatalf("point %v", pt)
				}
			}
		}
	}
}

func FuzzReadFeatures(f *testing.F) {
	f.Add([]byte(decFeature(decParcel, decSquare)))
	f.Add([]byte(decFeature(decZone, decSquare)))
	f.Add([]byte(decFeature(`{"id":"274120000A","commune":"27412","prefixe":"000","code":"A"}`, decSquare)))
	f.Add([]byte(decFeature(`{"fid":"421","type":"01","nom":null,"commune":"27412"}`, `{"type":"MultiPolygon","coordinates":[[[[1,49],[1.1,49],[1.1,49.1],[1,49]]]]}`)))
	f.Add([]byte(decFeature(`{"categorie":"AC1","nomass":"Église"}`, decSquare)))
	f.Add([]byte(decFeature(`{"TYPEPSC":"05","STYPEPSC":"00","LIBELLE":"ER 1","INSEE":"25392"}`, decSquare)))
	f.Add([]byte(decFeature(decParcel, `{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}`)))
	f.Add([]byte(`{"name":"x","crs":{"properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}`))
	f.Add([]byte(`{"features":[1,{"type":"Feature"}],"type":"FeatureCollection"}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"1"`))
	f.Add([]byte(`[]`))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(decFeature(decParcel, decSquare)))
	zw.Close()
	f.Add(gz.Bytes())

	f.Fuzz(func(t *testing.T, data []byte) {
		err := ReadFeatures(bytes.NewReader(data), func(n int, f *Feature) error {
			if f == nil || f.Properties == nil {
				t.Fatalf("feature %d: %+v", n, f)
			}
			p, err := ParcelOf(n, f)
			fuzzInvalid(t, err)
			if err == nil {
				padded := p.Section
				if len(padded) == 1 {
					padded = "0" + padded
				}
				number := strings.Repeat("0", 4-len(p.Number)) + p.Number
				if !isParcelID(p.ID) || p.ID != p.Commune+p.Prefix+padded+number || p.Area < 0 || p.Number == "" || p.Number[0] == '0' {
					t.Fatalf("parcel %+v", p)
				}
				fuzzSurface(t, p.Geometry)
			}
			z, err := ZoneOf(n, f)
			fuzzInvalid(t, err)
			if err == nil {
				if z.Label == "" || !isCommune(z.Commune) || (z.Type != ZoneU && z.Type != ZoneAUc && z.Type != ZoneAUs && z.Type != ZoneA && z.Type != ZoneN) {
					t.Fatalf("zone %+v", z)
				}
				fuzzSurface(t, z.Geometry)
			}
			s, err := SectionOf(n, f)
			fuzzInvalid(t, err)
			if err == nil && (len(s.ID) != 10 || !isCommune(s.Commune) || s.Code == "") {
				t.Fatalf("section %+v", s)
			}
			b, err := BuildingOf(n, f)
			fuzzInvalid(t, err)
			if err == nil && (b.ID == "" || (b.Kind != "01" && b.Kind != "02")) {
				t.Fatalf("building %+v", b)
			}
			c, err := ConstraintOf(n, f)
			fuzzInvalid(t, err)
			if err == nil && (c.Code == "" || (c.Kind != Prescription && c.Kind != Easement)) {
				t.Fatalf("constraint %+v", c)
			}
			return nil
		})
		fuzzInvalid(t, err)
	})
}

func FuzzReadAddresses(f *testing.F) {
	good := ";54084_0200_00001;54084;Mont-Bonvillers;;;Rue Joffre;;1;bis;segment;906010.92;6917321.29;5.833622;49.322203;54084000AB0012;inconnue;;0\r\n"
	f.Add([]byte(decBALHeader + good))
	f.Add([]byte("\ufeffcle_interop;commune_insee;voie_nom;numero;long;lat;cad_parcelles\n54084_0300_99999;54084;Les Fronts;99999;5.83;49.32;\n"))
	f.Add([]byte(strings.ReplaceAll(decBALHeader+good, ";", ",")))
	f.Add([]byte("cle_interop;commune_insee;voie_nom;numero;long;lat\n\"a;b\";54084;\"Rue \"\"x\"\"\";2;5,8;49\n"))
	f.Add([]byte("cle_interop;commune_insee;voie_nom;numero;long;lat\nx;2A004;R;1;1e3;NaN\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		last := 1
		err := ReadAddresses(bytes.NewReader(data), func(n int, a *Address) error {
			if n <= last {
				t.Fatalf("line %d after line %d", n, last)
			}
			last = n
			if a.ID == "" || !isCommune(a.Commune) || a.Street == "" || a.Number < 0 || a.Number >= balLieuDit ||
				math.IsNaN(a.Point[0]) || math.Abs(a.Point[0]) > 180 || math.Abs(a.Point[1]) > 90 {
				t.Fatalf("address %+v", a)
			}
			for _, p := range a.Parcels {
				if !isParcelID(p) {
					t.Fatalf("parcel %q", p)
				}
			}
			return nil
		})
		fuzzInvalid(t, err)
	})
}
