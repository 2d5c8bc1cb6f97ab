package procedure_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/tenant"
)

const schoolForm = `{"pages":[
{"title":"Responsable","sections":[{"title":"Vous","fields":[
 {"key":"nom","type":"text","label":"Nom","required":true},
 {"key":"cantine","type":"yesno","label":"Cantine","required":true}]}]},
{"title":"Enfants","sections":[
 {"title":"Enfants","fields":[{"key":"enfants","type":"repeat","label":"Enfant","required":true,"max_items":4,
   "fields":[{"key":"prenom","type":"text","label":"Prénom","required":true},{"key":"classe","type":"choice","label":"Classe","options":["CP","CE1"]}]}]},
 {"title":"Cantine","condition":{"field":"cantine","op":"equals","value":"oui"},"fields":[
   {"key":"regime","type":"text","label":"Régime","required":true}]}]}]}`

type fixture struct {
	s      *procedure.Store
	d      *db.DB
	town   *tenant.Tenant
	other  *tenant.Tenant
	userID string
	now    time.Time
}

func setup(t testing.TB, d *db.DB) *fixture {
	ctx := context.Background()
	created, err := demo.Seed(ctx, tenant.NewStore(d))
	if err != nil {
		t.Fatal(err)
	}
	storage, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: procedure.NewStore(d, storage), d: d, town: created[demo.Town], other: created[demo.Village],
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f.s.Now = func() time.Time { return f.now }
	u, err := account.NewStore(d).Register(ctx, f.town.ID, "habitante@exemple.fr", "Habitante", "Tr4in!Bleu#9-Vert")
	if err != nil {
		t.Fatal(err)
	}
	f.userID = u.ID
	return f
}

func (f *fixture) procedure(t testing.TB, def string, silence procedure.Silence) *procedure.Procedure {
	t.Helper()
	form, err := procedure.ParseForm([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	p := &procedure.Procedure{TenantID: f.town.ID, Slug: "inscription-scolaire", Title: "Inscription scolaire", Service: "scolaire",
		DeadlineDays: 30, Silence: silence, RetentionDays: 60, Draft: form, Open: true}
	ctx := context.Background()
	if err := f.s.CreateProcedure(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Publish(ctx, f.town.ID, p.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	p, _ = f.s.Procedure(ctx, f.town.ID, p.ID)
	return p
}

func migrations() []db.Migrations {
	return []db.Migrations{tenant.Migrations, account.Migrations, procedure.Migrations}
}

func complete() procedure.Answers {
	return procedure.Answers{"nom": {Value: "Durand"}, "cantine": {Value: "non"},
		"enfants": {Items: []procedure.Answers{{"prenom": {Value: "Léa"}, "classe": {Value: "CP"}}, {"prenom": {Value: "Tom"}}}}}
}

func TestCaseWorkflow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		p := f.procedure(t, schoolForm, procedure.SilenceNone)
		resident := procedure.Actor{ID: f.userID, Name: "Habitante"}
		c, token, err := f.s.Start(ctx, p, f.userID, "habitante@exemple.fr", "Habitante", "fr")
		if err != nil || token != "" {
			t.Fatalf("start: %v %q", err, token)
		}
		form, _ := f.s.Form(ctx, f.town.ID, p.ID, c.Version)
		if err := f.s.Submit(ctx, c, p, form, resident); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("an empty draft must not file: %v", err)
		}
		ans := complete()
		ans["regime"] = procedure.Answer{Value: "hidden: cantine is non"}
		if err := f.s.SaveDraft(ctx, c, ans, 1, "Durand"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Submit(ctx, c, p, form, resident); err != nil {
			t.Fatal(err)
		}
		if c.Reference != "DEM-2026-000001" || c.State != procedure.Filed {
			t.Fatalf("filed as %s %s", c.Reference, c.State)
		}
		if _, ok := c.Answers["regime"]; ok {
			t.Fatal("the answer of a hidden section must not be filed")
		}
		if err := f.s.SaveDraft(ctx, c, ans, 0, "x"); guichet.ErrorCode(err) != guichet.EConflict {
			t.Fatalf("a filed case must not change: %v", err)
		}
		// A new version does not change the case's form.
		p.Draft.Pages[0].Title = "Responsable légal"
		if err := f.s.UpdateProcedure(ctx, p); err != nil {
			t.Fatal(err)
		}
		if v, err := f.s.Publish(ctx, f.town.ID, p.ID, "admin"); err != nil || v != 2 {
			t.Fatalf("publish v2: %d %v", v, err)
		}
		again, _ := f.s.Case(ctx, f.town.ID, c.ID)
		if old, _ := f.s.Form(ctx, f.town.ID, p.ID, again.Version); again.Version != 1 || old.Pages[0].Title != "Responsable" {
			t.Fatal("an open case must keep its version")
		}
		agent := procedure.Actor{ID: "agent", Name: "Service scolaire", Staff: true}
		if err := f.s.Transition(ctx, c, p, procedure.Waiting, agent, ""); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("asking for complements needs a reason: %v", err)
		}
		if err := f.s.Transition(ctx, c, p, procedure.Waiting, agent, "Joignez un justificatif de domicile."); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(48 * time.Hour)
		if _, err := f.s.Reply(ctx, c, p, resident, "Voici le justificatif.", []procedure.Upload{
			{Name: "domicile.pdf", ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4 test")},
			{Name: "facture\u202Efdp.pdf", ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4 test 2")}}); err != nil {
			t.Fatal(err)
		}
		if c.State != procedure.Instruction || !c.DueAt.Equal(f.now.AddDate(0, 0, 30)) {
			t.Fatalf("after the reply: %s due %v", c.State, c.DueAt)
		}
		msgs, err := f.s.Messages(ctx, f.town.ID, c.ID)
		if err != nil || len(msgs) != 1 || len(msgs[0].Files) != 2 {
			t.Fatalf("messages: %v %+v", err, msgs)
		}
		for _, file := range msgs[0].Files {
			if strings.ContainsRune(file.Name, '\u202E') || (file.Name != "domicile.pdf" && file.Name != "facturefdp.pdf") {
				t.Fatalf("file name %q shown to agents", file.Name)
			}
		}
		if err := f.s.Transition(ctx, c, p, procedure.Accepted, agent, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Transition(ctx, c, p, procedure.Refused, agent, "x"); guichet.ErrorCode(err) != guichet.EConflict {
			t.Fatalf("a closed case must stay closed: %v", err)
		}
		evs, _ := f.s.Events(ctx, f.town.ID, c.ID)
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, string(e.To))
		}
		if got := strings.Join(kinds, ","); got != "brouillon,depose,complements,instruction,accepte" {
			t.Fatalf("history %s", got)
		}
		// Access: another resident, the other collectivité, a tampered id.
		proc := func(id string) (*procedure.Procedure, error) { return f.s.Procedure(ctx, f.town.ID, id) }
		for _, v := range []procedure.Viewer{{UserID: "someone-else"}, {Token: "guess"}, {Staff: true, Services: []string{"urbanisme"}}} {
			if _, err := f.s.CaseFor(ctx, f.town.ID, c.ID, v, proc); !errors.Is(err, procedure.ErrNotFound) {
				t.Fatalf("viewer %+v sees the case: %v", v, err)
			}
		}
		if _, err := f.s.CaseFor(ctx, f.town.ID, c.ID, procedure.Viewer{Staff: true, Services: []string{"scolaire"}}, proc); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Case(ctx, f.other.ID, c.ID); !errors.Is(err, procedure.ErrNotFound) {
			t.Fatal("a case must not be found from another collectivité")
		}
		tampered := c.ID[:35] + map[bool]string{true: "1", false: "0"}[c.ID[35] == '0']
		if _, err := f.s.Case(ctx, f.town.ID, tampered); !errors.Is(err, procedure.ErrNotFound) {
			t.Fatal("tampered id")
		}
		// Retention: warned 30 days before, then deleted with its files.
		f.now = f.now.AddDate(0, 0, 31)
		warned, err := f.s.DueForWarning(ctx)
		if err != nil || len(warned) != 1 {
			t.Fatalf("warnings: %v %d", err, len(warned))
		}
		if again, _ := f.s.DueForWarning(ctx); len(again) != 0 {
			t.Fatal("warned twice")
		}
		fs, _ := f.s.CaseFiles(ctx, f.town.ID, c.ID)
		f.now = f.now.AddDate(0, 0, 30)
		if n, err := f.s.Purge(ctx); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if _, err := f.s.OpenFile(ctx, &fs[0]); !errors.Is(err, files.ErrNotFound) {
			t.Fatalf("file kept after purge: %v", err)
		}
	})
}

func TestSilenceAndInbox(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		p := f.procedure(t, schoolForm, procedure.SilenceAccord)
		form, _ := f.s.Form(ctx, f.town.ID, p.ID, 1)
		var ids []string
		for i := 0; i < 7; i++ {
			c, _, err := f.s.Start(ctx, p, f.userID, "h@exemple.fr", "Habitante", "fr")
			if err != nil {
				t.Fatal(err)
			}
			if err := f.s.SaveDraft(ctx, c, complete(), 0, []string{"Durand", "Martin"}[i%2]); err != nil {
				t.Fatal(err)
			}
			if err := f.s.Submit(ctx, c, p, form, procedure.Actor{Name: "H"}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			f.now = f.now.Add(time.Minute)
		}
		var n atomic.Int64
		qctx := db.WithQueryCounter(ctx, &n)
		var seen []string
		var cur *procedure.Cursor
		for {
			rows, next, err := f.s.Inbox(qctx, f.town.ID, procedure.InboxFilter{Limit: 3, After: cur})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				seen = append(seen, r.ID)
			}
			if cur = next; cur == nil {
				break
			}
		}
		if len(seen) != 7 || seen[0] != ids[6] || n.Load() != 3 {
			t.Fatalf("paged %d rows in %d queries (first %s)", len(seen), n.Load(), seen[0])
		}
		rows, _, _ := f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{Query: "mart"})
		if len(rows) != 3 {
			t.Fatalf("search by name: %d", len(rows))
		}
		rows, _, _ = f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{Query: "dem-2026-000002"})
		if len(rows) != 1 || rows[0].Reference != "DEM-2026-000002" {
			t.Fatalf("search by reference: %+v", rows)
		}
		if err := f.s.Label(ctx, f.town.ID, ids[:2], "urgent", false); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Label(ctx, f.town.ID, ids[:1], "urgent", true); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Assign(ctx, f.town.ID, ids[:3], "agent-1", "Service scolaire", procedure.Actor{Name: "Chef"}); err != nil {
			t.Fatal(err)
		}
		rows, _, _ = f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{Label: "urgent"})
		if len(rows) != 1 || rows[0].ID != ids[1] {
			t.Fatalf("label filter: %+v", rows)
		}
		rows, _, _ = f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{Assignee: "none"})
		if len(rows) != 4 {
			t.Fatalf("unassigned: %d", len(rows))
		}
		if rows, _, _ = f.s.Inbox(ctx, f.other.ID, procedure.InboxFilter{}); len(rows) != 0 {
			t.Fatal("the village sees the town's cases")
		}
		var csv bytes.Buffer
		if err := f.s.ExportCSV(ctx, &csv, p, time.UTC); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(csv.String()), "\n"); len(lines) != 8 ||
			!strings.Contains(lines[0], "Enfant 2 – Prénom") || !strings.Contains(lines[1], "Léa") || !strings.Contains(lines[1], "Tom") {
			t.Fatalf("export:\n%s", csv.String())
		}
		// Deadline passes: silence means approval.
		f.now = f.now.AddDate(0, 0, 31)
		rows, _, _ = f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{Overdue: true})
		if len(rows) != 7 {
			t.Fatalf("overdue: %d", len(rows))
		}
		decided, err := f.s.ApplySilence(ctx)
		if err != nil || len(decided) != 7 || decided[0].State != procedure.Accepted {
			t.Fatalf("silence: %v %d", err, len(decided))
		}
	})
}

func TestPublishRefusesUnreachable(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		bad := strings.Replace(schoolForm, `"title":"Cantine","condition":{"field":"cantine","op":"equals","value":"oui"}`,
			`"title":"Cantine","condition":{"field":"cantine","op":"empty"}`, 1)
		form, err := procedure.ParseForm([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		p := &procedure.Procedure{TenantID: f.town.ID, Slug: "x", Title: "X", DeadlineDays: 30, RetentionDays: 30, Draft: form, Open: true}
		if err := f.s.CreateProcedure(ctx, p); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Publish(ctx, f.town.ID, p.ID, "admin")
		if guichet.ErrorCode(err) != guichet.EInvalid || !strings.Contains(guichet.ErrorMessage(err), "Régime") {
			t.Fatalf("publish: %v", err)
		}
		if p, _ = f.s.Procedure(ctx, f.town.ID, p.ID); p.Version != 0 {
			t.Fatal("nothing must be published")
		}
	})
}
