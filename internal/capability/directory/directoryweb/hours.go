package directoryweb

import (
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/directory"
	"guichet/internal/kernel/web"
)

// clockOf writes a time of day as the reader's language does: "8 h 30",
// "18 h" in French, "08:30", "18:00" in English.
func clockOf(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("15:04")
	}
	if t.Minute() == 0 {
		return fmt.Sprintf("%d\u00a0h", t.Hour())
	}
	return fmt.Sprintf("%d\u00a0h\u00a0%02d", t.Hour(), t.Minute())
}

// dayWord names the day of t from now: "" today, "demain", or the
// weekday.
func dayWord(p *web.Page, now, t time.Time) string {
	d := dateOnly(t).Sub(dateOnly(now)) / (24 * time.Hour)
	switch d {
	case 0:
		return ""
	case 1:
		return p.T("directory.status.tomorrow")
	}
	return p.T(fmt.Sprintf("directory.day.%d", t.Weekday()))
}

func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// statusText says whether the place is open at now and when that
// changes: "Ouvert maintenant — ferme à 18 h", "Fermé — ouvre lundi à
// 8 h 30"; "" when the entry has no opening hours.
func statusText(p *web.Page, st directory.Status, now time.Time) string {
	if !st.Known {
		return ""
	}
	state := "closed"
	if st.Open {
		state = "open"
	}
	if st.Next.IsZero() {
		return p.T("directory.status." + state)
	}
	at := clockOf(st.Next, p.Lang)
	if day := dayWord(p, now, st.Next); day != "" {
		return p.T("directory.status."+state+"_day", day, at)
	}
	return p.T("directory.status."+state+"_today", at)
}

// dayView is one line of the week's hours.
type dayView struct {
	Label, Hours, Holiday string
	Today                 bool
}

// weekView lays out the seven days from now.
func weekView(p *web.Page, e *directory.Entry, now time.Time, alsaceMoselle bool) []dayView {
	days := e.Week(now, 7, alsaceMoselle)
	out := make([]dayView, 0, len(days))
	for i, d := range days {
		v := dayView{Holiday: d.Holiday, Today: i == 0}
		v.Label = capitalise(p.T(fmt.Sprintf("directory.day.%d", d.Date.Weekday()))) + " " + shortDate(d.Date, p.Lang)
		if i == 0 {
			v.Label = p.T("directory.hours.today", v.Label)
		}
		var spans []string
		for _, s := range d.Spans {
			spans = append(spans, clockOf(s.From, p.Lang)+"\u00a0–\u00a0"+clockOf(s.To, p.Lang))
		}
		if len(spans) == 0 {
			v.Hours = p.T("directory.hours.closed")
		} else {
			v.Hours = strings.Join(spans, ", ")
		}
		out = append(out, v)
	}
	return out
}

// shortDate is "8 décembre", "8 December".
func shortDate(t time.Time, lang string) string {
	full := guichet.Date(t, lang)
	return strings.TrimSuffix(full, fmt.Sprintf(" %d", t.Year()))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
