package council_test

import (
	"bytes"
	"context"
	"testing"

	"guichet"

	"guichet/internal/capability/council"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/publishing/tableschema"
)

// scdlSchema is the délibérations schema the project ships, as published
// by OpenDataFrance (scdl/deliberations, v2.1.5).
func scdlSchema(t *testing.T) *tableschema.Schema {
	t.Helper()
	s, err := tableschema.LoadFile("scdl/deliberations-2.1.5.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSCDLExportOfALargeTownIsValid(t *testing.T) {
	t.Parallel()
	schema := scdlSchema(t)
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		if err := e.s.Generate(ctx, e.tenant.ID, 5000, func() {}); err != nil {
			t.Fatal(err)
		}
		// One more, written through the forms' path, rectifying the first.
		x := e.heldSession(t, "2026-12-03")
		a := e.deliberation(x, "2026-900")
		a.PrefectureID, a.TransmittedOn = "086-218699000-20261204-D2026900-DE", "2026-12-04"
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err, guichet.FieldErrors(err))
		}
		if _, err := e.s.Publish(ctx, e.tenant.ID, a.ID, "Secrétariat", "", e.loc); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		n, err := e.s.WriteSCDL(ctx, &out, e.tenant.ID, "2026-12-07", council.Publisher{Name: e.tenant.Name, SIRET: e.tenant.SIRET,
			BaseURL: "https://montclair.example"})
		if err != nil {
			t.Fatal(err)
		}
		if n != 5001 {
			t.Fatalf("%d rows exported, want 5001", n)
		}
		problems, err := schema.Validate(&out)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range problems {
			if i == 10 {
				break
			}
			t.Error(p)
		}
		if len(problems) > 0 {
			t.Fatalf("%d problems in the export", len(problems))
		}
	})
}

// TestSCDLValidationCatchesABadExport proves the check above can fail: a
// wrong SIRET key and a vote whose sum is off are both reported.
func TestSCDLValidationCatchesABadExport(t *testing.T) {
	t.Parallel()
	schema := scdlSchema(t)
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		if err := e.s.Generate(ctx, e.tenant.ID, 3, func() {}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO council_acts (id, tenant_id, kind, number, adopted_on, subject_code, title, body,
			has_vote, in_office, voters, votes_for, votes_against, abstentions, status, published_at, created_at, updated_at)
			VALUES ('faux', ?, 'deliberation', '2026-999', '2026-12-03', '7.1', 'Vote mal compté', 'Texte', TRUE, 27, 20, 18, 1, 2,
			'published', ?, ?, ?)`, e.tenant.ID, e.clock.Now(), e.clock.Now(), e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := e.s.WriteSCDL(ctx, &out, e.tenant.ID, "2026-12-07", council.Publisher{Name: e.tenant.Name,
			SIRET: "21869900000013", BaseURL: "https://montclair.example"}); err != nil {
			t.Fatal(err)
		}
		problems, err := schema.Validate(&out)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range problems {
			seen[p.Check] = true
		}
		if !seen["french-siret-value"] || !seen["sum-columns-value"] {
			t.Fatalf("problems found: %v", problems)
		}
	})
}
