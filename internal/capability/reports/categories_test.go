package reports_test

import (
	"errors"
	"testing"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestMigrationsRunTwice: the set applies on both engines, and again
// without change.
func TestMigrationsRunTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(t.Context(), sets); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"report_categories", "report_counters", "reports", "report_updates", "report_photos",
			"report_followers", "report_area_alerts", "report_api_keys"} {
			var n int
			if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d rows, %v", table, n, err)
			}
		}
	})
}

// TestCategories: created, listed by position, found by code while
// active, updated, deactivated; a code is unique per collectivité, and
// one collectivité never reads or changes another's.
func TestCategories(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		lamp := &reports.Category{TenantID: e.town, Code: "eclairage-panne", Name: "Lampadaire en panne", Group: "Éclairage",
			Keywords: []string{"Lampe, ampoule", "lampadaire"}, Service: "technique", Active: true, Position: 2,
			Questions: []reports.Question{{Code: "numero", Label: "Numéro", Datatype: reports.TypeString}}}
		if err := e.s.CreateCategory(e.ctx, lamp); err != nil {
			t.Fatal(err)
		}
		hole := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		if err := e.s.CreateCategory(e.ctx, &reports.Category{TenantID: e.town, Code: "voirie-nid-de-poule", Name: "Autre"}); !errors.Is(err, reports.ErrCodeTaken) {
			t.Errorf("a second category took the code: %v", err)
		}
		e.category(e.vill, "voirie-nid-de-poule", "", "")
		got, err := e.s.CategoryByCode(e.ctx, e.town, "eclairage-panne")
		if err != nil || got.ID != lamp.ID || len(got.Questions) != 1 || got.Questions[0].Code != "numero" {
			t.Fatalf("by code: %+v, %v", got, err)
		}
		if len(got.Keywords) != 3 || got.Keywords[0] != "lampe" || got.Keywords[2] != "lampadaire" {
			t.Errorf("keywords %q", got.Keywords)
		}
		active, err := e.s.ActiveCategories(e.ctx, e.town)
		if err != nil || len(active) != 2 || active[0].ID != hole.ID || active[1].ID != lamp.ID {
			t.Fatalf("active: %v, %v", active, err)
		}
		lamp.Name, lamp.ContractorEmail = "Éclairage public en panne", "eclairage@entreprise.example"
		if err := e.s.UpdateCategory(e.ctx, lamp); err != nil {
			t.Fatal(err)
		}
		if err := e.s.DeactivateCategory(e.ctx, e.town, hole.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.CategoryByCode(e.ctx, e.town, "voirie-nid-de-poule"); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("an inactive category by code: %v", err)
		}
		active, _ = e.s.ActiveCategories(e.ctx, e.town)
		all, _ := e.s.Categories(e.ctx, e.town)
		if len(active) != 1 || active[0].Name != "Éclairage public en panne" || active[0].ContractorEmail != "eclairage@entreprise.example" || len(all) != 2 {
			t.Errorf("after the changes: %v active, %v in all", active, all)
		}
		// The village reads and changes none of the town's.
		if _, err := e.s.Category(e.ctx, e.vill, lamp.ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village reads the town's category: %v", err)
		}
		if err := e.s.DeactivateCategory(e.ctx, e.vill, lamp.ID); code(err) != guichet.ENotFound {
			t.Errorf("the village deactivates the town's category: %v", err)
		}
		stolen := *lamp
		stolen.TenantID = e.vill
		if err := e.s.UpdateCategory(e.ctx, &stolen); code(err) != guichet.ENotFound {
			t.Errorf("the village updates the town's category: %v", err)
		}
	})
}
