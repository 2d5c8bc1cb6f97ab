package queue_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

// outbox records what the store mails.
type outbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (o *outbox) Enqueue(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

func (o *outbox) sent() []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]mail.Message(nil), o.msgs...)
}

// TestRemoteTicketIsToldOnceWhenItsTurnIsNear: a remote ticket with an
// address gets one email once fewer than the site's NearTurn people are
// before it, in its language, with its live link.
func TestRemoteTicketIsToldOnceWhenItsTurnIsNear(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		box := &outbox{}
		e.s.Mail = box
		e.s.SiteURL = func(context.Context, string) (string, error) { return "https://montclair.example", nil }
		for range 4 {
			e.take(t, e.etat, queue.Normal)
		}
		mine, err := e.s.Take(ctx, queue.TakeInput{Site: e.site, ServiceID: e.etat.ID, Source: queue.FromPhone,
			Email: "visiteuse@courriel.example", Lang: "en", Loc: e.loc})
		if err != nil {
			t.Fatal(err)
		}
		e.open(t, e.g1, alice, e.etat)
		calls := 0
		for len(box.sent()) == 0 && calls < 5 {
			if _, err := e.s.CallNext(ctx, e.site, e.g1.ID, alice); err != nil {
				t.Fatal(err)
			}
			calls++
		}
		// Four before it: told after the second call (two left, under 3).
		if calls != 2 {
			t.Fatalf("told after %d calls, want 2", calls)
		}
		m := box.sent()[0]
		if m.To != "visiteuse@courriel.example" || m.Template != "queue/near" || m.Lang != "en" || m.Data["Label"] != mine.Label ||
			!strings.HasPrefix(m.Data["TicketURL"].(string), "https://montclair.example/ticket/"+mine.ID+".") {
			t.Fatalf("mail %+v", m)
		}
		for range 2 {
			if _, err := e.s.CallNext(ctx, e.site, e.g1.ID, alice); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(box.sent()); n != 1 {
			t.Fatalf("%d mails, want one", n)
		}
		// A cancellation ahead moves the next phone up, into the near turn.
		var ahead []*queue.Ticket
		for range 3 {
			ahead = append(ahead, e.take(t, e.etat, queue.Normal))
		}
		// Four before it: the first phone's ticket and these three.
		if _, err := e.s.Take(ctx, queue.TakeInput{Site: e.site, ServiceID: e.etat.ID, Source: queue.FromPhone,
			Email: "retardataire@courriel.example", Loc: e.loc}); err != nil {
			t.Fatal(err)
		}
		if n := len(box.sent()); n != 1 {
			t.Fatalf("%d mails before the cancellation, want one", n)
		}
		for _, tk := range ahead[:2] {
			if err := e.s.Cancel(ctx, e.site, tk); err != nil {
				t.Fatal(err)
			}
		}
		if got := box.sent(); len(got) != 2 || got[1].To != "retardataire@courriel.example" {
			t.Fatalf("after the cancellations: %d mails", len(got))
		}
	})
}

// TestTicketAddressesAreExportedErasedAndForgotten: a person's address on
// tickets is in their export, goes with their erasure, and is forgotten
// by the retention rule the next day; the anonymous tickets stay.
func TestTicketAddressesAreExportedErasedAndForgotten(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		take := func(email string) {
			if _, err := e.s.Take(ctx, queue.TakeInput{Site: e.site, ServiceID: e.etat.ID, Source: queue.FromPhone, Email: email, Loc: e.loc}); err != nil {
				t.Fatal(err)
			}
		}
		take("Camille@Courriel.example")
		take("autre@courriel.example")
		p := account.Person{TenantID: e.tenant.ID, Email: "camille@courriel.example"}
		got, err := e.s.Export(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(fmtAny(got)), "camille@courriel.example") || strings.Contains(fmtAny(got), "autre@") {
			t.Fatalf("export %v", got)
		}
		if err := e.s.Erase(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Export(ctx, p); fmtAny(got) != "[]" {
			t.Fatalf("after erasure the export holds %v", got)
		}
		e.clock.Add(25 * time.Hour)
		if n, err := e.s.ForgetEmails(ctx); err != nil || n != 1 {
			t.Fatalf("retention forgot %d addresses (%v), want the other one", n, err)
		}
		var tickets, addresses int
		if err := d.QueryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN email <> '' THEN 1 ELSE 0 END) FROM queue_tickets`).Scan(&tickets, &addresses); err != nil ||
			tickets != 2 || addresses != 0 {
			t.Fatalf("%d tickets, %d addresses (%v)", tickets, addresses, err)
		}
	})
}

func fmtAny(v any) string { return fmt.Sprint(v) }
