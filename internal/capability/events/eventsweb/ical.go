package eventsweb

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/publishing"
)

// calendar writes an iCalendar document (RFC 5545) with the RFC 7986
// properties of a subscribed feed, and the VTIMEZONE of the collectivité
// so that times stay right across changes of time.
type calendar struct {
	b strings.Builder
}

// line writes one content line, folded at 75 octets (the space that
// starts a continuation included) as RFC 5545 asks, never inside a UTF-8
// sequence. Bytes that are not UTF-8, which a form may have let through,
// become U+FFFD: a calendar is UTF-8.
func (c *calendar) line(s string) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	for room := 75; len(s) > room; room = 74 {
		cut := room
		for s[cut]&0xC0 == 0x80 {
			cut--
		}
		c.b.WriteString(s[:cut])
		c.b.WriteString("\r\n ")
		s = s[cut:]
	}
	c.b.WriteString(s)
	c.b.WriteString("\r\n")
}

// text escapes a TEXT value.
func text(s string) string { return textEscapes.Replace(s) }

var textEscapes = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

const (
	icsLocal = "20060102T150405"
	icsUTC   = "20060102T150405Z"
	icsDate  = "20060102"
)

// ICSOptions describes one feed.
type ICSOptions struct {
	Name, Description, URL, Host string
	Loc                          *time.Location
	// Now is when the feed is written: its time zone covers the years around it.
	Now time.Time
}

// writeICS renders events as a calendar.
func writeICS(list []*events.Event, o ICSOptions) string {
	c := &calendar{}
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//Guichet//Agenda//FR")
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.line("NAME:" + text(o.Name))
	c.line("X-WR-CALNAME:" + text(o.Name))
	if o.Description != "" {
		c.line("DESCRIPTION:" + text(o.Description))
	}
	c.line("URL;VALUE=URI:" + o.URL)
	c.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	c.line("X-PUBLISHED-TTL:PT1H")
	c.line("X-WR-TIMEZONE:" + o.Loc.String())
	c.timezone(o.Loc, o.Now, list)
	for _, e := range list {
		c.event(e, o)
	}
	c.line("END:VCALENDAR")
	return c.b.String()
}

func (c *calendar) event(e *events.Event, o ICSOptions) {
	tz := o.Loc.String()
	c.line("BEGIN:VEVENT")
	c.line("UID:" + e.ID + "@" + o.Host)
	c.line("DTSTAMP:" + e.UpdatedAt.UTC().Format(icsUTC))
	c.line("CREATED:" + e.CreatedAt.UTC().Format(icsUTC))
	c.line("LAST-MODIFIED:" + e.UpdatedAt.UTC().Format(icsUTC))
	c.line(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
	if e.AllDay {
		c.line("DTSTART;VALUE=DATE:" + e.Start.In(o.Loc).Format(icsDate))
		c.line("DTEND;VALUE=DATE:" + e.End.In(o.Loc).AddDate(0, 0, 1).Format(icsDate))
	} else {
		c.line("DTSTART;TZID=" + tz + ":" + e.Start.In(o.Loc).Format(icsLocal))
		c.line("DTEND;TZID=" + tz + ":" + e.End.In(o.Loc).Format(icsLocal))
	}
	if e.Recurrence != events.RepeatNone {
		until := e.Start.AddDate(1, 0, 0)
		if e.RecurrenceUntil != nil && e.RecurrenceUntil.Before(until) {
			until = *e.RecurrenceUntil
		}
		freq := "WEEKLY"
		if e.Recurrence == events.RepeatMonthly {
			freq = "MONTHLY"
		}
		if e.AllDay {
			c.line("RRULE:FREQ=" + freq + ";UNTIL=" + until.In(o.Loc).Format(icsDate))
		} else {
			c.line("RRULE:FREQ=" + freq + ";UNTIL=" + until.UTC().Format(icsUTC))
		}
	}
	c.line("SUMMARY:" + text(e.Title))
	if desc := strings.TrimSpace(e.Summary + "\n\n" + publishing.PlainText(e.Body)); desc != "" {
		c.line("DESCRIPTION:" + text(desc))
	}
	loc := e.Place
	if e.Address != "" {
		loc += ", " + e.Address
	}
	c.line("LOCATION:" + text(loc))
	c.line("CATEGORIES:" + text(e.Category))
	c.line("URL;VALUE=URI:" + strings.TrimSuffix(o.URL, "/agenda") + e.URL())
	if e.Cancelled {
		c.line("STATUS:CANCELLED")
	} else {
		c.line("STATUS:CONFIRMED")
	}
	c.line("END:VEVENT")
}

// timezone writes loc's VTIMEZONE with each change of offset, found in
// Go's zone database, over the years the events span: explicit
// transitions rather than rules, correct for any zone.
func (c *calendar) timezone(loc *time.Location, now time.Time, list []*events.Event) {
	from, to := now.Year()-1, now.Year()+1
	for _, e := range list {
		from, to = min(from, e.Start.In(loc).Year()-1), max(to, e.End.In(loc).Year()+1)
	}
	c.line("BEGIN:VTIMEZONE")
	c.line("TZID:" + loc.String())
	changes := transitions(loc, from, to)
	if len(changes) == 0 {
		name, off := time.Date(from, 1, 1, 0, 0, 0, 0, loc).Zone()
		c.line("BEGIN:STANDARD")
		c.line("DTSTART:19700101T000000")
		c.line("TZOFFSETFROM:" + offset(off))
		c.line("TZOFFSETTO:" + offset(off))
		c.line("TZNAME:" + text(name))
		c.line("END:STANDARD")
	}
	for _, t := range changes {
		kind := "STANDARD"
		if t.dst {
			kind = "DAYLIGHT"
		}
		c.line("BEGIN:" + kind)
		// DTSTART is the local time of the change, in the offset before it.
		c.line("DTSTART:" + t.at.Add(time.Duration(t.from)*time.Second).UTC().Format(icsLocal))
		c.line("TZOFFSETFROM:" + offset(t.from))
		c.line("TZOFFSETTO:" + offset(t.to))
		c.line("TZNAME:" + text(t.name))
		c.line("END:" + kind)
	}
	c.line("END:VTIMEZONE")
}

type transition struct {
	at       time.Time
	from, to int
	name     string
	dst      bool
}

// transitions returns loc's changes of offset from fromYear to toYear.
// Each span is searched once per process: the search looks at the zone
// every six hours of the years, which was a quarter of a feed's time.
func transitions(loc *time.Location, fromYear, toYear int) []transition {
	key := zoneYears{loc.String(), fromYear, toYear}
	if v, ok := knownTransitions.Load(key); ok {
		return v.([]transition)
	}
	out := findTransitions(loc, fromYear, toYear)
	knownTransitions.Store(key, out)
	return out
}

// zoneYears names a span of years of a zone; a zone's name gives its rules
// for the life of the process.
type zoneYears struct {
	zone     string
	from, to int
}

var knownTransitions sync.Map // zoneYears → []transition, never changed once stored

func findTransitions(loc *time.Location, fromYear, toYear int) []transition {
	var out []transition
	t := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(toYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, prev := t.In(loc).Zone()
	for ; t.Before(end); t = t.Add(6 * time.Hour) {
		next := t.Add(6 * time.Hour)
		_, off := next.In(loc).Zone()
		if off == prev {
			continue
		}
		// The change is within (t, next]: find its second.
		lo, hi := t, next
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2)
			if _, o := mid.In(loc).Zone(); o == prev {
				lo = mid
			} else {
				hi = mid
			}
		}
		name, _ := hi.In(loc).Zone()
		out = append(out, transition{at: hi, from: prev, to: off, name: name, dst: hi.In(loc).IsDST()})
		prev = off
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}
