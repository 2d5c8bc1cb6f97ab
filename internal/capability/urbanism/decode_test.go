package urbanism

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"guichet"
)

// decOpen opens a file of testdata/real, gzipped as it is kept.
func decOpen(t *testing.T, name string) io.Reader {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "real", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// decGunzip returns a file of testdata/real uncompressed.
func decGunzip(t *testing.T, name string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(decOpen(t, name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decCheckGeometry(t *testing.T, what string, g orb.MultiPolygon) {
	t.Helper()
	if len(g) == 0 {
		t.Fatalf("%s: no geometry", what)
	}
	if _, err := multiPolygon(g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestReadRealParcels(t *testing.T) {
	for _, tc := range []struct {
		file, commune string
		count         int
		withoutArea   []string
		totalArea     int64
		prefixes      map[string]int
	}{
		{"cadastre/cadastre-69114-parcelles.json.gz", "69114", 6032, nil, 12838633,
			map[string]int{"000": 2509, "101": 1723, "159": 1800}},
		{"cadastre/cadastre-91216-parcelles.json.gz", "91216", 4241, []string{"91216000AC0389"}, 3829286,
			map[string]int{"000": 4241}},
	} {
		t.Run(tc.commune, func(t *testing.T) {
			seen := map[string]bool{}
			prefixes := map[string]int{}
			var without []string
			var total int64
			var known *Parcel
			err := ReadFeatures(decOpen(t, tc.file), func(n int, f *Feature) error {
				if n != len(seen)+1 {
					t.Fatalf("feature number %d after %d features", n, len(seen))
				}
				p, err := ParcelOf(n, f)
				if err != nil {
					return err
				}
				if seen[p.ID] {
					t.Fatalf("%s twice", p.ID)
				}
				seen[p.ID] = true
				prefixes[p.Prefix]++
				padded := p.Section
				if len(padded) == 1 {
					padded = "0" + padded
				}
				switch {
				case p.Commune != tc.commune:
					t.Fatalf("%s: commune %q", p.ID, p.Commune)
				case len(p.ID) != 14 || p.ID != p.Commune+p.Prefix+padded+fmt.Sprintf("%04s", p.Number):
					t.Fatalf("%s: parts %q %q %q %q", p.ID, p.Commune, p.Prefix, p.Section, p.Number)
				case p.Section == "" || strings.HasPrefix(p.Section, "0") || p.Number == "" || strings.HasPrefix(p.Number, "0"):
					t.Fatalf("%s: section %q, number %q", p.ID, p.Section, p.Number)
				case len(p.Updated) != 10 || p.Updated[4] != '-' || p.Updated[7] != '-':
					t.Fatalf("%s: updated %q", p.ID, p.Updated)
				case p.Area < 0:
					t.Fatalf("%s: area %d", p.ID, p.Area)
				}
				if p.Area == 0 {
					without = append(without, p.ID)
				}
				total += p.Area
				decCheckGeometry(t, p.ID, p.Geometry)
				if p.ID == "69114000AA0030" {
					known = p
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != tc.count {
				t.Errorf("%d parcels, want %d", len(seen), tc.count)
			}
			if !slices.Equal(without, tc.withoutArea) {
				t.Errorf("parcels without area %v, want %v", without, tc.withoutArea)
			}
			if total != tc.totalArea {
				t.Errorf("total area %d m², want %d", total, tc.totalArea)
			}
			if fmt.Sprint(prefixes) != fmt.Sprint(tc.prefixes) {
				t.Errorf("prefixes %v, want %v", prefixes, tc.prefixes)
			}
			if tc.commune == "69114" {
				if known == nil {
					t.Fatal("69114000AA0030 not read")
				}
				if known.Commune != "69114" || known.Prefix != "000" || known.Section != "AA" || known.Number != "30" ||
					known.Area != 43570 || known.Updated != "2024-12-20" || known.Label() != "AA 30" ||
					len(known.Geometry) != 1 || len(known.Geometry[0]) != 1 || len(known.Geometry[0][0]) != 17 ||
					known.Geometry[0][0][0] != (orb.Point{4.651207, 45.9768281}) {
					t.Errorf("69114000AA0030: %+v", known)
				}
			}
		})
	}
}

// TestReadRealParcelsPlain reads a file as it is served uncompressed, and
// a parcel with one-letter section and a prefix.
func TestReadRealParcelsPlain(t *testing.T) {
	var one *Parcel
	count := 0
	err := ReadFeatures(bytes.NewReader(decGunzip(t, "cadastre/cadastre-69114-parcelles.json.gz")), func(n int, f *Feature) error {
		p, err := ParcelOf(n, f)
		count++
		if err == nil && one == nil && p.Prefix != "000" && len(p.Section) == 1 {
			one = p
		}
		return err
	})
	if err != nil || count != 6032 {
		t.Fatalf("%d parcels, %v", count, err)
	}
	if one == nil || one.ID[8] != '0' || one.ID[9] != one.Section[0] || one.Label() != one.Prefix+" "+one.Section+" "+one.Number {
		t.Fatalf("a parcel of a merged commune: %+v", one)
	}
}

func TestReadRealBuildings(t *testing.T) {
	kinds := map[string]int{}
	ids := map[string]bool{}
	err := ReadFeatures(decOpen(t, "cadastre/27412-batiments.geojson.gz"), func(n int, f *Feature) error {
		b, err := BuildingOf(n, f)
		if err != nil {
			return err
		}
		if b.Commune != "27412" || b.Name != "" || b.ID == "" || ids[b.ID] || b.ID != f.Properties["fid"] {
			t.Fatalf("building %d: %+v", n, b)
		}
		ids[b.ID] = true
		kinds[b.Kind]++
		decCheckGeometry(t, b.ID, b.Geometry)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1597 || kinds["01"] != 1317 || kinds["02"] != 280 {
		t.Errorf("%d buildings, kinds %v", len(ids), kinds)
	}
}

func TestReadRealSections(t *testing.T) {
	var got []string
	err := ReadFeatures(decOpen(t, "cadastre/27412-sections.geojson.gz"), func(n int, f *Feature) error {
		s, err := SectionOf(n, f)
		if err != nil {
			return err
		}
		if s.Commune != "27412" || len(s.ID) != 10 || !strings.HasSuffix(s.ID, s.Code) || s.ID[:8] != "27412"+s.Prefix {
			t.Fatalf("section %d: %+v", n, s)
		}
		decCheckGeometry(t, s.ID, s.Geometry)
		got = append(got, s.Prefix+" "+s.Code)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"000 A", "000 B", "000 ZA", "000 ZB", "000 ZC", "000 ZD", "000 ZE", "000 ZH", "000 ZI", "000 ZK",
		"648 A", "648 B", "648 C", "648 ZA", "648 ZB", "648 ZC", "648 ZD", "648 ZE", "648 ZH"}
	if !slices.Equal(got, want) {
		t.Errorf("sections %v\nwant %v", got, want)
	}
}

func TestReadRealZones(t *testing.T) {
	labels := map[string]int{}
	types := map[string]int{}
	err := ReadFeatures(decOpen(t, "plu/25392_ZONE_URBA.geojson.gz"), func(n int, f *Feature) error {
		z, err := ZoneOf(n, f)
		if err != nil {
			return err
		}
		if z.ID != "" || z.Commune != "25392" || z.IDURBA != "" || z.FileName != "25392_reglement_20170602.pdf" ||
			z.FileURL != "" || z.Approved != "2017-06-02" || z.Valid != "2017-06-02" || z.LongLabel == "" ||
			len(z.Destination) != 2 || !slices.Contains(ZoneTypes, z.Type) {
			t.Fatalf("zone %d: %+v", n, z)
		}
		decCheckGeometry(t, z.Label, z.Geometry)
		labels[z.Label+" "+z.Type]++
		types[z.Type]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The file is of the 2014 standard: its two zones of type Ah are
	// agricultural.
	want := map[string]int{"N N": 9, "U U": 4, "Au AUc": 2, "Aa A": 1, "A A": 1}
	if fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Errorf("labels %v, want %v", labels, want)
	}
	if fmt.Sprint(types) != fmt.Sprint(map[string]int{"N": 9, "U": 4, "AUc": 2, "A": 2}) {
		t.Errorf("types %v", types)
	}
}

func TestReadRealAddresses(t *testing.T) {
	// Mont-Bonvillers' territory, with a margin.
	box := orb.Bound{Min: orb.Point{5.80, 49.30}, Max: orb.Point{5.87, 49.35}}
	streets := map[string]int{}
	suffixes := map[string]int{}
	ids := map[string]bool{}
	sum := 0
	for _, plain := range []bool{false, true} {
		var r io.Reader = decOpen(t, "bal/adresses-54084.csv.gz")
		if plain {
			r = bytes.NewReader(decGunzip(t, "bal/adresses-54084.csv.gz"))
		}
		count := 0
		err := ReadAddresses(r, func(n int, a *Address) error {
			count++
			if n != count+1 {
				t.Fatalf("line %d for address %d", n, count)
			}
			if plain {
				return nil
			}
			if a.Commune != "54084" || a.Town != "Mont-Bonvillers" || !strings.HasPrefix(a.ID, "54084_") || ids[a.ID] ||
				a.Number < 1 || a.Street == "" || a.Locality != "" || a.Parcels != nil || !box.Contains(a.Point) {
				t.Fatalf("line %d: %+v", n, a)
			}
			ids[a.ID] = true
			streets[a.Street]++
			suffixes[a.Suffix]++
			sum += a.Number
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if count != 486 {
			t.Errorf("%d addresses, want 486", count)
		}
	}
	if len(streets) != 21 || streets["Rue Nationale"] != 51 || streets["Rue Baron d’Huart"] != 29 || sum != 8713 {
		t.Errorf("streets %v, numbers summing to %d", streets, sum)
	}
	if fmt.Sprint(suffixes) != fmt.Sprint(map[string]int{"": 445, "bis": 32, "ter": 4, "b": 2, "a": 2, "t": 1}) {
		t.Errorf("suffixes %v", suffixes)
	}
}

// decFeature is a collection of one feature, of the given properties
// and geometry.
func decFeature(props, geometry string) string {
	return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}]}`
}

const (
	decSquare = `{"type":"Polygon","coordinates":[[[4.65,45.97],[4.66,45.97],[4.66,45.98],[4.65,45.97]]]}`
	decParcel = `{"id":"69114000AA0030","commune":"69114","prefixe":"000","section":"AA","numero":"30","contenance":43570,"updated":"2024-12-20"}`
	decZone   = `{"LIBELLE":"UA","TYPEZONE":"U","INSEE":"25392","DATAPPRO":"20170602"}`
)

// decRead reads a collection's features through one layer.
func decRead(input string, layer func(n int, f *Feature) error) error {
	return ReadFeatures(strings.NewReader(input), layer)
}

func decParcels(n int, f *Feature) error { _, err := ParcelOf(n, f); return err }
func decZones(n int, f *Feature) error   { _, err := ZoneOf(n, f); return err }
func decConstraints(n int, f *Feature) error {
	_, err := ConstraintOf(n, f)
	return err
}

func TestReadMalformedFeatures(t *testing.T) {
	full := decFeature(decParcel, decSquare)
	for _, tc := range []struct {
		name, input string
		layer       func(int, *Feature) error
		want        string
	}{
		{"empty", "", decParcels, "vide"},
		{"not JSON", "uid;cle_interop\n", decParcels, "Fichier GeoJSON : ce n'est pas du JSON valide (caractère « u » inattendu, à l'octet 1)"},
		{"not an object", `[1, 2]`, decParcels, "n'est pas un objet GeoJSON"},
		{"truncated", full[:len(full)/2], decParcels, "objet n° 1 : le fichier s'arrête avant sa fin : il est tronqué"},
		{"truncated between features", `{"type":"FeatureCollection","features":[`, decParcels, "tronqué"},
		{"truncated after features", `{"type":"FeatureCollection","features":[]`, decParcels, "tronqué"},
		{"no features", `{"type":"FeatureCollection","name":"x"}`, decParcels, "pas de tableau « features »"},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`, decParcels, "n'est pas un tableau"},
		{"a Feature alone", `{"type":"Feature","properties":{},"geometry":null}`, decParcels, "« Feature » et non « FeatureCollection »"},
		{"not a Feature", `{"features":[{"type":"Point","coordinates":[1,2]}]}`, decParcels, "objet n° 1 : son type est « Point » et non « Feature »"},
		{"a number", `{"features":[1]}`, decParcels, "objet n° 1 : l'élément de « features » n'est pas un objet Feature"},
		{"properties not an object", `{"features":[{"type":"Feature","properties":[1],"geometry":null}]}`, decParcels, "« properties » n'est pas un objet"},
		{"unknown geometry", decFeature(decParcel, `{"type":"Circle","coordinates":[1,2]}`), decParcels, "« Circle », qui n'est pas un type GeoJSON"},
		{"bad bbox", `{"features":[{"type":"Feature","bbox":"x","properties":{},"geometry":null}]}`, decParcels, "« bbox » n'est pas un tableau de nombres"},
		{"bad coordinates", decFeature(decParcel, `{"type":"Polygon","coordinates":[1,2]}`), decParcels, "objet n° 1 : les coordonnées de la géométrie « Polygon » sont illisibles (un nombre là où une autre valeur est attendue)"},
		{"trailing data", full + `{}`, decParcels, "se poursuit après la fin"},
		{"second feature", `{"features":[` + full[40:len(full)-2] + `,{"type":"Feature","properties":` + strings.Replace(decParcel, `"30"`, `"31"`, 1) + `,"geometry":` + decSquare + `}]}`,
			decParcels, "objet n° 2 : la référence « 69114000AA0030 » porte le numéro « 0030 », la propriété numero vaut « 31 »"},
		{"Point parcel", decFeature(decParcel, `{"type":"Point","coordinates":[4.65,45.97]}`), decParcels,
			"objet n° 1 : la géométrie est un « Point » : seules les surfaces (Polygon, MultiPolygon) sont lues"},
		{"no geometry", decFeature(decParcel, `null`), decParcels, "objet n° 1 : l'objet n'a pas de géométrie"},
		{"id of 13", decFeature(strings.Replace(decParcel, `"69114000AA0030"`, `"6911400AA0030"`, 1), decSquare), decParcels,
			"objet n° 1 : la référence « 6911400AA0030 » n'a pas 14 caractères"},
		{"id disagrees with commune", decFeature(strings.Replace(decParcel, `"commune":"69114"`, `"commune":"69115"`, 1), decSquare), decParcels,
			"porte la commune « 69114 », la propriété commune vaut « 69115 »"},
		{"id disagrees with section", decFeature(strings.Replace(decParcel, `"section":"AA"`, `"section":"A"`, 1), decSquare), decParcels,
			"porte la section « AA », la propriété section vaut « A »"},
		{"id disagrees with prefix", decFeature(strings.Replace(decParcel, `"prefixe":"000"`, `"prefixe":"101"`, 1), decSquare), decParcels,
			"porte le préfixe « 000 », la propriété prefixe vaut « 101 »"},
		{"feature id disagrees", strings.Replace(decFeature(decParcel, decSquare), `"type":"Feature"`, `"type":"Feature","id":"69114000AA0031"`, 1), decParcels,
			"l'identifiant de l'objet « 69114000AA0031 » n'est pas sa propriété id « 69114000AA0030 »"},
		{"negative area", decFeature(strings.Replace(decParcel, `43570`, `-5`, 1), decSquare), decParcels, "la contenance « -5 » est négative"},
		{"area not a number", decFeature(strings.Replace(decParcel, `43570`, `"grand"`, 1), decSquare), decParcels, "la contenance « grand » n'est pas un nombre"},
		{"bad date", decFeature(strings.Replace(decParcel, `2024-12-20`, `20/12/2024`, 1), decSquare), decParcels, "la date updated « 20/12/2024 »"},
		{"commune not INSEE", decFeature(strings.Replace(decParcel, `"commune":"69114"`, `"commune":"6911"`, 1), decSquare), decParcels,
			"la commune « 6911 » (propriété commune) n'est pas un code INSEE"},
		{"Lambert 93", decFeature(decParcel, `{"type":"Polygon","coordinates":[[[842000.5,6520000.5],[842100.5,6520000.5],[842100.5,6520100.5],[842000.5,6520000.5]]]}`), decParcels,
			"le point (842000.5 6520000.5) n'est pas une longitude/latitude : le fichier doit être en WGS 84 longitude/latitude (EPSG:4326 / CRS84)"},
		{"Lambert 93 declared", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}`, decParcels,
			"« urn:ogc:def:crs:EPSG::2154 » : il doit être en WGS 84 longitude/latitude (EPSG:4326 / CRS84)"},
		{"unclosed ring", decFeature(decParcel, `{"type":"Polygon","coordinates":[[[4.65,45.97],[4.66,45.97],[4.66,45.98],[4.65,45.98]]]}`), decParcels,
			"objet n° 1 : l'anneau n° 1 du polygone n° 1 n'est pas fermé"},
		{"ring of 3", decFeature(decParcel, `{"type":"Polygon","coordinates":[[[4.65,45.97],[4.66,45.97],[4.65,45.97]]]}`), decParcels,
			"l'anneau n° 1 du polygone n° 1 n'a que 3 points"},
		{"empty ring", decFeature(decParcel, `{"type":"MultiPolygon","coordinates":[[[[4.65,45.97],[4.66,45.97],[4.66,45.98],[4.65,45.97]]],[[]]]}`), decParcels,
			"l'anneau n° 1 du polygone n° 2 est vide"},
		{"empty polygon", decFeature(decParcel, `{"type":"Polygon","coordinates":[]}`), decParcels, "le polygone n° 1 de la géométrie n'a aucun anneau"},
		{"collection with null", decFeature(decParcel, `{"type":"GeometryCollection","geometries":[null]}`), decParcels,
			"la géométrie n'est pas un objet"},
		{"zone without TYPEZONE", decFeature(`{"LIBELLE":"UA","INSEE":"25392"}`, decSquare), decZones, "objet n° 1 : la zone « UA » n'a pas de TYPEZONE"},
		{"zone of type X", decFeature(`{"LIBELLE":"UA","TYPEZONE":"X","INSEE":"25392"}`, decSquare), decZones, "le TYPEZONE « X » de la zone « UA » n'est pas U, AUc, AUs, A ou N"},
		{"zone without label", decFeature(`{"TYPEZONE":"U","INSEE":"25392"}`, decSquare), decZones, "la zone n'a pas de LIBELLE"},
		{"zone without commune", decFeature(`{"LIBELLE":"UA","TYPEZONE":"U","IDURBA":"200067106_PLUi_20191220"}`, decSquare), decZones,
			"la commune de la zone « UA » n'est pas donnée"},
		{"zone bad date", decFeature(strings.Replace(decZone, `20170602`, `2017-13-02`, 1), decSquare), decZones, "la date DATAPPRO « 2017-13-02 » n'est pas une date de la forme AAAAMMJJ"},
		{"constraint line", decFeature(`{"categorie":"AC1","nomass":"Église"}`, `{"type":"LineString","coordinates":[[4.65,45.97],[4.66,45.97]]}`), decConstraints,
			"la géométrie est un « LineString » : seules les surfaces (Polygon, MultiPolygon) sont lues"},
		{"constraint of nothing", decFeature(`{"LIBELLE":"x"}`, decSquare), decConstraints, "ni une prescription du PLU (TYPEPSC) ni une servitude"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decRead(tc.input, tc.layer)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if guichet.ErrorCode(err) != guichet.EInvalid || !strings.Contains(guichet.ErrorMessage(err), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			t.Log(guichet.ErrorMessage(err))
		})
	}
}

func TestReadFeaturesMembers(t *testing.T) {
	// Members in any order, features before the others, skipped values of
	// every kind, a feature id equal to its property, gzip.
	input := `{"features":[{"properties":` + decParcel + `,"id":"69114000AA0030","geometry":` + decSquare + `,"type":"Feature"}],` +
		`"name":"x","bbox":[1,2,3,4],"extra":{"a":[1,{"b":null}],"c":"d"},"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"type":"FeatureCollection"}`
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(input))
	zw.Close()
	for _, r := range []io.Reader{strings.NewReader(input), &buf} {
		var got []*Parcel
		err := ReadFeatures(r, func(n int, f *Feature) error {
			p, err := ParcelOf(n, f)
			got = append(got, p)
			return err
		})
		if err != nil || len(got) != 1 || got[0].ID != "69114000AA0030" || got[0].Number != "30" || len(got[0].Geometry) != 1 {
			t.Fatalf("%v %+v", err, got)
		}
	}
	// An error of each comes back as it is.
	stop := errors.New("stop")
	if err := decRead(decFeature(decParcel, decSquare), func(int, *Feature) error { return stop }); err != stop {
		t.Fatalf("each's error: %v", err)
	}
	// A corrupt gzip.
	b := buf.Bytes()
	if len(b) > 0 {
		t.Fatal("buffer not read")
	}
	zw = gzip.NewWriter(&buf)
	zw.Write([]byte(input))
	zw.Close()
	b = slices.Clone(buf.Bytes())
	b[len(b)-6] ^= 0xff // the checksum
	if err := ReadFeatures(bytes.NewReader(b), decParcels); err == nil || !strings.Contains(guichet.ErrorMessage(err), "gzip") {
		t.Fatalf("corrupt gzip: %v", err)
	}
	if err := ReadFeatures(bytes.NewReader(b[:len(b)/2]), decParcels); err == nil || !strings.Contains(guichet.ErrorMessage(err), "tronqué") {
		t.Fatalf("truncated gzip: %v", err)
	}
}

func TestReadFeatureLimit(t *testing.T) {
	// A feature over 16 MiB is refused, whichever way it is over.
	big := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":"` +
		strings.Repeat("a", maxFeatureBytes) + `"},"geometry":null}]}`
	err := decRead(big, decParcels)
	if err == nil || !strings.Contains(guichet.ErrorMessage(err), "objet n° 1 : l'objet dépasse 16 Mio") {
		t.Fatalf("%v", err)
	}
	// A skipped member is no way round it.
	big = `{"type":"FeatureCollection","name":"` + strings.Repeat("a", maxFeatureBytes+1) + `","features":[]}`
	if err := decRead(big, decParcels); err == nil || !strings.Contains(guichet.ErrorMessage(err), "dépasse 16 Mio") {
		t.Fatalf("%v", err)
	}
}

func TestParcelOfVariants(t *testing.T) {
	// A padded section, a number with zeros, no area, created without
	// updated, numbers where texts are expected.
	props := `{"id":"2A0040000A0012","commune":"2A004","prefixe":"000","section":"0A","numero":12,"created":"2011-12-07"}`
	var p *Parcel
	err := decRead(decFeature(props, decSquare), func(n int, f *Feature) (err error) {
		p, err = ParcelOf(n, f)
		return err
	})
	if err != nil || p.ID != "2A0040000A0012" || p.Commune != "2A004" || p.Section != "A" || p.Number != "12" || p.Area != 0 ||
		p.Updated != "2011-12-07" || p.Label() != "A 12" {
		t.Fatalf("%v %+v", err, p)
	}
	props = `{"id":"2A0040000A0012","commune":"2A004","prefixe":"000","section":"0A","numero":12,"created":"2011-12-07"}`
	// The reference of the feature alone.
	err = decRead(strings.Replace(decFeature(strings.Replace(props, `"id":"2A0040000A0012",`, ``, 1), decSquare), `"type":"Feature"`, `"type":"Feature","id":"2A0040000A0012"`, 1),
		func(n int, f *Feature) (err error) {
			p, err = ParcelOf(n, f)
			return err
		})
	if err != nil || p.ID != "2A0040000A0012" {
		t.Fatalf("%v %+v", err, p)
	}
}

func TestZoneOfVariants(t *testing.T) {
	for _, tc := range []struct{ props, want string }{
		{decZone, "25392 UA U 2017-06-02"},
		{`{"libelle":"1AUc","typezone":"auc","idurba":"25392_PLU_20170602"}`, "25392 1AUc AUc "},
		{`{"LIBELLE":"2AU","TYPEZONE":"AUS","NOMFIC":"25392_reglement_20170602.pdf","DATAPPRO":"2017-06-02"}`, "25392 2AU AUs 2017-06-02"},
		{`{"LIBELLE":"Nh","TYPEZONE":"Nh","INSEE":"2B033"}`, "2B033 Nh N "},
		{`{"LIBELLE":"Nd","TYPEZONE":"Nd","INSEE":"25392","IDURBA":"200067106_PLUi_20191220","DESTDOMI":8}`, "25392 Nd N "},
	} {
		var z *Zone
		err := decRead(decFeature(tc.props, decSquare), func(n int, f *Feature) (err error) {
			z, err = ZoneOf(n, f)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.props, err)
		}
		if got := z.Commune + " " + z.Label + " " + z.Type + " " + z.Approved; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.props, got, tc.want)
		}
	}
}

func TestConstraintOf(t *testing.T) {
	for _, tc := range []struct{ props, want string }{
		{`{"LIBELLE":"Espace boisé classé","TXT":"L113-1","TYPEPSC":"01","STYPEPSC":"00","INSEE":"25392"}`,
			"prescription 01-00 Espace boisé classé L113-1 false 25392"},
		{`{"LIBELLE":"Emplacement réservé","TYPEPSC":5,"IDURBA":"25392_PLU_20170602"}`,
			"prescription 05 Emplacement réservé  false 25392"},
		{`{"categorie":"ac1","nomass":"Église Saint-Martin","idass":"AC1-123"}`, "servitude AC1 Église Saint-Martin  true "},
		{`{"SUPTYPE":"ac4","NOMASS":"SPR de Besançon"}`, "servitude AC4 SPR de Besançon  true "},
		{`{"suptype":"pm1","nomass":"PPRI du Doubs","insee":"25056"}`, "servitude PM1 PPRI du Doubs  false 25056"},
	} {
		var c *Constraint
		err := decRead(decFeature(tc.props, decSquare), func(n int, f *Feature) (err error) {
			c, err = ConstraintOf(n, f)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.props, err)
		}
		got := fmt.Sprintf("%s %s %s %s %v %s", c.Kind, c.Code, c.Label, c.Text, c.Protected, c.Commune)
		if got != tc.want || len(c.Geometry) != 1 {
			t.Errorf("%s: %q, want %q", tc.props, got, tc.want)
		}
	}
}

const decBALHeader = "uid_adresse;cle_interop;commune_insee;commune_nom;commune_deleguee_insee;commune_deleguee_nom;voie_nom;lieudit_complement_nom;numero;suffixe;position;x;y;long;lat;cad_parcelles;source;date_der_maj;certification_commune\r\n"

func TestReadAddressesVariants(t *testing.T) {
	// A BOM, BAL 1.4's extra columns in another order, a lieu-dit, parcels.
	input := "\ufeffcle_interop;voie_nom;voie_nom_bre;numero;suffixe;lieudit_complement_nom;commune_insee;commune_nom;long;lat;cad_parcelles\n" +
		"54084_0200_00001_bis;Rue Joffre;Straed Joffre;1;bis;;54084;Mont-Bonvillers;5.833622;49.322203;54084000AB0012|54084000AB0013\n" +
		"54084_0300_99999;Les Fronts;;99999;;Le Haut;54084;Mont-Bonvillers;5.83;49.32;\n"
	var got []*Address
	err := ReadAddresses(strings.NewReader(input), func(n int, a *Address) error {
		got = append(got, a)
		return nil
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %d", err, len(got))
	}
	a, b := got[0], got[1]
	if a.ID != "54084_0200_00001_bis" || a.Label() != "1 bis Rue Joffre" || a.Point != (orb.Point{5.833622, 49.322203}) ||
		!slices.Equal(a.Parcels, []string{"54084000AB0012", "54084000AB0013"}) {
		t.Errorf("%+v", a)
	}
	if b.Number != 0 || b.Locality != "Le Haut" || b.Label() != "Les Fronts" || b.Parcels != nil {
		t.Errorf("%+v", b)
	}
}

func TestReadMalformedAddresses(t *testing.T) {
	good := ";54084_0200_00001;54084;Mont-Bonvillers;;;Rue Joffre;;1;;segment;906010.92;6917321.29;5.833622;49.322203;;inconnue;;0\r\n"
	for _, tc := range []struct{ name, input, want string }{
		{"empty", "", "Le fichier BAL est vide"},
		{"comma", strings.ReplaceAll(decBALHeader+good, ";", ","),
			"Le fichier BAL n'a pas les colonnes obligatoires : cle_interop, commune_insee, voie_nom, numero, long, lat. Les colonnes doivent être séparées par des points-virgules"},
		{"missing columns", "cle_interop;voie_nom;numero\n54084_0200_00001;Rue Joffre;1\n", "colonnes obligatoires : commune_insee, long, lat"},
		{"missing column", decBALHeader + good + strings.Replace(good, ";inconnue", "", 1), "ligne 3 : 18 colonnes au lieu des 19 de l'en-tête"},
		{"bad numero", decBALHeader + good + strings.Replace(good, ";1;;segment", ";1a;;segment", 1), "ligne 3 : le numéro « 1a » n'est pas un nombre entier"},
		{"negative numero", decBALHeader + strings.Replace(good, ";1;;segment", ";-1;;segment", 1), "ligne 2 : le numéro « -1 » n'est pas un nombre entier"},
		{"empty numero", decBALHeader + strings.Replace(good, ";1;;segment", ";;;segment", 1), "ligne 2 : le numéro (numero) est vide"},
		{"bad long", decBALHeader + good + good + strings.Replace(good, "5.833622", "5,833622", 1),
			"ligne 4 : la longitude (long) « 5,833622 » n'est pas un nombre : le séparateur décimal est le point"},
		{"long out of range", decBALHeader + strings.Replace(good, "5.833622", "906010.92", 1), "ligne 2 : la longitude (long) « 906010.92 » n'est pas en degrés WGS 84"},
		{"empty lat", decBALHeader + strings.Replace(good, ";49.322203;", ";;", 1), "ligne 2 : la latitude (lat) est vide"},
		{"no street", decBALHeader + strings.Replace(good, "Rue Joffre", " ", 1), "ligne 2 : le nom de la voie (voie_nom) est vide"},
		{"bad commune", decBALHeader + strings.Replace(good, ";54084;", ";5408;", 1), "ligne 2 : la commune « 5408 » (commune_insee) n'est pas un code INSEE"},
		{"no key", decBALHeader + strings.Replace(good, ";54084_0200_00001;", ";;", 1), "ligne 2 : la clé d'interopérabilité (cle_interop) est vide"},
		{"bad parcel", decBALHeader + strings.Replace(good, ";;inconnue", ";54084000AB0012|54084AB12;inconnue", 1), "ligne 2 : la parcelle « 54084AB12 » (cad_parcelles) n'a pas 14 caractères"},
		{"bare quote", decBALHeader + strings.Replace(good, "Rue Joffre", `Rue "Joffre"`, 1), "ligne 2, colonne"},
		{"huge line", decBALHeader + strings.Replace(good, "Rue Joffre", strings.Repeat("a", maxBALLine), 1), "ligne 2 : la ligne fait plus de 1 Mio"},
		{"huger line", decBALHeader + strings.Repeat("a", 2*maxBALLine), "fait plus de 1 Mio"},
		{"Latin-1", decBALHeader + strings.Replace(good, "Rue Joffre", "All\xe9e", 1), "ligne 2 : le texte n'est pas en UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ReadAddresses(strings.NewReader(tc.input), func(int, *Address) error { return nil })
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if guichet.ErrorCode(err) != guichet.EInvalid || !strings.Contains(guichet.ErrorMessage(err), tc.want) {
				t.Fatalf("error %v\nwant %q", err, tc.want)
			}
			t.Log(guichet.ErrorMessage(err))
		})
	}
}

// decRepeat is a reader of a FeatureCollection of count copies of one
// feature, made as it is read.
type decRepeat struct {
	head, feature, tail string
	count, done         int
	buf                 []byte
}

func (r *decRepeat) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.head != "":
			r.buf, r.head = []byte(r.head), ""
		case r.done < r.count:
			r.buf = []byte(r.feature)
			if r.done > 0 {
				r.buf = append([]byte(",\n"), r.buf...)
			}
			r.done++
		case r.tail != "":
			r.buf, r.tail = []byte(r.tail), ""
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// TestReadFeaturesStreams reads a collection of 24 MB while the live heap
// stays small: features are read one at a time.
func TestReadFeaturesStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 24 MB")
	}
	feature := `{"type":"Feature","properties":` + decParcel + `,"geometry":` + decSquare + `}`
	count := 24 << 20 / (len(feature) + 2)
	r := &decRepeat{head: `{"type":"FeatureCollection","features":[`, feature: feature, tail: `]}`, count: count}
	// The heap before reading is the test binary's own (packages'
	// tables, other tests' fixtures); reading must add little to it.
	var peak, base uint64
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	base = m.HeapAlloc
	read := 0
	err := ReadFeatures(r, func(n int, f *Feature) error {
		read++
		if n%5000 == 0 {
			runtime.GC() // what is live, not the garbage of other tests
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}
		return decParcels(n, f)
	})
	if err != nil || read != count {
		t.Fatalf("%d features of %d: %v", read, count, err)
	}
	grew := peak - min(peak, base)
	t.Logf("%d features, heap at most %d KiB over the %d KiB before", read, grew>>10, base>>10)
	if grew > 4<<20 {
		t.Errorf("the heap grew by %d MiB", grew>>20)
	}
}
