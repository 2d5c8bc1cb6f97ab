package queue_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/kernel/dbtest"
)

// FuzzHandles: whatever a visitor puts in a ticket's or a kiosk's
// address opens nothing but the record it was made for.
func FuzzHandles(f *testing.F) {
	e := newEnv(f, dbtest.Open(f, "sqlite:"+filepath.Join(f.TempDir(), "guichet.db"), sets))
	ctx := context.Background()
	tk := e.take(f, e.etat, queue.Normal)
	k, err := e.s.AddKiosk(ctx, e.site, "Borne du hall", time.Minute)
	if err != nil {
		f.Fatal(err)
	}
	ticket, kiosk := e.s.TicketHandle(tk), e.s.KioskHandle(k)
	for _, seed := range []string{ticket, kiosk, tk.ID + ".", "." + ticket, strings.ToUpper(ticket), ticket[:len(ticket)-1], "", "..", tk.ID + "." + strings.Repeat("A", 300)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if got, err := e.s.TicketByHandle(ctx, e.tenant.ID, h); err == nil && (h != ticket || got.ID != tk.ID) {
			t.Fatalf("%q opened ticket %s", h, got.ID)
		} else if err != nil && !errors.Is(err, queue.ErrTicketNotFound) {
			t.Fatalf("%q: %v", h, err)
		}
		if got, err := e.s.KioskByHandle(ctx, e.tenant.ID, h); err == nil && (h != kiosk || got.ID != k.ID) {
			t.Fatalf("%q opened kiosk %s", h, got.ID)
		}
	})
}
