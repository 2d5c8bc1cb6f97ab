package tableschema

import (
	"cmp"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type kind int

const (
	kindString kind = iota
	kindInteger
	kindNumber
	kindBoolean
	kindDate
	kindDatetime
	kindYear
)

var kinds = map[string]kind{
	"string":   kindString,
	"integer":  kindInteger,
	"number":   kindNumber,
	"boolean":  kindBoolean,
	"date":     kindDate,
	"datetime": kindDatetime,
	"year":     kindYear,
}

// formatsOf lists the formats each type supports; "" is the schema
// saying none.
var formatsOf = map[kind][]string{
	kindString:   {"", "default", "uri", "email"},
	kindInteger:  {"", "default"},
	kindNumber:   {"", "default"},
	kindBoolean:  {"", "default"},
	kindDate:     {"", "default"},
	kindDatetime: {"", "default"},
	kindYear:     {"", "default"},
}

// ordered tells whether minimum and maximum mean something for k.
func (k kind) ordered() bool {
	return k != kindString && k != kindBoolean
}

// value is a cell read as its field's type; only the part of the type is
// set.
type value struct {
	s string
	i int64 // integer, year
	f float64
	b bool
	t time.Time
}

const dateLayout = "2006-01-02"

var (
	integerSyntax = regexp.MustCompile(`^[+-]?[0-9]+$`)
	numberSyntax  = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)
	yearSyntax    = regexp.MustCompile(`^[0-9]{4}$`)
)

// parse reads raw as the field's type; why says what is wrong when it
// cannot.
func (f *fieldPlan) parse(raw string) (v value, why string) {
	switch f.kind {
	case kindString:
		switch f.Format {
		case "uri":
			if !isWebURL(raw) {
				return v, "not an absolute http(s) URL"
			}
		case "email":
			if !isEmail(raw) {
				return v, "not an email address"
			}
		}
		return value{s: raw}, ""
	case kindInteger:
		if !integerSyntax.MatchString(raw) {
			return v, "not an integer"
		}
		i, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return v, "integer too large"
		}
		return value{i: i}, ""
	case kindNumber:
		switch raw {
		case "NaN":
			return value{f: math.NaN()}, ""
		case "INF":
			return value{f: math.Inf(1)}, ""
		case "-INF":
			return value{f: math.Inf(-1)}, ""
		}
		n, ok := parseNumber(raw)
		if !ok {
			return v, "not a number"
		}
		return value{f: n}, ""
	case kindBoolean:
		switch {
		case f.trueSet[raw]:
			return value{b: true}, ""
		case f.falseSet[raw]:
			return value{b: false}, ""
		}
		return v, "not a boolean"
	case kindDate:
		t, ok := parseDate(raw)
		if !ok {
			return v, "not a date YYYY-MM-DD"
		}
		return value{t: t}, ""
	case kindDatetime:
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return v, "not a datetime (RFC 3339)"
		}
		return value{t: t}, ""
	case kindYear:
		if !yearSyntax.MatchString(raw) {
			return v, "not a year YYYY"
		}
		i, _ := strconv.ParseInt(raw, 10, 64)
		return value{i: i}, ""
	}
	return v, "unknown type"
}

// compare orders two values of the field's type; ok is false when they
// have no order (NaN).
func (f *fieldPlan) compare(a, b value) (c int, ok bool) {
	switch f.kind {
	case kindInteger, kindYear:
		return cmp.Compare(a.i, b.i), true
	case kindNumber:
		if math.IsNaN(a.f) || math.IsNaN(b.f) {
			return 0, math.IsNaN(a.f) && math.IsNaN(b.f)
		}
		return cmp.Compare(a.f, b.f), true
	case kindBoolean:
		if a.b == b.b {
			return 0, true
		}
		if b.b {
			return -1, true
		}
		return 1, true
	case kindDate, kindDatetime:
		return a.t.Compare(b.t), true
	}
	return strings.Compare(a.s, b.s), true
}

// canonical spells v so that two spellings of one value ("1.0", "1")
// are the same key for unique and primaryKey.
func (f *fieldPlan) canonical(v value) string {
	switch f.kind {
	case kindInteger, kindYear:
		return strconv.FormatInt(v.i, 10)
	case kindNumber:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case kindBoolean:
		return strconv.FormatBool(v.b)
	case kindDate, kindDatetime:
		return v.t.UTC().Format(time.RFC3339Nano)
	}
	return v.s
}

// parseNumber reads a finite decimal number such as "-12", "3.5" or
// "1e3", the spellings that Table Schema and the custom checks share.
func parseNumber(raw string) (float64, bool) {
	if !numberSyntax.MatchString(raw) {
		return 0, false
	}
	n, err := strconv.ParseFloat(raw, 64)
	return n, err == nil
}

// parseDate reads YYYY-MM-DD, a real calendar date.
func parseDate(raw string) (time.Time, bool) {
	if len(raw) != len(dateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, raw)
	return t, err == nil
}

// isWebURL accepts an absolute http or https URL with a host, without
// spaces or control characters.
func isWebURL(raw string) bool {
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && u.Hostname() != ""
}

// isEmail accepts local@domain.tld without spaces; it does not try to
// be RFC 5322.
func isEmail(raw string) bool {
	local, domain, ok := strings.Cut(raw, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.HasPrefix(domain, ".") && !strings.Contains(domain, "..")
}
