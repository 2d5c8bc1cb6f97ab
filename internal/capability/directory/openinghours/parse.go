// Package openinghours reads and evaluates a subset of OpenStreetMap's
// opening_hours syntax (wiki.openstreetmap.org/wiki/Key:opening_hours/specification):
// rules separated by ";" (a later rule replaces the earlier ones on the
// days it names), "," (an additional rule, which replaces nothing) and
// "||" (a fallback, which applies only where the earlier rules leave the
// place closed); "24/7"; months and month ranges; weekdays, weekday
// ranges and PH (French public holidays); time spans, including spans past
// midnight; the states open, off, closed and unknown; quoted comments.
//
// The evaluation follows the reference implementation (the npm package
// opening_hours), against which the tests compare it: a rule with a
// comment and no explicit state is "unknown", which is not open; an "off"
// rule with times closes those times only; the part of a span past
// midnight belongs to the next day, where a later ";" rule naming that day
// replaces it.
package openinghours

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"guichet"
)

// MaxLength is the longest text Parse reads, in characters (OSM's own
// limit for a tag's value is 255).
const MaxLength = 500

// Hours is a parsed opening_hours value.
type Hours struct {
	rules []rule
}

type separator int

const (
	normal     separator = iota // ";" (or the first rule)
	additional                  // ","
	fallback                    // "||"
)

type state int8

const (
	stClosed state = iota
	stOpen
	stUnknown
)

type rule struct {
	sep      separator
	always   bool // 24/7
	months   []monthRange
	days     []dayRange
	holidays bool // PH among the days
	spans    []span
	state    state
	explicit bool // the state was written (open, off, closed, unknown)
	comment  string
}

// monthRange: 1..12, from > to wraps over the new year.
type monthRange struct{ from, to int }

// dayRange: 0 Monday .. 6 Sunday, from > to wraps over the week's end.
type dayRange struct{ from, to int }

// span: minutes after the day's midnight; to is after from and may pass
// 24:00 (1440), by at most a day.
type span struct{ from, to int }

var (
	weekdays = []string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}
	months   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

type tokenKind int

const (
	tEnd tokenKind = iota
	tWord
	tTime
	tAlways // 24/7
	tDash
	tComma
	tSemicolon
	tOr
	tComment
	tOther
)

type token struct {
	kind tokenKind
	text string // as written (a comment without its quotes)
	pos  int    // 1-based position in characters
}

func unknownToken(t token) error {
	return guichet.Errorf(guichet.EInvalid, "Horaires : « %s » n'est pas compris (position %d).", t.text, t.pos)
}

func earlyEnd(t token) error {
	return guichet.Errorf(guichet.EInvalid, "Horaires : le texte s'arrête au milieu d'une règle (position %d).", t.pos)
}

// fail reports t as not understood, or the text as cut short when t is
// its end.
func fail(t token) error {
	if t.kind == tEnd {
		return earlyEnd(t)
	}
	return unknownToken(t)
}

func tokenize(s string) ([]token, error) {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '"':
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end == len(rs) {
				return nil, guichet.Errorf(guichet.EInvalid, "Horaires : le commentaire ouvert par un guillemet n'est pas refermé (position %d).", pos)
			}
			out = append(out, token{tComment, string(rs[i+1 : end]), pos})
			i = end + 1
		case r == '|' && i+1 < len(rs) && rs[i+1] == '|':
			out = append(out, token{tOr, "||", pos})
			i += 2
		case r == '-':
			out = append(out, token{tDash, "-", pos})
			i++
		case r == ',':
			out = append(out, token{tComma, ",", pos})
			i++
		case r == ';':
			out = append(out, token{tSemicolon, ";", pos})
			i++
		case unicode.IsLetter(r):
			end := i
			for end < len(rs) && unicode.IsLetter(rs[end]) {
				end++
			}
			out = append(out, token{tWord, string(rs[i:end]), pos})
			i = end
		case r >= '0' && r <= '9':
			end := i
			for end < len(rs) && (rs[end] >= '0' && rs[end] <= '9' || rs[end] == ':' || rs[end] == '/') {
				end++
			}
			text := string(rs[i:end])
			kind := tOther
			if text == "24/7" {
				kind = tAlways
			} else if _, ok := clock(text); ok {
				kind = tTime
			}
			out = append(out, token{kind, text, pos})
			i = end
		default:
			out = append(out, token{tOther, string(r), pos})
			i++
		}
	}
	return append(out, token{tEnd, "", len(rs) + 1}), nil
}

// clock reads "H:MM" or "HH:MM" up to 48:00 as minutes after midnight.
func clock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	hours, minutes := 0, 0
	for _, c := range h {
		if c < '0' || c > '9' {
			return 0, false
		}
		hours = hours*10 + int(c-'0')
	}
	for _, c := range m {
		if c < '0' || c > '9' {
			return 0, false
		}
		minutes = minutes*10 + int(c-'0')
	}
	if minutes > 59 || hours*60+minutes > 48*60 {
		return 0, false
	}
	return hours*60 + minutes, true
}

func indexFold(list []string, w string) int {
	for i, x := range list {
		if strings.EqualFold(x, w) {
			return i
		}
	}
	return -1
}

func isMonth(t token) bool   { return t.kind == tWord && indexFold(months, t.text) >= 0 }
func isWeekday(t token) bool { return t.kind == tWord && indexFold(weekdays, t.text) >= 0 }
func isHoliday(t token) bool { return t.kind == tWord && strings.EqualFold(t.text, "PH") }
func isDay(t token) bool     { return isWeekday(t) || isHoliday(t) }

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token       { return p.toks[p.i] }
func (p *parser) next() token       { t := p.toks[p.i]; p.i++; return t }
func (p *parser) ahead(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }

// Parse reads an opening_hours value. Anything outside the subset the
// package knows is an error whose French message names its position.
func Parse(s string) (*Hours, error) {
	if n := utf8.RuneCountInString(s); n > MaxLength {
		return nil, guichet.Errorf(guichet.EInvalid, "Horaires : le texte dépasse %d caractères.", MaxLength)
	}
	if strings.TrimSpace(s) == "" {
		return nil, guichet.Errorf(guichet.EInvalid, "Horaires : aucune règle n'est indiquée.")
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	h := &Hours{}
	sep := normal
	for {
		r, err := p.rule(sep)
		if err != nil {
			return nil, err
		}
		h.rules = append(h.rules, r)
		t := p.next()
		switch t.kind {
		case tEnd:
			return h, nil
		case tSemicolon:
			sep = normal
			if p.peek().kind == tEnd { // a trailing ";" says nothing
				return h, nil
			}
		case tComma:
			sep = additional
		case tOr:
			sep = fallback
		default:
			return nil, fail(t)
		}
	}
}

func (p *parser) rule(sep separator) (rule, error) {
	r := rule{sep: sep, state: stOpen}
	start := p.i
	if p.peek().kind == tAlways {
		p.next()
		r.always = true
	} else {
		if isMonth(p.peek()) {
			for {
				m, err := p.monthRange()
				if err != nil {
					return r, err
				}
				r.months = append(r.months, m)
				if p.peek().kind != tComma || !isMonth(p.ahead(1)) {
					break
				}
				p.next()
			}
		}
		if isDay(p.peek()) {
			for {
				if isHoliday(p.peek()) {
					p.next()
					r.holidays = true
				} else {
					d, err := p.dayRange()
					if err != nil {
						return r, err
					}
					r.days = append(r.days, d)
				}
				if p.peek().kind != tComma || !isDay(p.ahead(1)) {
					break
				}
				p.next()
			}
		}
		if p.peek().kind == tTime {
			for {
				s, err := p.span()
				if err != nil {
					return r, err
				}
				r.spans = append(r.spans, s)
				if p.peek().kind != tComma || p.ahead(1).kind != tTime {
					break
				}
				p.next()
			}
		}
	}
	if t := p.peek(); t.kind == tWord {
		switch strings.ToLower(t.text) {
		case "open":
			r.state, r.explicit = stOpen, true
		case "off", "closed":
			r.state, r.explicit = stClosed, true
		case "unknown":
			r.state, r.explicit = stUnknown, true
		}
		if r.explicit {
			p.next()
		}
	}
	if t := p.peek(); t.kind == tComment {
		p.next()
		r.comment = strings.TrimSpace(t.text)
		if !r.explicit {
			r.state = stUnknown
		}
	}
	if p.i == start {
		return r, fail(p.peek())
	}
	return r, nil
}

func (p *parser) monthRange() (monthRange, error) {
	from := indexFold(months, p.next().text) + 1
	if p.peek().kind != tDash {
		return monthRange{from, from}, nil
	}
	p.next()
	t := p.next()
	if !isMonth(t) {
		return monthRange{}, fail(t)
	}
	return monthRange{from, indexFold(months, t.text) + 1}, nil
}

func (p *parser) dayRange() (dayRange, error) {
	from := indexFold(weekdays, p.next().text)
	if p.peek().kind != tDash {
		return dayRange{from, from}, nil
	}
	p.next()
	t := p.next()
	if !isWeekday(t) {
		return dayRange{}, fail(t)
	}
	return dayRange{from, indexFold(weekdays, t.text)}, nil
}

func (p *parser) span() (span, error) {
	ft := p.next()
	from, _ := clock(ft.text)
	if from >= 24*60 {
		return span{}, unknownToken(ft)
	}
	if t := p.next(); t.kind != tDash {
		return span{}, fail(t)
	}
	tt := p.next()
	if tt.kind != tTime {
		return span{}, fail(tt)
	}
	to, _ := clock(tt.text)
	if to <= from { // past midnight: "22:00-02:00"; "10:00-10:00" is a whole day
		to += 24 * 60
	}
	if to-from > 24*60 {
		return span{}, unknownToken(tt)
	}
	return span{from, to}, nil
}
