package directory_test

import (
	"bytes"
	"context"
	"testing"

	"guichet/internal/capability/directory"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/publishing/tableschema"
)

func scdlSchema(t *testing.T) *tableschema.Schema {
	t.Helper()
	s, err := tableschema.LoadFile("scdl/equipements-0.1.5.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSCDLExportOfAwkwardAddressesIsValid: every kind, and addresses as
// people type them (a "bis", a comma, a typographic apostrophe, a place
// without a number), give rows the schema accepts; an entry without a
// position is left out and named.
func TestSCDLExportOfAwkwardAddressesIsValid(t *testing.T) {
	t.Parallel()
	schema := scdlSchema(t)
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		addresses := []string{"12 bis, rue de l’Église", "Salle Jeanne-d'Arc, 9 rue Saint-Martin", "Lieu-dit Les Granges",
			"3 place du 8-Mai-1945", "Zone artisanale (bâtiment B)", "7 Rue de l'Œuvre"}
		for i, k := range directory.Kinds {
			e.entry(t, e.town, k.Label+" "+k.Key, k.Category, func(en *directory.Entry) {
				en.Kind, en.Address, en.Phone = k.Key, addresses[i%len(addresses)], "05 49 00 12 34"
				en.Email, en.Website = "contact@exemple.fr", "https://exemple.fr/"
			})
		}
		e.entry(t, e.town, "Sans position", kernel.CategoryAssociation, func(en *directory.Entry) { en.HasPosition = false })
		var out bytes.Buffer
		done, err := e.s.WriteSCDL(ctx, &out, e.town, directory.Publisher{Name: "Ville de Test", SIRET: "21869900700017", INSEE: "86990"})
		if err != nil {
			t.Fatal(err)
		}
		if done.Rows != len(directory.Kinds) || len(done.Skipped) != 1 || done.Skipped[0] != "Sans position" {
			t.Errorf("%d rows, skipped %q", done.Rows, done.Skipped)
		}
		problems, err := schema.Validate(&out)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Error(p)
		}
	})
}

// TestSCDLValidationCatchesABadExport proves the check above can fail: a
// collectivité's SIRET with a wrong key and an address that is no email
// (written around the forms' checks) are both reported.
func TestSCDLValidationCatchesABadExport(t *testing.T) {
	t.Parallel()
	schema := scdlSchema(t)
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		en := e.entry(t, e.town, "Hôtel de ville", kernel.CategoryPublic, nil)
		if _, err := d.Exec(ctx, `UPDATE directory_entries SET email = 'pas un courriel' WHERE id = ?`, en.ID); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := e.s.WriteSCDL(ctx, &out, e.town, directory.Publisher{Name: "Ville de Test", SIRET: "21869900700018", INSEE: "86990"}); err != nil {
			t.Fatal(err)
		}
		problems, err := schema.Validate(&out)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range problems {
			seen[p.Column+" "+p.Check] = true
		}
		if !seen["COLL_SIRET french-siret-value"] || !seen["EQUIP_EMAIL type"] {
			t.Fatalf("problems found: %v", problems)
		}
	})
}
