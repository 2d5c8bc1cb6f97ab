package appointment_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
)

// What a guest, or a signed-in resident, must give to book online.
func TestOnlineRequest(t *testing.T) {
	t.Parallel()
	a, typ := &appointment.Agenda{}, &appointment.Type{}
	start := time.Date(2026, 2, 3, 9, 0, 0, 0, time.UTC)
	verified := &appointment.Booker{UserID: "u1", Email: "anne@exemple.fr", EmailVerified: true}
	for _, tc := range []struct {
		name     string
		c        appointment.Contact
		by       *appointment.Booker
		bad      []string
		email    string
		held     bool // waits for the emailed confirmation
		bookedBy string
	}{
		{name: "a guest gives an email and a phone", c: appointment.Contact{Name: "Paul", Email: " paul@exemple.fr ", Phone: "06 12 34 56 78"},
			email: "paul@exemple.fr", held: true, bookedBy: "guest"},
		{name: "a guest without email nor phone", c: appointment.Contact{Name: "Paul"}, bad: []string{"email", "phone"}},
		{name: "a guest without phone", c: appointment.Contact{Name: "Paul", Email: "paul@exemple.fr"}, bad: []string{"phone"}},
		{name: "every mistake at once", c: appointment.Contact{Email: "pas une adresse"}, bad: []string{"email", "name", "phone"}},
		{name: "a resident's address is their account's", c: appointment.Contact{Name: "Anne"}, by: verified,
			email: "anne@exemple.fr", bookedBy: "resident"},
		{name: "another address waits for its confirmation", c: appointment.Contact{Name: "Anne", Email: "autre@exemple.fr"}, by: verified,
			email: "autre@exemple.fr", held: true, bookedBy: "resident"},
		{name: "the same address in capitals", c: appointment.Contact{Name: "Anne", Email: "Anne@Exemple.fr"}, by: verified,
			email: "Anne@Exemple.fr", bookedBy: "resident"},
		{name: "an unverified account waits", c: appointment.Contact{Name: "Anne"},
			by: &appointment.Booker{UserID: "u2", Email: "anne@exemple.fr"}, email: "anne@exemple.fr", held: true, bookedBy: "resident"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, errs := appointment.OnlineRequest(a, typ, time.UTC, start, tc.c, tc.by, "fr", "https://ville.test")
			if got := slices.Sorted(maps.Keys(errs)); !slices.Equal(got, tc.bad) {
				t.Fatalf("refused %v, want %v (%v)", got, tc.bad, errs)
			}
			if tc.bad != nil {
				return
			}
			if req.Email != tc.email || req.Verified == tc.held || req.BookedBy != tc.bookedBy ||
				(tc.by != nil) != (req.UserID != "") || req.SiteURL != "https://ville.test" || !req.Start.Equal(start) {
				t.Fatalf("request %+v", req)
			}
		})
	}
}
