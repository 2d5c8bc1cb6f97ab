package mail_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mailtest"
)

// The delivery job of one message run twice, the second while the first
// is still talking to the SMTP server (as when the queue rescues a job it
// thinks stuck): the message is delivered once.
func TestDeliveryJobRunTwiceSendsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL)
		ctx := context.Background()
		e.enqueue(t, "camille@example.org", "fr")
		m := e.entry(t, "camille@example.org")

		release := srv.Stall()
		defer release()
		first := make(chan error, 1)
		go func() { first <- e.o.DeliverNow(ctx, e.tenant.ID, m.ID) }()
		eventually(t, "the first run to reach the server", func() bool { return srv.Stalled() == 1 })
		second := make(chan error, 1)
		go func() { second <- e.o.DeliverNow(ctx, e.tenant.ID, m.ID) }()
		var secondErr error
		secondDone := false
		eventually(t, "the second run to return or reach the server", func() bool {
			select {
			case secondErr = <-second:
				secondDone = true
				return true
			default:
				return srv.Stalled() > 1
			}
		})
		if secondDone && secondErr == nil {
			t.Error("the second run returned no error while the first was sending: the queue would not try it again")
		}
		release()
		if err := <-first; err != nil {
			t.Fatalf("first run: %v", err)
		}
		if !secondDone {
			<-second
		}
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("%d deliveries, want 1", n)
		}
		// A later run (the queue's retry of the second) sends nothing.
		if err := e.o.DeliverNow(ctx, e.tenant.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if n, m := len(srv.Messages()), e.entry(t, "camille@example.org"); n != 1 || m.Status != mail.StatusSent || m.Attempts != 1 {
			t.Fatalf("after a third run: %d deliveries, status %s, %d attempts", n, m.Status, m.Attempts)
		}
	})
}

// A message left "sending" by a process that died is not sent again by
// the rescued job: it may have reached the recipient. A fresh claim is
// another attempt still running: the job waits.
func TestRescuedJobDoesNotResendInterruptedMessage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL)
		ctx := context.Background()
		now := time.Now().UTC()
		e.o.Now = func() time.Time { return now }
		e.enqueue(t, "camille@example.org", "fr")
		m := e.entry(t, "camille@example.org")
		if _, err := d.Exec(ctx, `UPDATE outbox SET status = ?, sending_at = ?, attempts = 1 WHERE id = ?`,
			mail.StatusSending, now.Add(-30*time.Second), m.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.o.DeliverNow(ctx, e.tenant.ID, m.ID); err == nil {
			t.Fatal("a run during another's attempt succeeded: the queue would not come back to it")
		}
		if got := e.entry(t, "camille@example.org"); got.Status != mail.StatusSending {
			t.Fatalf("status %s, want sending", got.Status)
		}
		now = now.Add(5 * time.Minute)
		if err := e.o.DeliverNow(ctx, e.tenant.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		got := e.entry(t, "camille@example.org")
		if got.Status != mail.StatusInterrupted || got.LastError == "" || len(srv.Messages()) != 0 {
			t.Fatalf("status %s (%q), %d deliveries; want interrupted and none", got.Status, got.LastError, len(srv.Messages()))
		}
	})
}
