package appointment_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

func TestConcurrentBookingsNeverDoubleBook(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		const clients = 40
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			won      = map[string]int{}
			conflict int
		)
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := e.s.Book(ctx, e.request("passeport", "09:00", i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won[b.ResourceID]++
				case errors.Is(err, appointment.ErrSlotTaken):
					conflict++
				default:
					t.Errorf("client %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if len(won) != 2 || conflict != clients-2 {
			t.Fatalf("winners per resource %v, %d conflicts; want one winner on each of the 2 counters", won, conflict)
		}
		var units int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_units WHERE tenant_id = ?`, e.tenant.ID).Scan(&units); err != nil {
			t.Fatal(err)
		}
		if units != 8 {
			t.Errorf("%d occupied units, want 8 (two bookings of four 5-minute units)", units)
		}
	})
}

func TestDatabaseRefusesADoubleUnit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		b, err := e.s.Book(ctx, e.request("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		// Even a write that skips the store's checks cannot take the unit.
		_, err = d.Exec(ctx, `INSERT INTO appointment_units (tenant_id, resource_id, unit_start, booking_id) VALUES (?, ?, ?, ?)`,
			e.tenant.ID, b.ResourceID, b.Start.Unix(), "intrus")
		if !db.IsUniqueViolation(err) {
			t.Fatalf("a second row for the same unit: %v, want a unique violation", err)
		}
	})
}

func TestOneActiveBookingPerPersonAndType(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		first, err := e.s.Book(ctx, e.request("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "10:00", 1)); !errors.Is(err, appointment.ErrAlreadyHeld) {
			t.Fatalf("second booking of the same type: %v, want ErrAlreadyHeld", err)
		}
		family := e.request("famille", "10:00", 1)
		family.ANTS = "FAMILLE001" // a number holds one booking
		if _, err := e.s.Book(ctx, family); err != nil {
			t.Fatalf("another type is allowed: %v", err)
		}
		if err := e.s.Cancel(ctx, first, "resident"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "10:40", 1)); err != nil {
			t.Fatalf("after cancelling, booking again: %v", err)
		}
		// Once the appointment is past, it no longer counts.
		e.now = time.Date(2026, 2, 3, 11, 0, 0, 0, e.loc).UTC()
		r := e.request("passeport", "10:00", 1)
		r.Start = r.Start.AddDate(0, 0, 1)
		if _, err := e.s.Book(ctx, r); err != nil {
			t.Fatalf("after the appointment passed: %v", err)
		}
	})
}

func TestFamilyOccupiesTwoStepsAndMoveAndCancel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		day, _ := appointment.ParseDay("2026-02-03")
		r := e.request("famille", "09:00", 1)
		r.ResourceID = e.agenda.Resources[0].ID
		fam, err := e.s.Book(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		slots, _, err := e.s.Free(ctx, e.agenda, e.loc, e.agenda.Type("passeport"), day, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slots[:2] {
			if s.Free != 2 { // only Guichet 2 (bit 1) at 09:00 and 09:20
				t.Errorf("%s free mask %b, want only the second counter", s.Start.In(e.loc).Format("15:04"), s.Free)
			}
		}
		if slots[2].Free != 3 {
			t.Errorf("09:40 should be free on both counters: %b", slots[2].Free)
		}
		// Move to 10:00, then cancel: the .ics sequence grows each time.
		mv := e.request("famille", "10:00", 1)
		if err := e.s.Move(ctx, fam, mv); err != nil {
			t.Fatal(err)
		}
		if fam.Sequence != 1 || fam.Start.In(e.loc).Format("15:04") != "10:00" {
			t.Errorf("moved booking: %+v", fam)
		}
		got, err := e.s.Get(ctx, e.tenant.ID, fam.ID)
		if err != nil || !got.Start.Equal(fam.Start) {
			t.Fatalf("stored move: %+v, %v", got, err)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 2)); err != nil {
			t.Errorf("the old slot is free again: %v", err)
		}
		if err := e.s.Cancel(ctx, got, "resident"); err != nil {
			t.Fatal(err)
		}
		got, _ = e.s.Get(ctx, e.tenant.ID, fam.ID)
		if got.Status != appointment.StatusCancelled || got.Sequence != 2 {
			t.Errorf("cancelled booking: status %s sequence %d", got.Status, got.Sequence)
		}
		if err := e.s.Cancel(ctx, got, "resident"); !errors.Is(err, appointment.ErrNotCancelled) {
			t.Errorf("cancelling twice: %v", err)
		}
	})
}

func TestBookingRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		cases := []struct {
			name  string
			edit  func(r *appointment.Request)
			field string
			err   error
		}{
			{"missing ANTS number", func(r *appointment.Request) { r.ANTS = "" }, "ants", nil},
			{"malformed ANTS number", func(r *appointment.Request) { r.ANTS = "12345" }, "ants", nil},
			{"bad email", func(r *appointment.Request) { r.Email = "pas-une-adresse" }, "email", nil},
			{"no contact", func(r *appointment.Request) { r.Email, r.Phone = "", "" }, "email", nil},
			{"bad phone", func(r *appointment.Request) { r.Phone = "12" }, "phone", nil},
			{"no name", func(r *appointment.Request) { r.Name = " " }, "name", nil},
			{"off the grid", func(r *appointment.Request) { r.Start = r.Start.Add(5 * time.Minute) }, "", appointment.ErrSlotInvalid},
			{"after closing", func(r *appointment.Request) { r.Start = r.Start.Add(3 * time.Hour) }, "", appointment.ErrSlotInvalid},
			{"inside the minimum notice", func(r *appointment.Request) {
				r.Start = time.Date(2026, 2, 2, 9, 0, 0, 0, e.loc)
				e.now = time.Date(2026, 2, 2, 8, 1, 0, 0, e.loc).UTC() // 59 minutes before, notice is one hour
			}, "", appointment.ErrSlotInvalid},
			{"beyond the window", func(r *appointment.Request) { r.Start = r.Start.AddDate(0, 2, 0) }, "", appointment.ErrSlotInvalid},
		}
		for _, c := range cases {
			r := e.request("passeport", "09:00", 7)
			c.edit(r)
			_, err := e.s.Book(ctx, r)
			e.now = time.Date(2026, 2, 2, 8, 0, 0, 0, e.loc).UTC()
			var ge *guichet.Error
			switch {
			case c.err != nil && !errors.Is(err, c.err):
				t.Errorf("%s: %v, want %v", c.name, err, c.err)
			case c.field != "" && (!errors.As(err, &ge) || ge.Fields[c.field] == ""):
				t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
			}
		}
		r := e.request("passeport", "09:00", 7)
		r.ANTS = "ab12-cd34 ef"
		b, err := e.s.Book(ctx, r)
		if err != nil || b.ANTS != "AB12CD34EF" {
			t.Fatalf("normalised ANTS number: %+v %v", b, err)
		}
		byToken, err := e.s.ByToken(ctx, e.tenant.ID, e.s.ManageToken(b))
		if err != nil || byToken.ID != b.ID {
			t.Fatalf("by manage token: %v", err)
		}
		if _, err := e.s.ByToken(ctx, e.tenant.ID, e.s.ManageToken(b)+"x"); !errors.Is(err, appointment.ErrNotFound) {
			t.Errorf("a wrong token: %v", err)
		}
	})
}

// TestMoveOntoItsOwnRange: a booking moved by one step on the same counter
// overlaps its former range, which must not count as busy.
func TestMoveOntoItsOwnRange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		r := e.request("famille", "09:00", 1)
		r.ResourceID = e.agenda.Resources[0].ID
		fam, err := e.s.Book(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		// The other counter is taken at 09:20, so the move can only stay put.
		other := e.request("famille", "09:20", 2)
		other.ResourceID = e.agenda.Resources[1].ID
		if _, err := e.s.Book(ctx, other); err != nil {
			t.Fatal(err)
		}
		mv := e.request("famille", "09:20", 1)
		if err := e.s.Move(ctx, fam, mv); err != nil {
			t.Fatalf("moving 09:00 → 09:20 on the same counter: %v", err)
		}
		if fam.ResourceID != e.agenda.Resources[0].ID || fam.Start.In(e.loc).Format("15:04") != "09:20" {
			t.Errorf("moved booking on %s at %s", fam.ResourceID, fam.Start.In(e.loc).Format("15:04"))
		}
		var units int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_units WHERE tenant_id = ? AND booking_id = ?`,
			e.tenant.ID, fam.ID).Scan(&units); err != nil || units != 8 {
			t.Errorf("%d units held by the moved booking (%v), want 8", units, err)
		}
	})
}

// TestOnePersonRacingThemselves: the same person booking several times at
// once gets one booking; the unique indexes (person and type, ANTS number)
// refuse the others even when every early check passed.
func TestOnePersonRacingThemselves(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		times := []string{"09:00", "09:20", "09:40", "10:00", "10:20", "10:40"}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, held := 0, 0
		for _, hhmm := range times {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := e.s.Book(ctx, e.request("passeport", hhmm, 7))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, appointment.ErrAlreadyHeld), errors.Is(err, appointment.ErrANTSInUse):
					held++ // their pre-application number holds one booking too
				default:
					t.Errorf("%s: %v", hhmm, err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || held != len(times)-1 {
			t.Fatalf("%d bookings and %d refusals, want 1 and %d", won, held, len(times)-1)
		}
	})
}
