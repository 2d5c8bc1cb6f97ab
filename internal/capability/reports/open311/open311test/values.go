package open311test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Text is a field read as text: a JSON string or number (the
// specification's own examples write codes and ids as numbers), or null,
// read as "".
type Text string

// UnmarshalJSON reads a string, a number or null.
func (t *Text) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("text expected, got %s", b)
		}
		*t = Text(n)
	}
	return nil
}

// Flag is a boolean written exactly true or false, in both formats.
type Flag bool

// UnmarshalJSON reads a JSON boolean, and nothing else.
func (f *Flag) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", "false":
		*f = string(b) == "true"
		return nil
	}
	return fmt.Errorf("boolean expected, got %s", b)
}

// UnmarshalText reads XML's "true" or "false".
func (f *Flag) UnmarshalText(b []byte) error { return f.UnmarshalJSON(b) }

// Coord is a degree of latitude or longitude, Set when given.
type Coord struct {
	Value float64
	Set   bool
}

// UnmarshalJSON reads a number, or null.
func (c *Coord) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*c = Coord{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		return fmt.Errorf("number expected, got %s", b)
	}
	return c.UnmarshalText(b)
}

// UnmarshalText reads XML's decimal number.
func (c *Coord) UnmarshalText(b []byte) error {
	v, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
	if err != nil {
		return fmt.Errorf("number expected, got %q", b)
	}
	*c = Coord{v, true}
	return nil
}
