package council_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/council"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/pdf"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

var sets = []db.Migrations{tenant.Migrations, search.Migrations, council.Migrations}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// outbox keeps the messages the store sends.
type outbox struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (o *outbox) Enqueue(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

func (o *outbox) messages() []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]mail.Message(nil), o.sent...)
}

type env struct {
	s      *council.Store
	clock  *fakeClock
	mail   *outbox
	tenant *tenant.Tenant
	loc    *time.Location
	// Four members in office: the mayor, a deputy, two councillors.
	members []*council.Member
}

// newEnv makes a town with a council of four, the clock on Monday
// 7 December 2026 at 10:00 in Paris.
func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune,
		INSEE: "86990", SIRET: "21869900700017"})
	if err != nil {
		t.Fatal(err)
	}
	storage, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{clock: &fakeClock{now: time.Date(2026, 12, 7, 10, 0, 0, 0, tn.Location()).UTC()}, mail: &outbox{}, tenant: tn,
		loc: tn.Location()}
	e.s = council.NewStore(d, storage, e.mail)
	e.s.Now = e.clock.Now
	e.s.Search.Now = e.clock.Now
	for _, m := range []council.Member{
		{Name: "Claire Vasseur", Role: council.Mayor},
		{Name: "Marc Delorme", Role: council.Deputy, Rank: 1, Delegation: "Finances"},
		{Name: "Inès Haddad", Role: council.Councillor},
		{Name: "Paul Girard", Role: council.Councillor},
	} {
		m.TenantID, m.TermStart = tn.ID, "2026-03-22"
		if err := e.s.SaveMember(ctx, &m); err != nil {
			t.Fatal(err)
		}
		e.members = append(e.members, &m)
	}
	return e
}

// heldSession makes a session on day at 18:30 with one item, everyone
// present.
func (e *env) heldSession(t testing.TB, day string) *council.Session {
	t.Helper()
	ctx := context.Background()
	at, err := time.ParseInLocation("2006-01-02 15:04", day+" 18:30", e.loc)
	if err != nil {
		t.Fatal(err)
	}
	x, err := e.s.CreateSession(ctx, e.tenant.ID, council.SessionInput{StartsAt: at, Place: "Salle du conseil", Kind: "ordinaire",
		PresidentID: e.members[0].ID, SecretaryID: e.members[2].ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.AddItem(ctx, e.tenant.ID, x.ID, council.ItemInput{Title: "Budget primitif 2027", Rapporteur: "Marc Delorme",
		Discussion: "M. Girard demande le détail des investissements."}); err != nil {
		t.Fatal(err)
	}
	marks := map[string]council.Attendance{}
	for _, m := range e.members {
		marks[m.ID] = council.Attendance{Status: council.Present}
	}
	if err := e.s.RecordAttendance(ctx, e.tenant.ID, x.ID, e.loc, marks); err != nil {
		t.Fatal(err)
	}
	x, err = e.s.Session(ctx, e.tenant.ID, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// deliberation returns a valid draft deliberation of x.
func (e *env) deliberation(x *council.Session, number string) *council.Act {
	return &council.Act{TenantID: e.tenant.ID, Kind: council.Deliberation, Number: number, SessionID: x.ID, ItemID: x.Items[0].ID,
		AdoptedOn: x.Day(e.loc), SubjectCode: "7.1", Title: "Adoption du budget primitif 2027",
		Body:    "Le conseil municipal, après en avoir délibéré, adopte le budget primitif 2027 tel que présenté.",
		Outcome: council.Adopted, BudgetYear: "2027", BudgetName: "Budget principal",
		Vote: &council.Vote{InOffice: 4, Voters: 4, For: 3, Against: 1}}
}

// needPDFText skips a test that reads PDFs' text when pdftotext is
// missing, unless the run requires it (scripts/test does).
func needPDFText(t *testing.T) {
	t.Helper()
	if !pdf.Available() && os.Getenv("GUICHET_TEST_REQUIRE_PDFTOTEXT") == "" {
		t.Skip("pdftotext is not installed")
	}
}
