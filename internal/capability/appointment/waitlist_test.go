package appointment_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

func TestWaitingListOffersThenPassesOn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		if err := e.q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.q.Stop(context.Background()) })
		typ := e.agenda.Type("passeport")
		for _, who := range []string{"premiere", "seconde"} {
			w := &appointment.Wait{TenantID: e.tenant.ID, AgendaID: e.agenda.ID, TypeID: typ.ID, Name: who,
				Email: who + "@courriel.localhost", Lang: "fr", SiteURL: "http://montclair.localhost"}
			if err := e.s.JoinWaitlist(ctx, w); err != nil {
				t.Fatal(err)
			}
			e.now = e.now.Add(time.Second) // keeps the order of arrival
		}
		b, err := e.s.Book(ctx, e.request("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.Cancel(ctx, b, "resident"); err != nil {
			t.Fatal(err)
		}
		first := e.waitOffer(t, "premiere@courriel.localhost")
		held, err := e.s.ByToken(ctx, e.tenant.ID, first)
		if err != nil || held.Status != appointment.StatusHeld || !held.Start.Equal(b.Start) || held.ResourceID != b.ResourceID {
			t.Fatalf("held booking: %+v %v", held, err)
		}
		// Nobody else can take the held slot on that counter.
		r := e.request("passeport", "09:00", 9)
		r.ResourceID = b.ResourceID
		if _, err := e.s.Book(ctx, r); err == nil {
			t.Fatal("the held slot was booked by someone else")
		}
		// Unanswered in time, the hold passes to the next person.
		e.now = held.HoldUntil.Add(time.Minute)
		if err := e.s.ExpireHold(ctx, e.tenant.ID, held.ID); err != nil {
			t.Fatal(err)
		}
		second := e.waitOffer(t, "seconde@courriel.localhost")
		next, err := e.s.ByToken(ctx, e.tenant.ID, second)
		if err != nil || next.Status != appointment.StatusHeld {
			t.Fatalf("second hold: %+v %v", next, err)
		}
		if err := e.s.AcceptOffer(ctx, next, typ); err != nil {
			t.Fatal(err)
		}
		got, _ := e.s.Get(ctx, e.tenant.ID, next.ID)
		if got.Status != appointment.StatusBooked {
			t.Errorf("accepted offer: status %s", got.Status)
		}
		old, _ := e.s.Get(ctx, e.tenant.ID, held.ID)
		if old.Status != appointment.StatusCancelled {
			t.Errorf("expired hold: status %s", old.Status)
		}
	})
}

// waitOffer waits for the offer email to addr and returns the token of its link.
func (e *env) waitOffer(t *testing.T, addr string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		e.mail.mu.Lock()
		var found *mail.Message
		for i := range e.mail.msgs {
			if m := &e.mail.msgs[i]; m.To == addr && m.Template == "appointment/offer" {
				found = m
			}
		}
		e.mail.mu.Unlock()
		if found != nil {
			u := found.Data["ManageURL"].(string)
			return u[len("http://montclair.localhost/rendez-vous/gerer/"):]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no offer to %s", addr)
	return ""
}
