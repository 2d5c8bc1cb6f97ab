package db

import (
	"database/sql/driver"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// textArgs returns args with every text made storable alike by both
// engines: PostgreSQL refuses bytes that are not UTF-8 and the NUL
// character, which SQLite would keep. Both store U+FFFD in their place,
// the character a browser shows for them, so that such input (a form
// does not check its encoding) is neither a server error on one engine
// nor different data on the other. Byte slices are left alone.
func textArgs(args []any) []any {
	var out []any
	for i, a := range args {
		s, ok := textOf(a)
		if !ok || storable(s) {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = StorableText(s)
	}
	if out == nil {
		return args
	}
	return out
}

// textOf returns a's text when a is a string or of a string type.
func textOf(a any) (string, bool) {
	switch v := a.(type) {
	case string:
		return v, true
	case nil, []byte, int, int64, bool, time.Time, *time.Time, float64, driver.Valuer:
		return "", false
	}
	if v := reflect.ValueOf(a); v.Kind() == reflect.String {
		return v.String(), true
	}
	return "", false
}

func storable(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// StorableText returns s as both engines store it: each run of bytes that
// are not UTF-8, and each NUL, become U+FFFD.
func StorableText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
