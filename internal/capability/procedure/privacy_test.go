package procedure_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// draft starts a draft of p for userID (or, without one, a guest whose
// address the case proved), with a file attached, at the fixture's clock.
func (f *fixture) draft(t *testing.T, p *procedure.Procedure, userID, email, name string) *procedure.Case {
	t.Helper()
	ctx := context.Background()
	c, token, err := f.s.Start(ctx, p, userID, email, name, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if userID == "" {
		if _, err := f.s.VerifyEmail(ctx, f.town.ID, c.ID, token); err != nil {
			t.Fatal(err)
		}
	}
	up := procedure.Upload{Name: "piece.pdf", ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4 " + name)}
	if err := f.s.AttachToDraft(ctx, c, &procedure.Field{Key: "piece", Label: "Pièce"}, []procedure.Upload{up}); err != nil {
		t.Fatal(err)
	}
	return c
}

// fileOf returns the stored file of a case, to check it goes with it.
func (f *fixture) fileOf(t *testing.T, c *procedure.Case) *procedure.StoredFile {
	t.Helper()
	fs, err := f.s.CaseFiles(context.Background(), c.TenantID, c.ID)
	if err != nil || len(fs) != 1 {
		t.Fatalf("files of %s: %d, %v", c.ID, len(fs), err)
	}
	return &fs[0]
}

func (f *fixture) gone(t *testing.T, c *procedure.Case, file *procedure.StoredFile) {
	t.Helper()
	if _, err := f.s.Case(context.Background(), c.TenantID, c.ID); !errors.Is(err, procedure.ErrNotFound) {
		t.Errorf("case %s stayed: %v", c.ID, err)
	}
	if r, err := f.s.OpenFile(context.Background(), file); err == nil {
		r.Close()
		t.Errorf("the file of case %s stayed in storage", c.ID)
	}
}

// TestOldDraftsGo: a draft unchanged one day less than DraftDays stays,
// one unchanged a day longer goes with its file; filed cases follow
// their own retention.
func TestOldDraftsGo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		p := f.procedure(t, schoolForm, procedure.SilenceNone)
		day0 := f.now
		f.now = day0.AddDate(0, 0, -procedure.DraftDays-1)
		old := f.draft(t, p, f.userID, "habitante@exemple.fr", "Ancienne")
		oldFile := f.fileOf(t, old)
		filed, _, err := f.s.Start(ctx, p, f.userID, "habitante@exemple.fr", "Déposée", "fr")
		if err != nil {
			t.Fatal(err)
		}
		form, _ := f.s.Form(ctx, f.town.ID, p.ID, filed.Version)
		if err := f.s.SaveDraft(ctx, filed, complete(), 1, "Déposée"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Submit(ctx, filed, p, form, procedure.Actor{ID: f.userID}); err != nil {
			t.Fatal(err)
		}
		f.now = day0.AddDate(0, 0, -procedure.DraftDays+1)
		recent := f.draft(t, p, f.userID, "habitante@exemple.fr", "Récente")
		f.now = day0
		if n, err := f.s.PurgeDrafts(ctx); err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		f.gone(t, old, oldFile)
		for _, c := range []*procedure.Case{recent, filed} {
			if _, err := f.s.Case(ctx, f.town.ID, c.ID); err != nil {
				t.Errorf("case %s went: %v", c.ID, err)
			}
		}
	})
}

// TestErasureDeletesDraftsAndKeepsFiledCases: erasing a person deletes
// their drafts (of their account, and as a guest under their proven
// address) with their files, keeps their filed case, and touches nobody
// else's; the export finds the same cases.
func TestErasureDeletesDraftsAndKeepsFiledCases(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		p := f.procedure(t, schoolForm, procedure.SilenceNone)
		p.Anonymous = true
		mine := f.draft(t, p, f.userID, "habitante@exemple.fr", "Brouillon du compte")
		guest := f.draft(t, p, "", "Habitante@Exemple.fr", "Brouillon invité")
		other := f.draft(t, p, "", "voisin@exemple.fr", "Brouillon du voisin")
		filed, _, err := f.s.Start(ctx, p, f.userID, "habitante@exemple.fr", "Dossier déposé", "fr")
		if err != nil {
			t.Fatal(err)
		}
		form, _ := f.s.Form(ctx, f.town.ID, p.ID, filed.Version)
		if err := f.s.SaveDraft(ctx, filed, complete(), 1, "Dossier déposé"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Submit(ctx, filed, p, form, procedure.Actor{ID: f.userID}); err != nil {
			t.Fatal(err)
		}
		person := account.Person{TenantID: f.town.ID, UserID: f.userID, Email: "habitante@exemple.fr"}
		data, err := f.s.Export(ctx, person)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(data)
		for _, c := range []string{"Brouillon du compte", "Brouillon invité", "Dossier déposé"} {
			if !strings.Contains(string(body), c) {
				t.Errorf("the export lacks %q: %s", c, body)
			}
		}
		if strings.Contains(string(body), "voisin") {
			t.Errorf("the export holds another person's case: %s", body)
		}
		files := map[*procedure.Case]*procedure.StoredFile{mine: f.fileOf(t, mine), guest: f.fileOf(t, guest)}
		if err := f.s.Erase(ctx, person); err != nil {
			t.Fatal(err)
		}
		for c, file := range files {
			f.gone(t, c, file)
		}
		for _, c := range []*procedure.Case{filed, other} {
			if _, err := f.s.Case(ctx, f.town.ID, c.ID); err != nil {
				t.Errorf("case %s went: %v", c.ID, err)
			}
		}
	})
}
