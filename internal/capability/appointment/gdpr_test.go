package appointment_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestOldBookingsLoseTheirPerson: a booking keeps its person until
// BookingDays after its date (or its cancellation) and loses name,
// address, phone and ANTS number one day later; the row stays.
func TestOldBookingsLoseTheirPerson(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		past, err := e.s.Book(ctx, e.request("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		later := func(n int) *appointment.Request {
			r := e.request("passeport", "09:00", n)
			r.Start = r.Start.AddDate(0, 0, 28) // 3 March
			return r
		}
		cancelled, err := e.s.Book(ctx, later(2))
		if err != nil {
			t.Fatal(err)
		}
		e.now = past.Start.Add(-30 * time.Minute) // cancelled on the first one's day
		if err := e.s.Cancel(ctx, cancelled, "resident"); err != nil {
			t.Fatal(err)
		}
		r := later(3)
		r.Start = r.Start.Add(20 * time.Minute)
		coming, err := e.s.Book(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		e.now = past.Start.AddDate(0, 0, appointment.BookingDays-1)
		if n, err := e.s.AnonymiseOld(ctx); err != nil || n != 0 {
			t.Fatalf("one day inside the period: %d anonymised, %v", n, err)
		}
		e.now = past.Start.AddDate(0, 0, appointment.BookingDays+1)
		if n, err := e.s.AnonymiseOld(ctx); err != nil || n != 2 {
			t.Fatalf("one day past the period: %d anonymised, %v; want 2", n, err)
		}
		for _, b := range []*appointment.Booking{past, cancelled} {
			got, err := e.s.Get(ctx, e.tenant.ID, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "" || got.Email != "" || got.Phone != "" || got.ANTS != "" || got.Reference != b.Reference {
				t.Errorf("booking %s after retention: %+v", b.Reference, got)
			}
		}
		if got, _ := e.s.Get(ctx, e.tenant.ID, coming.ID); got.Name == "" || got.ANTS == "" {
			t.Errorf("a booking whose period runs lost its person: %+v", got)
		}
	})
}

// TestOldWaitingEntriesGo: a waiting-list entry unchanged for one day
// less than WaitlistDays stays, one unchanged a day longer goes.
func TestOldWaitingEntriesGo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		start := e.now
		join := func(email string) {
			if err := e.s.JoinWaitlist(ctx, &appointment.Wait{TenantID: e.tenant.ID, AgendaID: e.agenda.ID,
				TypeID: e.agenda.Type("passeport").ID, Name: "Personne", Email: email, Lang: "fr"}); err != nil {
				t.Fatal(err)
			}
		}
		join("ancienne@courriel.localhost")
		e.now = start.AddDate(0, 0, 2)
		join("recente@courriel.localhost")
		e.now = start.AddDate(0, 0, appointment.WaitlistDays+1)
		if n, err := e.s.PurgeWaitlist(ctx); err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		var left string
		if err := d.QueryRow(ctx, `SELECT email FROM appointment_waitlist`).Scan(&left); err != nil || left != "recente@courriel.localhost" {
			t.Errorf("left %q, %v", left, err)
		}
	})
}

// TestPersonsBookingsByAccountAndProvenAddress: a person's export and
// erasure find the bookings of their account and those taken as a guest
// with their address, and nobody else's; erasure cancels those to come.
func TestPersonsBookingsByAccountAndProvenAddress(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		if err := e.q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.q.Stop(context.Background()) })
		mine := e.request("passeport", "09:00", 1)
		mine.UserID = "compte-1"
		guest := e.request("famille", "10:00", 1)
		guest.Email = "Personne1@Courriel.localhost"
		guest.ANTS = "AB12CD9001" // a number holds one booking at a time
		other := e.request("passeport", "09:20", 2)
		var booked []*appointment.Booking
		for _, r := range []*appointment.Request{mine, guest, other} {
			b, err := e.s.Book(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			booked = append(booked, b)
		}
		p := account.Person{TenantID: e.tenant.ID, UserID: "compte-1", Email: "personne1@courriel.localhost"}
		data, err := e.s.Export(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(data)
		if !strings.Contains(string(body), booked[0].Reference) || !strings.Contains(string(body), booked[1].Reference) ||
			strings.Contains(string(body), booked[2].Reference) {
			t.Errorf("export: %s", body)
		}
		// Unproven, the address finds nothing: only the account's booking.
		data, _ = e.s.Export(ctx, account.Person{TenantID: e.tenant.ID, UserID: "compte-1"})
		if body, _ := json.Marshal(data); strings.Contains(string(body), booked[1].Reference) {
			t.Errorf("an unproven address found the guest booking: %s", body)
		}
		if err := e.s.Erase(ctx, p); err != nil {
			t.Fatal(err)
		}
		for i, b := range booked {
			got, err := e.s.Get(ctx, e.tenant.ID, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			erased := got.Status == appointment.StatusCancelled && got.Name == "" && got.Email == "" && got.ANTS == ""
			if erased != (i < 2) {
				t.Errorf("booking %d after erasure: %+v", i, got)
			}
		}
		free, _, err := e.s.Free(ctx, e.agenda, e.loc, e.agenda.Type("passeport"), appointment.DayOf(booked[0].Start, e.loc),
			appointment.DayOf(booked[0].Start, e.loc))
		// Both counters are free again at 09:00.
		if err != nil || len(free) == 0 || !free[0].Start.Equal(booked[0].Start) || free[0].Free&3 != 3 {
			t.Errorf("the erased booking's slot is not free again: %+v, %v", free, err)
		}
	})
}
