package events_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/events"
	"guichet/internal/publishing"
)

// TestRegistrationsPerDate: each date of a weekly workshop has its own
// seats and waiting list; a cancellation promotes the first person waiting
// for the same date, who keeps the language of their emails.
func TestRegistrationsPerDate(t *testing.T) {
	t.Parallel()
	eachPubDB(t, func(t *testing.T, f *pubFixture) {
		ctx := context.Background()
		start := f.now.Add(48 * time.Hour).Truncate(time.Hour)
		e := &events.Event{TenantID: f.town.ID, Category: "culture", Title: "Atelier couture", Place: "Maison des associations",
			Start: start, End: start.Add(2 * time.Hour), Recurrence: events.RepeatWeekly, Registration: true, Capacity: 1,
			Status: publishing.StatusPublished}
		if err := f.s.Save(ctx, e, f.loc, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		dates := e.OpenDates(f.loc, f.now)
		if len(dates) != 12 || !dates[0].Start.Equal(start) || !dates[1].Start.Equal(start.In(f.loc).AddDate(0, 0, 7)) {
			t.Fatalf("open dates: %d, first %v", len(dates), dates[0].Start)
		}
		register := func(date time.Time, name, email, lang string) (*events.Registration, string, error) {
			return f.s.Register(ctx, f.town.ID, events.RegistrationRequest{Slug: e.Slug, Occurrence: date, Name: name,
				Email: email, Lang: lang, Loc: f.loc})
		}
		second, third := dates[1].Start, dates[2].Start
		a, aToken, err := register(second, "Alice", "alice@exemple.fr", "fr")
		if err != nil || a.Status != events.RegConfirmed || !a.Occurrence.Equal(second) {
			t.Fatalf("Alice: %+v, %v", a, err)
		}
		b, _, err := register(second, "Bob", "bob@exemple.fr", "en")
		if err != nil || b.Status != events.RegWaiting {
			t.Fatalf("Bob on the full date: %+v, %v", b, err)
		}
		c, _, err := register(third, "Chloé", "chloe@exemple.fr", "fr")
		if err != nil || c.Status != events.RegConfirmed {
			t.Fatalf("Chloé on another date: %+v, %v", c, err)
		}
		if again, _, err := register(third, "Alice", "alice@exemple.fr", "fr"); err != nil || again.Status != events.RegWaiting {
			t.Errorf("Alice on the third date, Chloé's seat: %+v, %v; want a place on its waiting list", again, err)
		}
		if _, _, err := register(second, "Alice", "ALICE@exemple.fr", "fr"); fieldErr(err, "email") == "" {
			t.Errorf("the same address twice on one date: %v", err)
		}
		if _, _, err := register(start.Add(time.Hour), "Dan", "dan@exemple.fr", "fr"); fieldErr(err, "date") == "" {
			t.Errorf("a date not offered: %v", err)
		}
		first, _, err := register(time.Time{}, "Eve", "eve@exemple.fr", "fr")
		if err != nil || !first.Occurrence.Equal(start) || first.Status != events.RegConfirmed {
			t.Errorf("no date given: %+v, %v; want the first date", first, err)
		}

		seats, err := f.s.SeatsByDate(ctx, f.town.ID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := seats[second.Unix()]; got != (events.Seats{Taken: 1, Waiting: 1}) {
			t.Errorf("second date: %+v", got)
		}
		if got := seats[third.Unix()]; got != (events.Seats{Taken: 1, Waiting: 1}) {
			t.Errorf("third date: %+v", got)
		}

		promoted, err := f.s.CancelRegistration(ctx, f.town.ID, aToken, f.loc, "")
		if err != nil || promoted == nil || promoted.Email != "bob@exemple.fr" || promoted.Lang != "en" ||
			!promoted.Occurrence.Equal(second) {
			t.Fatalf("promoted after Alice cancelled: %+v, %v", promoted, err)
		}
		seats, _ = f.s.SeatsByDate(ctx, f.town.ID, e.ID)
		if got := seats[second.Unix()]; got != (events.Seats{Taken: 1}) {
			t.Errorf("second date after the cancellation: %+v", got)
		}
		if _, err := f.s.CancelRegistration(ctx, f.other.ID, aToken, f.loc, ""); !errors.Is(err, publishing.ErrNotFound) {
			t.Errorf("another collectivité used the link: %v", err)
		}
	})
}

// fieldErr returns the message err gives for field, or "".
func fieldErr(err error, field string) string {
	var ge *guichet.Error
	if errors.As(err, &ge) {
		return ge.Fields[field]
	}
	return ""
}

// TestRegistrationMails: the store mails a registration's cancellation
// link, and the seat to the person promoted, each in their own language
// and with the date written in the collectivité's zone.
func TestRegistrationMails(t *testing.T) {
	t.Parallel()
	eachPubDB(t, func(t *testing.T, f *pubFixture) {
		ctx := context.Background()
		mails := &recorder{}
		s := events.NewStore(f.s.DB(), mails)
		s.Now = f.s.Now
		start := f.now.Add(48 * time.Hour).Truncate(time.Hour)
		e := &events.Event{TenantID: f.town.ID, Category: "culture", Title: "Atelier vélo", Place: "Garage solidaire",
			Start: start, End: start.Add(90 * time.Minute), Registration: true, Capacity: 1, Status: publishing.StatusPublished}
		if err := s.Save(ctx, e, f.loc, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		const site = "https://ville.exemple.fr"
		register := func(name, email, lang string) string {
			t.Helper()
			_, token, err := s.Register(ctx, f.town.ID, events.RegistrationRequest{Slug: e.Slug, Name: name, Email: email, Lang: lang,
				Loc: f.loc, BaseURL: site})
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		aToken := register("Alice", "alice@exemple.fr", "fr")
		register("Bob", "bob@exemple.fr", "en")
		if len(mails.msgs) != 2 {
			t.Fatalf("%d mails after two registrations", len(mails.msgs))
		}
		date := func(lang string) string { return e.DateText(f.loc, lang, e.OccurrenceAt(start)).Label() }
		for i, want := range []struct {
			to, lang string
			waiting  bool
		}{{"alice@exemple.fr", "fr", false}, {"bob@exemple.fr", "en", true}} {
			m := mails.msgs[i]
			if m.To != want.to || m.Template != "events/registration" || m.Lang != want.lang || m.TenantID != f.town.ID ||
				m.Data["Event"] != e.Title || m.Data["Date"] != date(want.lang) || m.Data["Waiting"] != want.waiting {
				t.Errorf("mail %d: %+v", i, m)
			}
		}
		if got := mails.msgs[0].Data["CancelURL"]; got != site+"/inscriptions/"+aToken {
			t.Errorf("cancellation link %v", got)
		}
		if date("fr") == date("en") || !strings.Contains(date("fr"), start.In(f.loc).Format("15:04")+" – ") {
			t.Errorf("dates %q and %q: want each language's, with the hours in the collectivité's zone", date("fr"), date("en"))
		}

		if _, err := s.CancelRegistration(ctx, f.town.ID, aToken, f.loc, site); err != nil {
			t.Fatal(err)
		}
		if len(mails.msgs) != 3 {
			t.Fatalf("%d mails after the cancellation, want the promoted person's", len(mails.msgs))
		}
		m := mails.msgs[2]
		if m.To != "bob@exemple.fr" || m.Template != "events/registration_promoted" || m.Lang != "en" ||
			m.Data["Date"] != date("en") || m.Data["URL"] != site+e.URL() {
			t.Errorf("promotion mail: %+v", m)
		}
	})
}
