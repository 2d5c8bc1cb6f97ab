package urbanism_test

import (
	"context"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestSeamAnswersOtherCapabilities checks what the territory gives the
// other capabilities' maps and forms: addresses by what was typed and
// near a point, and outlines whose detail follows the box's size.
func TestSeamAnswersOtherCapabilities(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn := newStore(t, d, "seam")
		seam := s.Seam()
		if _, ok, err := seam.Bound(ctx, tn.ID); ok || err != nil {
			t.Fatalf("empty territory: bound ok=%v, %v", ok, err)
		}
		if _, err := s.Import(ctx, tn.ID, urbanism.ImportFile{Source: urbanism.SourceCadastre, Name: "parcelles.json.gz",
			Attribution: "DGFiP / Etalab", Body: open(t, "cadastre/cadastre-69114-parcelles.json.gz")}); err != nil {
			t.Fatal(err)
		}
		importFile(t, s, tn.ID, urbanism.SourcePLU, "plu/25392_ZONE_URBA.geojson.gz")
		importFile(t, s, tn.ID, urbanism.SourceAddresses, "bal/adresses-54084.csv.gz")

		joffre := orb.Point{5.833622, 49.322203}
		found, err := seam.FindAddresses(ctx, tn.ID, "1 rue joffre")
		if err != nil || len(found) != 1 || found[0].Label != "1 Rue Joffre" || found[0].Point != joffre {
			t.Fatalf("find: %+v %v", found, err)
		}
		near, ok, err := seam.NearestAddress(ctx, tn.ID, geo.PointAtBearingAndDistance(joffre, 90, 8))
		if err != nil || !ok || geo.Distance(near.Point, joffre) > 40 {
			t.Errorf("nearest to a point 8 m east of 1 rue Joffre: %+v %v %v", near, ok, err)
		}
		if a, ok, err := seam.NearestAddress(ctx, tn.ID, geo.PointAtBearingAndDistance(joffre, 0, 5000)); ok || err != nil {
			t.Errorf("5 km away: %+v %v %v, want none", a, ok, err)
		}

		aa30 := orb.Point{4.6545, 45.9758}
		close, err := seam.Backdrop(ctx, tn.ID, geo.NewBoundAroundPoint(aa30, 300))
		if err != nil || len(close.Parcels) < 5 || len(close.Credits) != 1 || close.Credits[0] != "DGFiP / Etalab" {
			t.Fatalf("600 m box: %d parcels, credits %v, %v", len(close.Parcels), close.Credits, err)
		}
		far, err := seam.Backdrop(ctx, tn.ID, geo.NewBoundAroundPoint(aa30, 5000))
		if err != nil || len(far.Parcels) != 0 {
			t.Errorf("10 km box: %d parcels, want none (too small to see), %v", len(far.Parcels), err)
		}
		// Without sections, the urban plan's zones give the shape.
		village := orb.Point{6.7615, 47.2468}
		zones, err := seam.Backdrop(ctx, tn.ID, geo.NewBoundAroundPoint(village, 2000))
		if err != nil || len(zones.Areas) == 0 {
			t.Errorf("zones as areas: %d, %v", len(zones.Areas), err)
		}
		box, ok, err := seam.Bound(ctx, tn.ID)
		if err != nil || !ok || !box.Contains(aa30) || !box.Contains(village) {
			t.Errorf("bound %v ok=%v %v", box, ok, err)
		}
	})
}
