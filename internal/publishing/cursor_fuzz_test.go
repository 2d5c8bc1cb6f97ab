package publishing

import (
	"testing"
	"time"
)

// FuzzParseCursor checks the page cursors read from URLs (?apres=): a
// cursor accepted encodes back to one that reads the same, and a cursor
// written reads back as it was.
func FuzzParseCursor(f *testing.F) {
	f.Add("", int64(0), "")
	f.Add(Cursor{At: time.Date(2026, 3, 16, 8, 30, 0, 0, time.UTC), ID: "0b7c2f3e-6d1a-4c59-9d0b-7a3f2e1c4b5a"}.String(),
		int64(1773649800), "0b7c2f3e-6d1a-4c59-9d0b-7a3f2e1c4b5a")
	f.Add("MTc3MzY0OTgwMHw", int64(-62135596800), "a|b")
	f.Add("LTF8eA", int64(1<<62), "\xff")
	f.Fuzz(func(t *testing.T, s string, unix int64, id string) {
		if c := ParseCursor(s); c.ID != "" {
			if again := ParseCursor(c.String()); again != c {
				t.Fatalf("%q read as %+v, which reads back as %+v", s, c, again)
			}
		} else if c != (Cursor{}) {
			t.Fatalf("%q read as a cursor without an item: %+v", s, c)
		}
		c := Cursor{At: time.Unix(unix, 0).UTC(), ID: id}
		got := ParseCursor(c.String())
		if id == "" {
			if c.String() != "" || got != (Cursor{}) {
				t.Fatalf("the first page's cursor is %q", c.String())
			}
			return
		}
		if got != c {
			t.Fatalf("%+v reads back as %+v", c, got)
		}
	})
}
