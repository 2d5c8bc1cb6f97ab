package procedure_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

// outbox keeps the queued emails, rendered with the capability's
// templates: a missing template or field fails the test.
type outbox struct {
	t    testing.TB
	tpl  *mail.Templates
	mu   sync.Mutex
	sent []sent
}

type sent struct {
	mail.Message
	*mail.Rendered
}

func newOutbox(t testing.TB) *outbox {
	tpl := mail.NewTemplates()
	if err := tpl.Add("procedure", procedure.MailFiles()); err != nil {
		t.Fatal(err)
	}
	return &outbox{t: t, tpl: tpl}
}

func (o *outbox) Enqueue(_ context.Context, m mail.Message) error {
	// The outbox adds these at sending time.
	data := map[string]any{"TenantName": "Ville de Montclair", "To": m.To, "Lang": m.Lang}
	for k, v := range m.Data {
		data[k] = v
	}
	r, err := o.tpl.Render(m.Template, m.Lang, data)
	if err != nil {
		o.t.Errorf("render %s: %v", m.Template, err)
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, sent{m, r})
	return nil
}

// take returns the emails queued since the last call.
func (o *outbox) take() []sent {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.sent
	o.sent = nil
	return s
}

// members is a collectivité's staff, fixed.
type members []*staff.Member

func (m members) List(context.Context, string) ([]*staff.Member, error) { return m, nil }

func (f *fixture) service(t testing.TB, out *outbox, staffList members) *procedure.Service {
	links := func(_ context.Context, tenantID string) (string, *time.Location, error) {
		if tenantID != f.town.ID {
			return "", nil, errors.New("unknown collectivité")
		}
		return "https://ville.test", f.town.Location(), nil
	}
	return procedure.NewService(f.s, staffList, out, links, nil)
}

var team = members{
	{UserID: "agent-scolaire", Email: "scolaire@ville.test", Roles: []account.Role{account.RoleAgent}, Services: []string{"scolaire"}},
	{UserID: "agent-urbanisme", Email: "urbanisme@ville.test", Roles: []account.Role{account.RoleAgent}, Services: []string{"urbanisme"}},
	{UserID: "maire", Email: "maire@ville.test", Roles: []account.Role{account.RoleAdmin}},
	{UserID: "redaction", Email: "redaction@ville.test", Roles: []account.Role{account.RoleEditor}},
}

func addresses(s []sent) []string {
	var to []string
	for _, m := range s {
		to = append(to, m.Template+" "+m.To)
	}
	slices.Sort(to)
	return to
}

// A draft filled page by page, with a block's items added and removed, is
// filed: the resident gets the receipt, the procedure's agents are told.
func TestServiceDraftToFiled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		out := newOutbox(t)
		svc := f.service(t, out, team)
		p := f.procedure(t, schoolForm, procedure.SilenceNone)
		site := procedure.Site{URL: "https://ville.test:8443", Loc: f.town.Location()}
		c, err := svc.Start(ctx, p, procedure.Applicant{UserID: f.userID, Email: "habitante@exemple.fr", Name: "Habitante", Lang: "fr"}, site)
		if err != nil {
			t.Fatal(err)
		}
		if s := out.take(); len(s) != 0 {
			t.Fatalf("an account's draft needs no email: %v", addresses(s))
		}
		form, _ := f.s.Form(ctx, f.town.ID, p.ID, c.Version)
		if err := svc.SaveStep(ctx, c, procedure.Answers{"prenom": {Value: "Anne"}, "nom": {Value: "Durand"}, "cantine": {Value: "non"}}, nil); err != nil {
			t.Fatal(err)
		}
		if c.Applicant != "Anne Durand" {
			t.Fatalf("applicant named %q from the answers", c.Applicant)
		}
		errs, err := svc.CompletePage(ctx, c, form, 0)
		if err != nil || errs != nil || c.Page != 1 {
			t.Fatalf("page 1: %v %v, at page %d", errs, err, c.Page)
		}
		if errs, err := svc.CompletePage(ctx, c, form, 1); err != nil || errs == nil || c.Page != 1 {
			t.Fatalf("an empty block must not pass: %v %v, at page %d", errs, err, c.Page)
		}
		for range 5 {
			if err := svc.AddItem(ctx, c, form, "enfants"); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(c.Answers["enfants"].Items); n != 4 {
			t.Fatalf("a block of at most 4 items has %d", n)
		}
		if err := svc.RemoveItem(ctx, c, form, "enfants", 7); err != nil || len(c.Answers["enfants"].Items) != 4 {
			t.Fatalf("an index out of range removes nothing: %v", err)
		}
		if err := svc.RemoveItem(ctx, c, form, "enfants", 0); err != nil || len(c.Answers["enfants"].Items) != 3 {
			t.Fatalf("remove: %v", err)
		}
		if err := svc.AddItem(ctx, c, form, "nom"); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("a field that is no block: %v", err)
		}
		if err := svc.Submit(ctx, c, p, form, site); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("an incomplete draft must not file: %v", err)
		}
		if s := out.take(); len(s) != 0 {
			t.Fatalf("nothing filed, nothing told: %v", addresses(s))
		}
		ans := complete()
		ans["prenom"] = procedure.Answer{Value: "Anne"}
		if err := svc.SaveStep(ctx, c, ans, nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.Submit(ctx, c, p, form, site); err != nil {
			t.Fatal(err)
		}
		s := out.take()
		if got := addresses(s); !slices.Equal(got, []string{"procedure/new_case maire@ville.test",
			"procedure/new_case scolaire@ville.test", "procedure/receipt habitante@exemple.fr"}) {
			t.Fatalf("filing told %v", got)
		}
		for _, m := range s {
			if m.Template == "procedure/receipt" && !strings.Contains(m.Text, "https://ville.test:8443/dossiers/"+c.ID) {
				t.Fatalf("the receipt links to the site the resident used:\n%s", m.Text)
			}
			if m.Template == "procedure/new_case" && !strings.Contains(m.Text, "https://ville.test:8443/gestion/dossiers/"+c.ID) {
				t.Fatalf("agents get the case's inbox page:\n%s", m.Text)
			}
		}
		// Once assigned, only its agent hears of the resident's message.
		if err := f.s.Assign(ctx, f.town.ID, []string{c.ID}, "agent-urbanisme", "Urbanisme", procedure.Actor{Name: "Maire"}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Case(ctx, f.town.ID, c.ID)
		if err := svc.Reply(ctx, c, p, "Voici le justificatif.", nil, site); err != nil {
			t.Fatal(err)
		}
		if got := addresses(out.take()); !slices.Equal(got, []string{"procedure/message_to_agent urbanisme@ville.test"}) {
			t.Fatalf("message told %v", got)
		}
	})
}

// A guest's draft sends the link that proves their address; the guest's
// name and address are checked first.
func TestServiceGuestStart(t *testing.T) {
	t.Parallel()
	if _, bad := procedure.CheckGuest(" ", "pas-une-adresse", "fr"); !slices.Equal(bad, []string{procedure.GuestName, procedure.GuestEmail}) {
		t.Fatalf("empty name and wrong address: %v", bad)
	}
	if _, bad := procedure.CheckGuest(strings.Repeat("a", 121), "a@exemple.fr", "fr"); !slices.Equal(bad, []string{procedure.GuestName}) {
		t.Fatalf("a name too long: %v", bad)
	}
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		out := newOutbox(t)
		svc := f.service(t, out, team)
		p := f.procedure(t, schoolForm, procedure.SilenceNone)
		p.Anonymous = true
		if err := f.s.UpdateProcedure(ctx, p); err != nil {
			t.Fatal(err)
		}
		guest, bad := procedure.CheckGuest("  Paul Invité ", " paul@exemple.fr ", "en")
		if bad != nil || guest.Name != "Paul Invité" || guest.Email != "paul@exemple.fr" {
			t.Fatalf("guest %+v, refused %v", guest, bad)
		}
		c, err := svc.Start(ctx, p, guest, procedure.Site{URL: "https://ville.test", Loc: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		s := out.take()
		if len(s) != 1 || s[0].Template != "procedure/verify" || s[0].To != "paul@exemple.fr" || s[0].Message.Lang != "en" {
			t.Fatalf("verify email: %+v", s)
		}
		i := strings.Index(s[0].Text, "https://ville.test/dossiers/"+c.ID+"/acces/")
		if i < 0 {
			t.Fatalf("no access link:\n%s", s[0].Text)
		}
		token := strings.Fields(s[0].Text[i+len("https://ville.test/dossiers/"+c.ID+"/acces/"):])[0]
		if _, err := f.s.VerifyEmail(ctx, f.town.ID, c.ID, token); err != nil {
			t.Fatalf("the emailed link opens the draft: %v", err)
		}
	})
}

// The silence run decides the overdue cases and emails each resident the
// decision with the collectivité's links; the retention run warns before
// deleting, then deletes.
func TestServiceSilenceAndRetention(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		out := newOutbox(t)
		svc := f.service(t, out, nil)
		p := f.procedure(t, schoolForm, procedure.SilenceAccord)
		form, _ := f.s.Form(ctx, f.town.ID, p.ID, 1)
		c, err := svc.Create(ctx, p, form, procedure.Applicant{UserID: f.userID, Email: "habitante@exemple.fr", Name: "Habitante", Lang: "fr"},
			complete(), true)
		if err != nil || c.State != procedure.Filed {
			t.Fatalf("create: %v", err)
		}
		if s := out.take(); len(s) != 0 {
			t.Fatalf("the API's filing emails nothing: %v", addresses(s))
		}
		if err := svc.RunSilence(ctx); err != nil {
			t.Fatal(err)
		}
		if s := out.take(); len(s) != 0 {
			t.Fatalf("nothing due, nothing decided: %v", addresses(s))
		}
		f.now = f.now.AddDate(0, 0, 31)
		if err := svc.RunSilence(ctx); err != nil {
			t.Fatal(err)
		}
		s := out.take()
		if len(s) != 1 || s[0].Template != "procedure/decision" || s[0].To != "habitante@exemple.fr" {
			t.Fatalf("silence told %v", addresses(s))
		}
		if !strings.Contains(s[0].Text, "https://ville.test/dossiers/"+c.ID+"/decision.pdf") ||
			!strings.Contains(s[0].Text, "sans décision explicite") {
			t.Fatalf("decision email:\n%s", s[0].Text)
		}
		if c, _ = f.s.Case(ctx, f.town.ID, c.ID); c.State != procedure.Accepted {
			t.Fatalf("silence means approval, state %s", c.State)
		}
		f.now = c.DeleteAfter.AddDate(0, 0, -29)
		if err := svc.RunRetention(ctx); err != nil {
			t.Fatal(err)
		}
		s = out.take()
		if len(s) != 1 || s[0].Template != "procedure/retention" || !strings.Contains(s[0].Text, "https://ville.test/dossiers/"+c.ID) {
			t.Fatalf("retention told %v", addresses(s))
		}
		if _, err := f.s.Case(ctx, f.town.ID, c.ID); err != nil {
			t.Fatalf("warned, not deleted yet: %v", err)
		}
		f.now = c.DeleteAfter.Add(time.Hour)
		if err := svc.RunRetention(ctx); err != nil {
			t.Fatal(err)
		}
		if s := out.take(); len(s) != 0 {
			t.Fatalf("warned once: %v", addresses(s))
		}
		if _, err := f.s.Case(ctx, f.town.ID, c.ID); !errors.Is(err, procedure.ErrNotFound) {
			t.Fatalf("deleted past its date: %v", err)
		}
	})
}
