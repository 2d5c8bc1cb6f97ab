package appointment

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Invitation is what an .ics file says about a booking (RFC 5545, with
// the iTIP methods of RFC 5546).
type Invitation struct {
	UID         string
	Sequence    int
	Method      string // "REQUEST" or "CANCEL"
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Organizer   string // email of the collectivité
	OrgName     string
	Attendee    string // email of the resident
	AttName     string
	Stamp       time.Time
}

// ICS writes the invitation as an iCalendar object, lines folded at 75
// octets and ended with CRLF.
func (inv *Invitation) ICS() []byte {
	status := "CONFIRMED"
	if inv.Method == "CANCEL" {
		status = "CANCELLED"
	}
	var b strings.Builder
	// Texts typed in forms may hold bytes that are not UTF-8, which an
	// iCalendar file may not.
	line := func(s string) { writeFolded(&b, strings.ToValidUTF8(s, "\uFFFD")) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Guichet//Rendez-vous//FR")
	line("CALSCALE:GREGORIAN")
	line("METHOD:" + inv.Method)
	line("BEGIN:VEVENT")
	line("UID:" + inv.UID)
	line(fmt.Sprintf("SEQUENCE:%d", inv.Sequence))
	line("DTSTAMP:" + icsTime(inv.Stamp))
	line("DTSTART:" + icsTime(inv.Start))
	line("DTEND:" + icsTime(inv.End))
	line("SUMMARY:" + icsText(inv.Summary))
	if inv.Location != "" {
		line("LOCATION:" + icsText(inv.Location))
	}
	if inv.Description != "" {
		line("DESCRIPTION:" + icsText(inv.Description))
	}
	line("STATUS:" + status)
	line(fmt.Sprintf("ORGANIZER;CN=%s:mailto:%s", icsParam(inv.OrgName), inv.Organizer))
	if inv.Attendee != "" {
		line(fmt.Sprintf("ATTENDEE;CN=%s;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:%s", icsParam(inv.AttName), inv.Attendee))
	}
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String())
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", "")

func icsText(s string) string { return icsEscaper.Replace(s) }

// icsParam quotes a parameter value; quotes and control characters other
// than tab are not allowed inside.
func icsParam(s string) string {
	s = strings.NewReplacer(`"`, "'", "\r\n", " ", "\n", " ").Replace(s)
	return `"` + strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s) + `"`
}

// writeFolded writes one content line, folding it every 75 octets without
// splitting a UTF-8 character.
func writeFolded(b *strings.Builder, s string) {
	n := 0
	for i := range s {
		_, size := utf8.DecodeRuneInString(s[i:])
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteString(s[i : i+size])
		n += size
	}
	b.WriteString("\r\n")
}
