package urbanism_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, urbanism.Migrations}

// newStore returns a store on d and a collectivité named slug.
func newStore(t testing.TB, d *db.DB, slug string) (*urbanism.Store, *tenant.Tenant) {
	t.Helper()
	tn, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: slug, Name: "Commune " + slug,
		Kind: tenant.KindCommune, INSEE: "86990", SIRET: "21869900700017"})
	if err != nil {
		t.Fatal(err)
	}
	storage, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return urbanism.NewStore(d, storage, dbtest.Clock(t), invalidate.New()), tn
}

func open(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/real/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func importFile(t testing.TB, s *urbanism.Store, tenantID, source, name string) *urbanism.Report {
	t.Helper()
	rep, err := s.Import(context.Background(), tenantID, urbanism.ImportFile{Source: source, Name: name, Body: open(t, name)})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// TestImportRealFiles reads every real file into one collectivité and
// finds their records again: fields, parcels at a point, zones, addresses.
func TestImportRealFiles(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn := newStore(t, d, "reel")
		for _, tc := range []struct {
			source, file, layer string
			added               int
		}{
			{urbanism.SourceCadastre, "cadastre/cadastre-69114-parcelles.json.gz", urbanism.LayerParcels, 6032},
			{urbanism.SourceCadastre, "cadastre/cadastre-91216-parcelles.json.gz", urbanism.LayerParcels, 4241},
			{urbanism.SourceCadastre, "cadastre/27412-sections.geojson.gz", urbanism.LayerSections, 19},
			{urbanism.SourceCadastre, "cadastre/27412-batiments.geojson.gz", urbanism.LayerBuildings, 1597},
			{urbanism.SourcePLU, "plu/25392_ZONE_URBA.geojson.gz", urbanism.LayerZones, 17},
			{urbanism.SourceAddresses, "bal/adresses-54084.csv.gz", urbanism.LayerAddresses, 486},
		} {
			rep := importFile(t, s, tn.ID, tc.source, tc.file)
			if len(rep.Layers) != 1 || rep.Layers[0].Layer != tc.layer || rep.Layers[0].Added != tc.added ||
				rep.Layers[0].Changed+rep.Layers[0].Removed+rep.Layers[0].Unchanged != 0 {
				t.Errorf("%s: report %+v, want %d %s added", tc.file, rep.Layers, tc.added, tc.layer)
			}
		}
		ter, err := s.Territory(ctx, tn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ter.Parcels) != 6032+4241 || len(ter.Sections) != 19 || len(ter.Buildings) != 1597 || len(ter.Zones) != 17 {
			t.Fatalf("territory: %d parcels, %d sections, %d buildings, %d zones", len(ter.Parcels), len(ter.Sections),
				len(ter.Buildings), len(ter.Zones))
		}
		p, err := ter.Parcel("69114000AA0030")
		if err != nil {
			t.Fatal(err)
		}
		if p.Commune != "69114" || p.Prefix != "000" || p.Section != "AA" || p.Number != "30" || p.Area != 43570 ||
			p.Updated != "2024-12-20" || p.Label() != "AA 30" {
			t.Errorf("parcel AA 30: %+v", p)
		}
		// Points read off the file's outlines: inside AA 30, inside its
		// northern neighbour AA 22, and in neither.
		for _, tc := range []struct {
			at   orb.Point
			want string
		}{
			{orb.Point{4.6545, 45.9758}, "69114000AA0030"},
			{orb.Point{4.6545, 45.9773}, "69114000AA0022"},
			{orb.Point{2.0, 47.0}, ""},
		} {
			got, err := ter.ParcelAt(tc.at)
			switch {
			case tc.want == "" && err == nil:
				t.Errorf("%v: found %s, want none", tc.at, got.ID)
			case tc.want != "" && (err != nil || got.ID != tc.want):
				t.Errorf("%v: %v %v, want %s", tc.at, got, err, tc.want)
			}
		}
		if found := ter.ByReference("aa", "030"); len(found) != 1 || found[0].ID != "69114000AA0030" {
			t.Errorf("reference aa 030: %v", found)
		}
		// Outside every parcel of the file, in the north of commune 25392:
		// its natural zone, then the urban one of the village centre.
		for _, tc := range []struct {
			at   orb.Point
			want string
		}{
			{orb.Point{6.7615, 47.2468}, "N"},
		} {
			z, err := ter.ZoneAt(tc.at)
			if err != nil || z.Label != tc.want || z.Commune != "25392" || z.Type != urbanism.ZoneN {
				t.Errorf("zone at %v: %+v %v, want %s", tc.at, z, err, tc.want)
			}
		}
		found, err := s.FindAddresses(ctx, tn.ID, "1 rue Joffre")
		if err != nil || len(found) != 1 || found[0].ID != "54084_0200_00001" || found[0].Label() != "1 Rue Joffre" ||
			found[0].Town != "Mont-Bonvillers" || found[0].Point != (orb.Point{5.833622, 49.322203}) {
			t.Errorf("1 rue Joffre: %+v %v", found, err)
		}
		if found, err := s.FindAddresses(ctx, tn.ID, "RUE JOFFRE"); err != nil || len(found) < 3 {
			t.Errorf("rue Joffre: %d addresses, %v", len(found), err)
		}
	})
}

// TestReimportReportsWhatChanged imports a small file, then a later
// edition of it: one parcel changed, one gone, one new.
func TestReimportReportsWhatChanged(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn := newStore(t, d, "reimport")
		var first bytes.Buffer
		if err := urbanism.GenerateCadastre(&first, "86990", 30); err != nil {
			t.Fatal(err)
		}
		imp := func(body string) (*urbanism.Report, error) {
			return s.Import(ctx, tn.ID, urbanism.ImportFile{Source: urbanism.SourceCadastre, Name: "c.json", Body: strings.NewReader(body)})
		}
		if rep, err := imp(first.String()); err != nil || rep.Layers[0].Added != 30 {
			t.Fatalf("first import: %+v %v", rep, err)
		}
		if rep, err := imp(first.String()); err != nil || rep.Layers[0].Unchanged != 30 || rep.Layers[0].Added+rep.Layers[0].Changed+rep.Layers[0].Removed != 0 {
			t.Fatalf("same file again: %+v %v", rep, err)
		}
		var bigger bytes.Buffer
		if err := urbanism.GenerateCadastre(&bigger, "86990", 31); err != nil { // parcel 31 is new
			t.Fatal(err)
		}
		later := bigger.String()
		later = strings.Replace(later, `"contenance":600,`, `"contenance":655,`, 1) // parcel A 1 changed
		later = removeFeature(t, later, "869900000A0002")                           // parcel A 2 gone
		rep, err := imp(later)
		if err != nil {
			t.Fatal(err)
		}
		if l := rep.Layers[0]; l.Added != 1 || l.Changed != 1 || l.Removed != 1 || l.Unchanged != 28 || strings.Join(l.Communes, ",") != "86990" {
			t.Errorf("later edition: %+v", l)
		}
		ter, err := s.Territory(ctx, tn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := ter.Parcel("869900000A0001"); err != nil || p.Area != 655 {
			t.Errorf("changed parcel: %+v %v", p, err)
		}
		if _, err := ter.Parcel("869900000A0002"); err == nil {
			t.Error("the removed parcel is still there")
		}
		if len(ter.Parcels) != 30 {
			t.Errorf("%d parcels, want 30", len(ter.Parcels))
		}
	})
}

// removeFeature drops the feature whose id is id from a generated file.
func removeFeature(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `{"type":"Feature","id":"`+id+`"`)
	if start < 0 {
		t.Fatalf("no feature %s", id)
	}
	end := strings.Index(body[start:], "}},")
	if end < 0 {
		t.Fatalf("feature %s is the last", id)
	}
	return body[:start] + body[start+end+3:]
}

// TestBadFileChangesNothing: a file whose last feature is wrong is
// refused whole, and what was there stays.
func TestBadFileChangesNothing(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn := newStore(t, d, "refus")
		var good bytes.Buffer
		if err := urbanism.GenerateCadastre(&good, "86990", 600); err != nil {
			t.Fatal(err)
		}
		bad := strings.Replace(good.String(), `"numero":"200"`, `"numero":"201"`, 1) // its id says 200
		for _, tc := range []struct{ name, body, want string }{
			{"an id that disagrees with its parts", bad, "objet n° 200"},
			{"a truncated file", good.String()[:good.Len()-500], "tronqué"},
			{"a parcel twice", strings.Replace(strings.Replace(good.String(), `"id":"869900000A0005"`, `"id":"869900000A0004"`, 2),
				`"numero":"5",`, `"numero":"4",`, 1), "figure deux fois"},
		} {
			_, err := s.Import(ctx, tn.ID, urbanism.ImportFile{Source: urbanism.SourceCadastre, Name: "c.json", Body: strings.NewReader(tc.body)})
			if guichet.ErrorCode(err) != guichet.EInvalid || !strings.Contains(guichet.ErrorMessage(err), tc.want) {
				t.Errorf("%s: %v, want an invalid file naming %q", tc.name, err, tc.want)
			}
			ter, err := s.Territory(ctx, tn.ID)
			if err != nil || len(ter.Parcels) != 0 {
				t.Errorf("%s: %d parcels written", tc.name, len(ter.Parcels))
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM urbanism_imports`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d imports recorded, %v", n, err)
		}
	})
}

// TestTerritoriesStayApart: one collectivité never finds another's parcel.
func TestTerritoriesStayApart(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, town := newStore(t, d, "ville")
		village, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "village", Name: "Village", Kind: tenant.KindCommune,
			INSEE: "21990", SIRET: "21219900400012"})
		if err != nil {
			t.Fatal(err)
		}
		importFile(t, s, town.ID, urbanism.SourceCadastre, "cadastre/cadastre-69114-parcelles.json.gz")
		importFile(t, s, town.ID, urbanism.SourceAddresses, "bal/adresses-54084.csv.gz")
		ter, err := s.Territory(ctx, village.ID)
		if err != nil || !ter.Empty() {
			t.Fatalf("village territory: %v, empty %v", err, ter.Empty())
		}
		if _, err := ter.ParcelAt(orb.Point{4.6545, 45.9758}); err == nil {
			t.Error("the village finds the town's parcel")
		}
		if found, err := s.FindAddresses(ctx, village.ID, "rue Joffre"); err != nil || len(found) != 0 {
			t.Errorf("the village finds the town's addresses: %v %v", found, err)
		}
		if _, err := s.Address(ctx, village.ID, "54084_0200_00001"); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the village reads the town's address: %v", err)
		}
	})
}

// TestSheetMeasuresShares: a parcel across two zones, and one under a
// protected easement.
func TestSheetMeasuresShares(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn := newStore(t, d, "parts")
		var cad, plu bytes.Buffer
		if err := urbanism.GenerateCadastre(&cad, "86990", 100); err != nil {
			t.Fatal(err)
		}
		// Nine zones over ten by ten parcels: a boundary runs through the
		// fourth column, a third of a parcel from its western edge.
		if err := urbanism.GeneratePLU(&plu, "86990", 100, 9); err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			source string
			body   *bytes.Buffer
		}{{urbanism.SourceCadastre, &cad}, {urbanism.SourcePLU, &plu}} {
			if _, err := s.Import(ctx, tn.ID, urbanism.ImportFile{Source: f.source, Name: "f", Body: f.body}); err != nil {
				t.Fatal(err)
			}
		}
		ter, err := s.Territory(ctx, tn.ID)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := ter.Parcel("869900000A0052") // row 5, column 1: inside Z4
		if err != nil {
			t.Fatal(err)
		}
		if sh := ter.Sheet(whole); len(sh.Zones) != 1 || sh.Zones[0].Zone.Label != "Z4" || sh.Zones[0].Percent() != 100 {
			t.Errorf("parcel A 52: %+v", sh.Zones)
		}
		split, err := ter.Parcel("869900000A0054") // row 5, column 3: across Z4 and Z5
		if err != nil {
			t.Fatal(err)
		}
		sh := ter.Sheet(split)
		if len(sh.Zones) != 2 || sh.Zones[0].Zone.Label != "Z5" || sh.Zones[1].Zone.Label != "Z4" {
			t.Fatalf("parcel A 54: %+v", sh.Zones)
		}
		if z5, z4 := sh.Zones[0].Percent(), sh.Zones[1].Percent(); z4 < 15 || z4 > 50 || z5+z4 < 98 || z5+z4 > 102 {
			t.Errorf("parcel A 54: %d %% in Z5, %d %% in Z4", z5, z4)
		}
	})
}
