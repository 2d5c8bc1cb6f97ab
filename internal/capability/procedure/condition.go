package procedure

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Op is a condition's comparison.
type Op string

// The comparisons a condition may use.
const (
	Equals    Op = "equals"
	NotEquals Op = "not_equals"
	Contains  Op = "contains"
	Greater   Op = "greater"
	Less      Op = "less"
	IsEmpty   Op = "empty"
	NotEmpty  Op = "not_empty"
)

// Ops lists the comparisons in the order the form builder offers them.
var Ops = []Op{Equals, NotEquals, Contains, Greater, Less, IsEmpty, NotEmpty}

// Condition shows a field or a section only when another field's answer
// compares to Value as Op says.
type Condition struct {
	Field string `json:"field"`
	Op    Op     `json:"op"`
	Value string `json:"value,omitempty"`
}

// Holds evaluates the condition on answers; a missing answer is empty.
func (c *Condition) Holds(answers Answers) bool {
	if c == nil {
		return true
	}
	a := answers[c.Field]
	switch c.Op {
	case IsEmpty:
		return a.Empty()
	case NotEmpty:
		return !a.Empty()
	case Equals:
		return equals(a, c.Value)
	case NotEquals:
		return !equals(a, c.Value)
	case Contains:
		if a.Values != nil {
			return slices.Contains(a.Values, c.Value)
		}
		return c.Value != "" && strings.Contains(strings.ToLower(a.Value), strings.ToLower(c.Value))
	case Greater:
		n := compare(a.Value, c.Value)
		return n != nil && *n > 0
	case Less:
		n := compare(a.Value, c.Value)
		return n != nil && *n < 0
	}
	return false
}

func equals(a Answer, v string) bool {
	if a.Values != nil {
		return len(a.Values) == 1 && a.Values[0] == v
	}
	if x, y, ok := numbers(a.Value, v); ok {
		return x == y
	}
	return strings.EqualFold(strings.TrimSpace(a.Value), strings.TrimSpace(v))
}

// compare orders two numbers or two dates; nil when they are neither.
func compare(a, b string) *int {
	var n int
	if x, y, ok := numbers(a, b); ok {
		n = cmpFloat(x, y)
		return &n
	}
	x, err1 := time.Parse(time.DateOnly, strings.TrimSpace(a))
	y, err2 := time.Parse(time.DateOnly, strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return nil
	}
	n = x.Compare(y)
	return &n
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// numbers parses both as numbers, accepting a decimal comma.
func numbers(a, b string) (float64, float64, bool) {
	x, err1 := parseNumber(a)
	y, err2 := parseNumber(b)
	return x, y, err1 == nil && err2 == nil
}

// decimal is a number as people write it: digits, an optional decimal
// point or comma, an optional exponent. It leaves out what ParseFloat
// also reads ("NaN", "Inf", hexadecimal, digit separators), which would
// slip past a field's bounds.
var decimal = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// errNotNumber is returned for anything but a finite decimal number.
var errNotNumber = errors.New("procedure: not a finite decimal number")

func parseNumber(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if !decimal.MatchString(s) {
		return 0, errNotNumber
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errNotNumber
	}
	return x, nil
}

// Visibility says which sections and fields are shown for some answers.
type Visibility struct {
	fields   map[string]bool
	sections map[*Section]bool
}

// Field reports whether the field key is shown.
func (v Visibility) Field(key string) bool { return v.fields[key] }

// Section reports whether sec is shown.
func (v Visibility) Section(sec *Section) bool { return v.sections[sec] }

// Visible evaluates every condition in form order. A hidden field counts
// as unanswered for the conditions after it, so hiding a field hides what
// depends on it.
func (f *Form) Visible(answers Answers) Visibility {
	v := Visibility{fields: map[string]bool{}, sections: map[*Section]bool{}}
	seen := Answers{}
	for p := range f.Pages {
		for s := range f.Pages[p].Sections {
			sec := &f.Pages[p].Sections[s]
			shown := sec.Condition.Holds(seen)
			v.sections[sec] = shown
			for i := range sec.Fields {
				fl := &sec.Fields[i]
				ok := shown && fl.Condition.Holds(seen)
				v.fields[fl.Key] = ok
				if ok {
					if a, has := answers[fl.Key]; has {
						seen[fl.Key] = a
					}
				}
			}
		}
	}
	return v
}

// Shown keeps only the answers of shown fields: what a case files.
func (f *Form) Shown(answers Answers) Answers {
	v := f.Visible(answers)
	out := Answers{}
	for k, a := range answers {
		if v.Field(k) {
			out[k] = a
		}
	}
	return out
}
