package openinghours

import (
	"fmt"
	"strings"
)

// String is the value in OSM's usual spelling: "Mo-Fr 08:30-12:00,13:30-17:30; PH off".
func (h *Hours) String() string {
	var b strings.Builder
	for i, r := range h.rules {
		if i > 0 {
			switch r.sep {
			case normal:
				b.WriteString("; ")
			case additional:
				b.WriteString(", ")
			case fallback:
				b.WriteString(" || ")
			}
		}
		b.WriteString(r.osm())
	}
	return b.String()
}

func (r rule) osm() string {
	var parts []string
	if r.always {
		parts = append(parts, "24/7")
	}
	if len(r.months) > 0 {
		var ms []string
		for _, m := range r.months {
			ms = append(ms, ranged(months[m.from-1], months[m.to-1]))
		}
		parts = append(parts, strings.Join(ms, ","))
	}
	if len(r.days) > 0 || r.holidays {
		var ds []string
		for _, d := range r.days {
			ds = append(ds, ranged(weekdays[d.from], weekdays[d.to]))
		}
		if r.holidays {
			ds = append(ds, "PH")
		}
		parts = append(parts, strings.Join(ds, ","))
	}
	if len(r.spans) > 0 {
		var ss []string
		for _, s := range r.spans {
			ss = append(ss, hhmm(s.from)+"-"+hhmm(endOf(s)))
		}
		parts = append(parts, strings.Join(ss, ","))
	}
	switch {
	case r.state == stClosed:
		parts = append(parts, "off")
	case r.state == stUnknown && (r.explicit || r.comment == ""):
		parts = append(parts, "unknown")
	case r.state == stOpen && (r.comment != "" || len(parts) == 0):
		parts = append(parts, "open")
	}
	if r.comment != "" {
		parts = append(parts, `"`+r.comment+`"`)
	}
	return strings.Join(parts, " ")
}

func ranged(from, to string) string {
	if from == to {
		return from
	}
	return from + "-" + to
}

// endOf is a span's end as written: past midnight on the next day's
// clock ("22:00-02:00", and "10:00-10:00" for a whole day from 10:00).
func endOf(s span) int {
	if s.to > minutesPerDay {
		return s.to - minutesPerDay
	}
	return s.to
}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// words are Describe's vocabulary in one language.
type words struct {
	weekdays, months                   []string
	holidays, everyDay, allDay, always string
	closed, unknown, otherwise         string
	to, monthTo, and, colon, dash      string
	clock                              func(minute int) string
}

const nbsp = "\u00a0"

var french = words{
	weekdays:  []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
	months:    []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	holidays:  "jours fériés",
	everyDay:  "tous les jours",
	allDay:    "ouvert toute la journée",
	always:    "ouvert 24" + nbsp + "h sur 24, 7 jours sur 7",
	closed:    "fermé",
	unknown:   "horaires non précisés",
	otherwise: "sinon, ",
	to:        " au ",
	monthTo:   " à ",
	and:       " et ",
	colon:     nbsp + ": ",
	dash:      " – ",
	clock: func(m int) string {
		if m > minutesPerDay {
			m -= minutesPerDay
		}
		if m%60 == 0 {
			return fmt.Sprintf("%d"+nbsp+"h", m/60)
		}
		return fmt.Sprintf("%d"+nbsp+"h"+nbsp+"%02d", m/60, m%60)
	},
}

var english = words{
	weekdays:  []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
	months:    []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	holidays:  "public holidays",
	everyDay:  "every day",
	allDay:    "open all day",
	always:    "open 24 hours a day, 7 days a week",
	closed:    "closed",
	unknown:   "hours not given",
	otherwise: "otherwise, ",
	to:        " to ",
	monthTo:   " to ",
	and:       " and ",
	colon:     ": ",
	dash:      " – ",
	clock: func(m int) string {
		if m > minutesPerDay {
			m -= minutesPerDay
		}
		return fmt.Sprintf("%d:%02d", m/60, m%60)
	},
}

// Describe says each rule in a sentence, in French or, for lang "en",
// English: "Lundi au vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h 30".
func (h *Hours) Describe(lang string) []string {
	w := french
	if strings.HasPrefix(lang, "en") {
		w = english
	}
	var out []string
	for _, r := range h.rules {
		out = append(out, r.describe(w))
	}
	return out
}

func (r rule) describe(w words) string {
	var when []string
	if len(r.months) > 0 {
		var ms []string
		for _, m := range r.months {
			if m.from == m.to {
				ms = append(ms, w.months[m.from-1])
			} else {
				ms = append(ms, w.months[m.from-1]+w.monthTo+w.months[m.to-1])
			}
		}
		when = append(when, strings.Join(ms, ", "))
	}
	if len(r.days) > 0 || r.holidays {
		var ds []string
		for _, d := range r.days {
			switch {
			case d.from == d.to:
				ds = append(ds, w.weekdays[d.from])
			case (d.from+1)%7 == d.to:
				ds = append(ds, w.weekdays[d.from], w.weekdays[d.to])
			default:
				ds = append(ds, w.weekdays[d.from]+w.to+w.weekdays[d.to])
			}
		}
		if r.holidays {
			ds = append(ds, w.holidays)
		}
		when = append(when, enumerate(ds, w.and))
	}
	if len(when) == 0 {
		when = append(when, w.everyDay)
	}
	var what string
	switch {
	case r.always && r.state == stOpen:
		what = w.always
	case r.state == stClosed:
		what = w.closed
	case len(r.spans) > 0:
		var ss []string
		for _, s := range r.spans {
			ss = append(ss, w.clock(s.from)+w.dash+w.clock(s.to))
		}
		what = strings.Join(ss, ", ")
	case r.state == stOpen:
		what = w.allDay
	case r.comment == "":
		what = w.unknown
	}
	if r.comment != "" {
		if what == "" {
			what = r.comment
		} else {
			what += " (" + r.comment + ")"
		}
	}
	line := strings.Join(when, ", ") + w.colon + what
	if r.sep == fallback {
		line = w.otherwise + line
	}
	return capitalise(line)
}

func enumerate(items []string, and string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + and + items[len(items)-1]
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
