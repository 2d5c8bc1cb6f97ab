package tableschema

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// plan is a Schema made ready to check rows: patterns compiled, bounds
// and enums read as the field's type, custom checks bound to fields.
type plan struct {
	fields     []fieldPlan
	index      map[string]int // field name → position in the schema
	missing    map[string]bool
	primaryKey []int
	checks     []check
}

type fieldPlan struct {
	Field
	kind     kind
	trueSet  map[string]bool
	falseSet map[string]bool
	pattern  *regexp.Regexp
	enum     []value
	min, max *value
}

// compile reads every part of s that Validate applies, failing on any it
// cannot apply.
func compile(s *Schema) (*plan, error) {
	if len(s.Fields) == 0 {
		return nil, errors.New("tableschema: the schema has no fields")
	}
	p := &plan{index: map[string]int{}, missing: map[string]bool{}}
	missing := s.MissingValues
	if missing == nil {
		missing = []string{""}
	}
	for _, m := range missing {
		p.missing[m] = true
	}
	for i, f := range s.Fields {
		if f.Name == "" {
			return nil, fmt.Errorf("tableschema: field %d has no name", i+1)
		}
		if _, taken := p.index[f.Name]; taken {
			return nil, fmt.Errorf("tableschema: two fields are named %q", f.Name)
		}
		fp, err := compileField(f)
		if err != nil {
			return nil, fmt.Errorf("tableschema: field %q: %w", f.Name, err)
		}
		p.index[f.Name] = i
		p.fields = append(p.fields, fp)
	}
	for _, name := range s.PrimaryKey {
		i, ok := p.index[name]
		if !ok {
			return nil, fmt.Errorf("tableschema: primaryKey names %q, which is not a field", name)
		}
		p.fields[i].Constraints.Required = true
		p.primaryKey = append(p.primaryKey, i)
	}
	for n, c := range s.CustomChecks {
		chk, err := compileCheck(p, c)
		if err != nil {
			return nil, fmt.Errorf("tableschema: custom check %d (%s): %w", n+1, c.Name, err)
		}
		p.checks = append(p.checks, chk)
	}
	return p, nil
}

var (
	defaultTrueValues  = []string{"true", "True", "TRUE", "1"}
	defaultFalseValues = []string{"false", "False", "FALSE", "0"}
)

func compileField(f Field) (fieldPlan, error) {
	fp := fieldPlan{Field: f}
	if fp.Type == "" {
		fp.Type = "string" // Table Schema's default
	}
	k, ok := kinds[fp.Type]
	if !ok {
		return fp, fmt.Errorf("unknown type %q", f.Type)
	}
	fp.kind = k
	if !slices.Contains(formatsOf[k], f.Format) {
		return fp, fmt.Errorf("unknown format %q for type %s", f.Format, fp.Type)
	}
	if k == kindBoolean {
		fp.trueSet = setOf(f.TrueValues, defaultTrueValues)
		fp.falseSet = setOf(f.FalseValues, defaultFalseValues)
	} else if f.TrueValues != nil || f.FalseValues != nil {
		return fp, errors.New("trueValues and falseValues belong to a boolean")
	}
	c := f.Constraints
	if c.Pattern != "" {
		re, err := regexp.Compile(`^(?:` + goRegexp(c.Pattern) + `)$`)
		if err != nil {
			return fp, fmt.Errorf("pattern: %w", err)
		}
		fp.pattern = re
	}
	for _, e := range c.Enum {
		v, why := fp.parse(e)
		if why != "" && k == kindBoolean && (e == "true" || e == "false") {
			v, why = value{b: e == "true"}, "" // a JSON boolean in the enum
		}
		if why != "" {
			return fp, fmt.Errorf("enum value %q: %s", e, why)
		}
		fp.enum = append(fp.enum, v)
	}
	for _, bound := range []struct {
		name, text string
		into       **value
	}{{"minimum", c.Minimum, &fp.min}, {"maximum", c.Maximum, &fp.max}} {
		if bound.text == "" {
			continue
		}
		if !k.ordered() {
			return fp, fmt.Errorf("%s does not apply to a %s", bound.name, fp.Type)
		}
		v, why := fp.parse(bound.text)
		if why != "" {
			return fp, fmt.Errorf("%s %q: %s", bound.name, bound.text, why)
		}
		*bound.into = &v
	}
	return fp, nil
}

func setOf(values, defaults []string) map[string]bool {
	if values == nil {
		values = defaults
	}
	set := map[string]bool{}
	for _, v := range values {
		set[v] = true
	}
	return set
}

// goRegexp turns the \uXXXX escapes of the schemas' patterns (written for
// JavaScript and Python) into Go's \x{XXXX}; Go refuses what else
// differs, so Load fails rather than match something else.
func goRegexp(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '\\' || i+1 == len(pattern) {
			b.WriteByte(pattern[i])
			continue
		}
		if pattern[i+1] == 'u' && i+6 <= len(pattern) && isHex(pattern[i+2:i+6]) {
			b.WriteString(`\x{` + pattern[i+2:i+6] + `}`)
			i += 5
			continue
		}
		b.WriteString(pattern[i : i+2]) // keeps \\u a backslash then u
		i++
	}
	return b.String()
}

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
