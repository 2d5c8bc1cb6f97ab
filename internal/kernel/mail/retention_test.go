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

// TestOldMessagesLeaveTheOutbox: a message one day inside RetentionDays
// stays, one a day past goes, whatever its status.
func TestOldMessagesLeaveTheOutbox(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		day0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		at := func(daysAgo int) { e.o.Now = func() time.Time { return day0.AddDate(0, 0, -daysAgo) } }
		at(mail.RetentionDays - 1)
		e.enqueue(t, "dedans@exemple.fr", "fr")
		at(mail.RetentionDays + 1)
		e.enqueue(t, "dehors@exemple.fr", "fr")
		at(0)
		n, err := e.o.PurgeOld(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		e.entry(t, "dedans@exemple.fr")
		list, _, err := e.o.List(context.Background(), e.tenant.ID, 0, 100)
		if err != nil || len(list) != 1 {
			t.Errorf("outbox holds %d messages (%v), want the recent one only", len(list), err)
		}
	})
}

// TestErasingARecipientDeletesTheirMessages: erasure deletes the messages
// to an address, in any case of letters, and only on its collectivité.
func TestErasingARecipientDeletesTheirMessages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		e.enqueue(t, "Camille@Exemple.fr", "fr")
		e.enqueue(t, "autre@exemple.fr", "fr")
		if err := e.o.EraseRecipient(context.Background(), "autre-collectivite", "camille@exemple.fr"); err != nil {
			t.Fatal(err)
		}
		e.entry(t, "Camille@Exemple.fr")
		if err := e.o.EraseRecipient(context.Background(), e.tenant.ID, "camille@exemple.fr"); err != nil {
			t.Fatal(err)
		}
		list, _, err := e.o.List(context.Background(), e.tenant.ID, 0, 100)
		if err != nil || len(list) != 1 || list[0].To != "autre@exemple.fr" {
			t.Errorf("outbox after erasure: %d messages, %v", len(list), err)
		}
	})
}

// TestErasureLeavesQueuedMessagesToBeSent: a message still waiting for
// delivery is sent first; erasure takes only what left or is held.
func TestErasureLeavesQueuedMessagesToBeSent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL) // the queue is not started: the message stays queued
		e.enqueue(t, "camille@exemple.fr", "fr")
		if err := e.o.EraseRecipient(context.Background(), e.tenant.ID, "camille@exemple.fr"); err != nil {
			t.Fatal(err)
		}
		if m := e.entry(t, "camille@exemple.fr"); m.Status != mail.StatusQueued {
			t.Errorf("status %s", m.Status)
		}
	})
}
