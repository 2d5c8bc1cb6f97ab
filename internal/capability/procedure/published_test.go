package procedure_test

import (
	"context"
	"errors"
	"testing"

	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestPublishedProceduresAreWhatResidentsCanStart checks the residents'
// list and page against the staff's reading: the published and open
// procedures only, with the same settings, and without the draft that
// only editors read.
func TestPublishedProceduresAreWhatResidentsCanStart(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		published := f.procedure(t, schoolForm, procedure.SilenceAccord)
		closed := &procedure.Procedure{TenantID: f.town.ID, Slug: "fermee", Title: "Fermée", DeadlineDays: 30, RetentionDays: 30,
			Draft: published.Draft, Open: true}
		draft := &procedure.Procedure{TenantID: f.town.ID, Slug: "brouillon", Title: "Brouillon", DeadlineDays: 30, RetentionDays: 30,
			Draft: published.Draft, Open: true}
		for _, p := range []*procedure.Procedure{closed, draft} {
			if err := f.s.CreateProcedure(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.Publish(ctx, f.town.ID, closed.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		closed, _ = f.s.Procedure(ctx, f.town.ID, closed.ID)
		closed.Open = false
		if err := f.s.UpdateProcedure(ctx, closed); err != nil {
			t.Fatal(err)
		}
		list, err := f.s.PublishedProcedures(ctx, f.town.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != published.ID {
			t.Fatalf("residents see %d procedures, want only %q", len(list), published.Slug)
		}
		one, err := f.s.PublishedBySlug(ctx, f.town.ID, published.Slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []*procedure.Procedure{list[0], one} {
			if p.Draft != nil {
				t.Error("the residents' reading parsed the draft")
			}
			p.Draft = published.Draft
			if *p != *published {
				t.Errorf("residents read %+v, staff %+v", *p, *published)
			}
		}
		for _, slug := range []string{closed.Slug, draft.Slug, "inconnue"} {
			if _, err := f.s.PublishedBySlug(ctx, f.town.ID, slug); !errors.Is(err, procedure.ErrNotFound) {
				t.Errorf("%s: %v, want not found", slug, err)
			}
		}
		if _, err := f.s.PublishedBySlug(ctx, f.other.ID, published.Slug); !errors.Is(err, procedure.ErrNotFound) {
			t.Errorf("another collectivité reads the procedure: %v", err)
		}
	})
}
