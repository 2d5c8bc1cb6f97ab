package appointment

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/icstest"
)

// TestInvitationICSWithBrokenText writes an invitation whose texts end in
// bytes that are not UTF-8 (a place saved so in the agenda's settings)
// and whose name holds control characters: the file is still well formed.
func TestInvitationICSWithBrokenText(t *testing.T) {
	t.Parallel()
	inv := &Invitation{UID: "x@montclair.localhost", Method: "REQUEST", Start: time.Date(2026, 3, 16, 8, 30, 0, 0, time.UTC),
		End: time.Date(2026, 3, 16, 8, 50, 0, 0, time.UTC), Summary: "Passeport", Location: "Mairie annexe\xc3",
		Description: "Réf. RDV-2026-000123\xff", Organizer: "mairie@montclair.fr", OrgName: "Mairie",
		Attendee: "lea@example.fr", AttName: "Léa\x00 Dubois\x1b\xff"}
	lines, err := icstest.Parse(string(inv.ICS()))
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := icstest.Value(lines, "VEVENT", "LOCATION")
	if loc.Value != "Mairie annexe\uFFFD" {
		t.Errorf("LOCATION:%s", loc.Value)
	}
	att, _ := icstest.Value(lines, "VEVENT", "ATTENDEE")
	if !strings.HasPrefix(att.Params, `CN="Léa Dubois`+"\uFFFD"+`";`) {
		t.Errorf("ATTENDEE;%s", att.Params)
	}
}
