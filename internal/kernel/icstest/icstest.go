// Package icstest reads iCalendar documents back in tests, independently of
// the writers: it checks the physical lines (CRLF, 75 octets, UTF-8),
// unfolds them and unescapes TEXT values as RFC 5545 describes.
package icstest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line is one unfolded content line: its name, raw parameters and value.
type Line struct {
	Name, Params, Value string
}

// Parse checks doc's physical lines and returns its content lines.
func Parse(doc string) ([]Line, error) {
	if !strings.HasSuffix(doc, "\r\n") {
		return nil, fmt.Errorf("document does not end with CRLF")
	}
	var lines []string
	for i, phys := range strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n") {
		if len(phys) > 75 {
			return nil, fmt.Errorf("line %d has %d octets: %q", i+1, len(phys), phys)
		}
		if !utf8.ValidString(phys) {
			return nil, fmt.Errorf("line %d is not UTF-8: %q", i+1, phys)
		}
		if strings.ContainsAny(phys, "\r\n") {
			return nil, fmt.Errorf("line %d holds a bare CR or LF: %q", i+1, phys)
		}
		if rest, folded := strings.CutPrefix(phys, " "); folded && len(lines) > 0 {
			lines[len(lines)-1] += rest
			continue
		}
		lines = append(lines, phys)
	}
	out := make([]Line, 0, len(lines))
	for _, l := range lines {
		name, value, ok := splitLine(l)
		if !ok {
			return nil, fmt.Errorf("content line without a value: %q", l)
		}
		n, params, _ := strings.Cut(name, ";")
		out = append(out, Line{Name: n, Params: params, Value: value})
	}
	return out, nil
}

// splitLine cuts a content line at the first colon outside a quoted
// parameter value.
func splitLine(l string) (string, string, bool) {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return l[:i], l[i+1:], true
			}
		}
	}
	return "", "", false
}

// Unescape reads a TEXT value: \\ \; \, \n and \N.
func Unescape(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			i++
			switch v[i] {
			case '\\', ';', ',':
				b.WriteByte(v[i])
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				return "", fmt.Errorf("unknown escape \\%c in %q", v[i], v)
			}
		case c == '\\':
			return "", fmt.Errorf("lone backslash at the end of %q", v)
		case c == ';' || c == ',':
			return "", fmt.Errorf("unescaped %q in %q", c, v)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// Names lists the names of lines, in order.
func Names(lines []Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Name
	}
	return out
}

// Value returns the value of the first line named name within the
// component that begins with "BEGIN:"+component, and whether there is one.
func Value(lines []Line, component, name string) (Line, bool) {
	in := false
	for _, l := range lines {
		switch {
		case l.Name == "BEGIN" && l.Value == component:
			in = true
		case l.Name == "END" && l.Value == component:
			in = false
		case in && l.Name == name:
			return l, true
		}
	}
	return Line{}, false
}
