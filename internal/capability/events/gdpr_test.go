package events_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// recorder keeps what the store mails.
type recorder struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (r *recorder) Enqueue(_ context.Context, m mail.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return nil
}

// gdprFixture is an events store that mails to a recorder, on a fixed clock.
type gdprFixture struct {
	*pubFixture
	d    *db.DB
	mail *recorder
}

func eachGDPR(t *testing.T, fn func(t *testing.T, f *gdprFixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}, func(t *testing.T, d *db.DB) {
		f := &gdprFixture{pubFixture: newPubFixture(t, d), d: d, mail: &recorder{}}
		f.s = events.NewStore(d, f.mail)
		f.now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		f.s.Now = func() time.Time { return f.now }
		fn(t, f)
	})
}

// workshop publishes a weekly workshop of capacity seats starting in two days.
func (f *gdprFixture) workshop(t *testing.T, capacity int) *events.Event {
	t.Helper()
	start := f.now.Add(48 * time.Hour)
	e := &events.Event{TenantID: f.town.ID, Category: "culture", Title: "Atelier couture", Place: "Maison des associations",
		Start: start, End: start.Add(2 * time.Hour), Recurrence: events.RepeatWeekly, Registration: true, Capacity: capacity,
		Status: publishing.StatusPublished}
	if err := f.s.Save(context.Background(), e, f.loc, "Rédaction", "published"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (f *gdprFixture) register(t *testing.T, e *events.Event, date time.Time, name, email string) *events.Registration {
	t.Helper()
	r, _, err := f.s.Register(context.Background(), f.town.ID, events.RegistrationRequest{Slug: e.Slug, Occurrence: date,
		Name: name, Email: email, Lang: "fr", Loc: f.loc})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *gdprFixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOldRegistrationsGo: a registration stays until RegistrationDays
// after its date and goes one day later.
func TestOldRegistrationsGo(t *testing.T) {
	t.Parallel()
	eachGDPR(t, func(t *testing.T, f *gdprFixture) {
		ctx := context.Background()
		e := f.workshop(t, 5)
		dates := e.OpenDates(f.loc, f.now)
		first, second := dates[0].Start, dates[1].Start
		f.register(t, e, first, "Alice", "alice@exemple.fr")
		f.register(t, e, second, "Bob", "bob@exemple.fr")
		f.now = first.AddDate(0, 0, events.RegistrationDays-1)
		if n, err := f.s.PurgeRegistrations(ctx); err != nil || n != 0 {
			t.Fatalf("one day inside the period: %d purged, %v", n, err)
		}
		f.now = first.AddDate(0, 0, events.RegistrationDays+1)
		if n, err := f.s.PurgeRegistrations(ctx); err != nil || n != 1 {
			t.Fatalf("one day past the first date's period: %d purged, %v; want 1", n, err)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM content_registrations WHERE email = ?`, "bob@exemple.fr"); n != 1 {
			t.Errorf("the registration to the later date went too")
		}
	})
}

// TestErasurePassesSeatsOn: erasing a person withdraws their
// registration (the next person gets the seat and an email) and touches
// nobody else's. Their questions are the
// questions capability's (TestErasureKeepsPublishedAnswers there).
func TestErasurePassesSeatsOn(t *testing.T) {
	t.Parallel()
	eachGDPR(t, func(t *testing.T, f *gdprFixture) {
		ctx := context.Background()
		e := f.workshop(t, 1)
		first := e.OpenDates(f.loc, f.now)[0].Start
		f.register(t, e, first, "Alice", "Alice@Exemple.fr")
		f.register(t, e, first, "Bob", "bob@exemple.fr")
		alice := account.Person{TenantID: f.town.ID, UserID: "compte-alice", Email: "alice@exemple.fr",
			SiteURL: "http://ville.localhost", Loc: f.loc}
		export := func() string {
			data, err := f.s.ExportRegistrations(ctx, alice)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(data)
			return string(b)
		}
		before := export()
		if !strings.Contains(before, "Atelier couture") {
			t.Errorf("the export lacks the registration:\n%s", before)
		}
		if strings.Contains(before, "bob@exemple.fr") {
			t.Errorf("the export holds another person's records:\n%s", before)
		}
		f.mail.msgs = nil
		if err := f.s.Erase(ctx, alice); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM content_registrations WHERE LOWER(email) = ?`, "alice@exemple.fr"); n != 0 {
			t.Errorf("%d registrations of the erased person stay", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM content_registrations WHERE email = ? AND status = ?`, "bob@exemple.fr", events.RegConfirmed); n != 1 {
			t.Errorf("the next person did not get the seat")
		}
		if len(f.mail.msgs) != 1 || f.mail.msgs[0].To != "bob@exemple.fr" || f.mail.msgs[0].Template != "events/registration_promoted" ||
			f.mail.msgs[0].Data["URL"] != "http://ville.localhost"+e.URL() {
			t.Errorf("mail after the erasure: %+v", f.mail.msgs)
		}
		if after := export(); strings.Contains(after, "Atelier") {
			t.Errorf("the export still finds the erased person's records:\n%s", after)
		}
	})
}
