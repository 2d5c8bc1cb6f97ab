package appointment_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

// TestGuestBookingWaitsForItsEmailedConfirmation: a guest's booking is
// pending, with a hold of the agenda's confirmation time; the email asks
// to confirm it by a code that the manage link does not carry; once
// confirmed, it is booked and its confirmation email follows.
func TestGuestBookingWaitsForItsEmailedConfirmation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		if err := e.q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.q.Stop(context.Background()) })
		b, err := e.s.Book(ctx, e.guest("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != appointment.StatusPending || !b.Guest || b.HoldUntil == nil ||
			!b.HoldUntil.Equal(e.now.Add(appointment.DefaultConfirmHold)) {
			t.Fatalf("guest booking: status %s, guest %v, hold %v", b.Status, b.Guest, b.HoldUntil)
		}
		hold := e.waitMail(t, "personne1@courriel.localhost", "appointment/hold")
		link := hold.Data["ConfirmURL"].(string)
		if !strings.HasSuffix(link, "/rendez-vous/gerer/"+e.s.ManageToken(b)+"/confirmer/"+e.s.ConfirmCode(b)) {
			t.Errorf("confirmation link %q", link)
		}
		if n := notifyJobs(t, d, b.ID, appointment.EventConfirmed); n != 0 {
			t.Errorf("%d confirmation jobs before the guest confirmed", n)
		}

		for _, code := range []string{"", e.s.ManageToken(b), strings.Repeat("x", 43)} {
			if err := e.s.ConfirmHold(ctx, b, code); !errors.Is(err, appointment.ErrNotFound) {
				t.Errorf("confirming with %q: %v, want not found", code, err)
			}
		}
		if err := e.s.ConfirmHold(ctx, b, e.s.ConfirmCode(b)); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Get(ctx, e.tenant.ID, b.ID)
		if err != nil || got.Status != appointment.StatusBooked || got.HoldUntil != nil || !got.Guest {
			t.Fatalf("confirmed: %+v %v", got, err)
		}
		if err := e.s.ConfirmHold(ctx, got, e.s.ConfirmCode(got)); err != nil {
			t.Errorf("confirming twice: %v", err)
		}
		e.waitMail(t, "personne1@courriel.localhost", "appointment/confirmed")
		if n := notifyJobs(t, d, b.ID, appointment.EventConfirmed); n != 1 {
			t.Errorf("%d confirmation jobs, want 1", n)
		}

		// A resident whose address is verified books at once.
		r, err := e.s.Book(ctx, e.request("passeport", "09:20", 2))
		if err != nil || r.Status != appointment.StatusBooked || r.HoldUntil != nil || r.Guest {
			t.Fatalf("verified resident: %+v %v", r, err)
		}
	})
}

// TestUnconfirmedHoldsEnd: once a hold's time is up, its slot is offered
// and can be booked at once, before the sweep; the sweep then cancels
// what is left, and the guest can no longer confirm.
func TestUnconfirmedHoldsEnd(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		day, _ := appointment.ParseDay("2026-02-03")
		free := func() int {
			t.Helper()
			slots, _, err := e.s.Free(ctx, e.agenda, e.loc, e.agenda.Type("passeport"), day, day)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range slots {
				if s.Start.In(e.loc).Format("15:04") == "09:00" {
					return s.FreeCount()
				}
			}
			return 0
		}
		first, err := e.s.Book(ctx, e.guest("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.s.Book(ctx, e.guest("passeport", "09:00", 2))
		if err != nil {
			t.Fatal(err)
		}
		if n := free(); n != 0 {
			t.Fatalf("09:00 held twice, still %d places", n)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 3)); !errors.Is(err, appointment.ErrSlotTaken) {
			t.Fatalf("booking a held time: %v, want taken", err)
		}

		e.now = first.HoldUntil.Add(time.Second)
		if n := free(); n != 2 {
			t.Errorf("after the holds ended, 09:00 has %d places, want 2", n)
		}
		if err := e.s.ConfirmHold(ctx, first, e.s.ConfirmCode(first)); !errors.Is(err, appointment.ErrHoldExpired) {
			t.Errorf("confirming too late: %v, want expired", err)
		}
		won, err := e.s.Book(ctx, e.request("passeport", "09:00", 3))
		if err != nil {
			t.Fatalf("booking a time whose hold ended: %v", err)
		}
		if err := e.s.ReleaseEndedHolds(ctx); err != nil {
			t.Fatal(err)
		}
		for _, b := range []*appointment.Booking{first, second} {
			got, _ := e.s.Get(ctx, e.tenant.ID, b.ID)
			if got.Status != appointment.StatusCancelled {
				t.Errorf("ended hold %s: status %s", got.Name, got.Status)
			}
		}
		var units int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_units WHERE tenant_id = ? AND booking_id <> ?`,
			e.tenant.ID, won.ID).Scan(&units); err != nil || units != 0 {
			t.Errorf("%d units left to ended holds (%v)", units, err)
		}
		// The guest may book again, with the same number.
		again := e.guest("passeport", "10:00", 1)
		if _, err := e.s.Book(ctx, again); err != nil {
			t.Errorf("the guest books again: %v", err)
		}
	})
}

// TestGuestsPerDay: guests take at most GuestsPerDay bookings of an agenda
// on one day; verified residents, other days and ended holds are apart.
func TestGuestsPerDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.agenda.GuestsPerDay = 2
		if err := e.s.UpdateSettings(ctx, e.agenda); err != nil {
			t.Fatal(err)
		}
		first, err := e.s.Book(ctx, e.guest("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.guest("passeport", "09:20", 2)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.guest("passeport", "09:40", 3)); !errors.Is(err, appointment.ErrGuestLimit) {
			t.Fatalf("a third guest the same day: %v, want the guests' limit", err)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "09:40", 4)); err != nil {
			t.Errorf("a verified resident: %v", err)
		}
		next := e.guest("passeport", "09:40", 3)
		next.Start = next.Start.AddDate(0, 0, 1)
		if _, err := e.s.Book(ctx, next); err != nil {
			t.Errorf("a guest on the next day: %v", err)
		}
		if err := e.s.Cancel(ctx, first, "resident"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.guest("passeport", "10:00", 5)); err != nil {
			t.Errorf("a guest once another cancelled: %v", err)
		}
		if _, err := e.s.Book(ctx, e.guest("passeport", "10:20", 6)); !errors.Is(err, appointment.ErrGuestLimit) {
			t.Errorf("over the limit again: %v", err)
		}
		e.now = e.now.Add(appointment.DefaultConfirmHold + time.Second)
		if _, err := e.s.Book(ctx, e.guest("passeport", "10:20", 6)); err != nil {
			t.Errorf("a guest once the holds ended: %v", err)
		}
		e.agenda.GuestsPerDay = 0
		if err := e.s.UpdateSettings(ctx, e.agenda); err == nil {
			t.Error("a limit of 0 guests per day was accepted")
		}
	})
}

// TestANTSNumberHoldsOneBooking: a pre-application number, however
// written, holds one active booking of the collectivité, whatever its
// type; a cancelled or past booking gives it back.
func TestANTSNumberHoldsOneBooking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		r := e.request("passeport", "09:00", 1)
		r.ANTS = "ab12 cd34-ef"
		b, err := e.s.Book(ctx, r)
		if err != nil || b.ANTS != "AB12CD34EF" {
			t.Fatalf("booked %+v, %v", b, err)
		}
		other := e.request("famille", "10:00", 2)
		other.ANTS = "AB12CD34EF"
		if _, err := e.s.Book(ctx, other); !errors.Is(err, appointment.ErrANTSInUse) {
			t.Fatalf("the same number for someone else: %v, want refused", err)
		}
		held := e.guest("passeport", "11:00", 3)
		held.ANTS = " ab12cd34ef "
		if _, err := e.s.Book(ctx, held); !errors.Is(err, appointment.ErrANTSInUse) {
			t.Fatalf("the same number for a guest: %v, want refused", err)
		}
		if err := e.s.Cancel(ctx, b, "resident"); err != nil {
			t.Fatal(err)
		}
		guest, err := e.s.Book(ctx, held)
		if err != nil {
			t.Fatalf("the number once its booking is cancelled: %v", err)
		}
		// Held by a guest's pending booking too, until its hold ends.
		if _, err := e.s.Book(ctx, other); !errors.Is(err, appointment.ErrANTSInUse) {
			t.Fatalf("a number held by a pending booking: %v, want refused", err)
		}
		e.now = guest.HoldUntil.Add(time.Second)
		if _, err := e.s.Book(ctx, other); err != nil {
			t.Fatalf("the number once the hold ended: %v", err)
		}
		// Once the appointment is past, the number is free again.
		e.now = time.Date(2026, 2, 3, 11, 0, 0, 0, e.loc).UTC()
		late := e.request("passeport", "10:00", 4)
		late.ANTS, late.Start = "AB12CD34EF", late.Start.AddDate(0, 0, 1)
		if _, err := e.s.Book(ctx, late); err != nil {
			t.Errorf("the number once its appointment passed: %v", err)
		}
	})
}

func TestScopeAllows(t *testing.T) {
	t.Parallel()
	civil := &appointment.Agenda{ServiceKey: "etat-civil"}
	cases := []struct {
		scope appointment.Scope
		want  bool
	}{
		{appointment.Scope{All: true}, true},
		{appointment.Scope{Services: []string{"etat-civil"}}, true},
		{appointment.Scope{Services: []string{"accueil", "etat-civil"}}, true},
		{appointment.Scope{Services: []string{"urbanisme"}}, false},
		{appointment.Scope{}, false},
	}
	for _, c := range cases {
		if got := c.scope.Allows(civil); got != c.want {
			t.Errorf("%+v allows the état civil agenda: %v, want %v", c.scope, got, c.want)
		}
	}
	if (appointment.Scope{Services: []string{""}}).Allows(&appointment.Agenda{}) {
		t.Error("an agenda without service is allowed to an agent")
	}
}

// waitMail waits for the email of template to addr.
func (e *env) waitMail(t *testing.T, addr, template string) *mail.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		e.mail.mu.Lock()
		for i := range e.mail.msgs {
			if m := e.mail.msgs[i]; m.To == addr && m.Template == template {
				e.mail.mu.Unlock()
				return &m
			}
		}
		e.mail.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s email to %s", template, addr)
	return nil
}

// TestFiguresLeaveOutHoldsNeverConfirmed: a guest's booking released
// unconfirmed, or still pending, is no appointment in the figures; one
// confirmed then cancelled is a cancellation.
func TestFiguresLeaveOutHoldsNeverConfirmed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 1)); err != nil {
			t.Fatal(err)
		}
		confirmed, err := e.s.Book(ctx, e.guest("passeport", "09:20", 2))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.ConfirmHold(ctx, confirmed, e.s.ConfirmCode(confirmed)); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Cancel(ctx, confirmed, "resident"); err != nil {
			t.Fatal(err)
		}
		released, err := e.s.Book(ctx, e.guest("passeport", "09:40", 3))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.guest("passeport", "10:00", 4)); err != nil {
			t.Fatal(err)
		}
		e.now = released.HoldUntil.Add(time.Second)
		if err := e.s.ReleaseEndedHolds(ctx); err != nil {
			t.Fatal(err)
		}
		f, err := e.s.Figures(ctx, e.agenda, e.now.Add(-48*time.Hour), e.now.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if f.Bookings != 2 || f.Cancellations != 1 || f.ByOrigin["guest"] != 0 || f.ByOrigin["resident"] != 1 {
			t.Errorf("figures: %d bookings, %d cancellations, by origin %v; want 2, 1, one resident", f.Bookings,
				f.Cancellations, f.ByOrigin)
		}
	})
}

// TestHoldSweepRunsWithTheQueue: the periodic sweep, run by the job queue
// (at its start, then every HoldSweepEvery), cancels an ended hold.
func TestHoldSweepRunsWithTheQueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		b, err := e.s.Book(ctx, e.guest("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		e.now = b.HoldUntil.Add(time.Second)
		if err := e.q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.q.Stop(context.Background()) })
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, err := e.s.Get(ctx, e.tenant.ID, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == appointment.StatusCancelled {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the ended hold is still %s", got.Status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
