package appointment

import (
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/icstest"
)

// icsTextOf is what an iCalendar reader must get back from a TEXT value
// written by icsText: the text as valid UTF-8, line breaks as \n.
func icsTextOf(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.NewReplacer("\r\n", "\n", "\r", "").Replace(s)
}

// FuzzInvitationICS checks that whatever a booking's texts hold (names
// typed by residents, places typed by staff), the .ics stays one event
// with the same properties, folded at 75 octets, in UTF-8, and that each
// text reads back as written.
func FuzzInvitationICS(f *testing.F) {
	f.Add("Passeport – Mairie de Montclair", "Hôtel de ville, 1 place de la Mairie", "Réf. RDV-2026-000123\nhttps://montclair.localhost/rendez-vous/gerer/abc",
		"Mairie de Montclair", "Léa Dubois-Martin", "REQUEST")
	f.Add("a;b,c\\d", "x\r\ny", "ligne1\rligne2", `Mairie "centrale"`, "Jean\r\nATTENDEE:mailto:pirate@example.org", "CANCEL")
	f.Add(strings.Repeat("é", 60), strings.Repeat("€", 40), strings.Repeat("x", 200), "", "", "REQUEST")
	f.Add("titre\xff", "\xe2\x82", "fin\xc3", "\x80\x80", "nom\xff", "REQUEST")
	f.Fuzz(func(t *testing.T, summary, location, description, orgName, attName, method string) {
		inv := &Invitation{UID: "0b7c2f3e@montclair.localhost", Sequence: 2, Method: method,
			Start: time.Date(2026, 3, 16, 8, 30, 0, 0, time.UTC), End: time.Date(2026, 3, 16, 8, 50, 0, 0, time.UTC),
			Summary: summary, Location: location, Description: description, Organizer: "mairie@montclair.fr",
			OrgName: orgName, Attendee: "lea.dubois@example.fr", AttName: attName, Stamp: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
		if strings.ContainsAny(method, "\r\n") {
			inv.Method = "REQUEST" // chosen by the code, never typed
		}
		lines, err := icstest.Parse(string(inv.ICS()))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"BEGIN", "VERSION", "PRODID", "CALSCALE", "METHOD", "BEGIN", "UID", "SEQUENCE", "DTSTAMP",
			"DTSTART", "DTEND", "SUMMARY"}
		if location != "" {
			want = append(want, "LOCATION")
		}
		if description != "" {
			want = append(want, "DESCRIPTION")
		}
		want = append(want, "STATUS", "ORGANIZER", "ATTENDEE", "END", "END")
		if got := icstest.Names(lines); !slices.Equal(got, want) {
			t.Fatalf("lines %v, want %v", got, want)
		}
		for name, in := range map[string]string{"SUMMARY": summary, "LOCATION": location, "DESCRIPTION": description} {
			l, ok := icstest.Value(lines, "VEVENT", name)
			if !ok {
				continue
			}
			got, err := icstest.Unescape(l.Value)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got != icsTextOf(in) {
				t.Fatalf("%s reads back %q, want %q", name, got, icsTextOf(in))
			}
		}
		for _, name := range []string{"ORGANIZER", "ATTENDEE"} {
			l, _ := icstest.Value(lines, "VEVENT", name)
			cn, ok := strings.CutPrefix(l.Params, "CN=\"")
			cn, _, ok2 := strings.Cut(cn, "\"")
			if !ok || !ok2 || strings.ContainsFunc(cn, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
				t.Fatalf("%s has a broken CN parameter: %q", name, l.Params)
			}
		}
	})
}
