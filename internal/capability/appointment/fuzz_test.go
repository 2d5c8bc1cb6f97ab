package appointment

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRequestValidate checks the details a guest types when booking: an
// accepted request has a name, a contact in a valid form (one line of
// UTF-8) and, when the type asks it, a normalised ANTS number.
func FuzzRequestValidate(f *testing.F) {
	f.Add("Léa Dubois", "lea.dubois@example.fr", "06 12 34 56 78", "ab12-cd34 ef", true)
	f.Add("  Jean-Émile N'Guessan ", "", "+33 6 12 34 56 78", "", false)
	f.Add("X", "nom@exemple", "06.12.34.56.78", "1234567890", true)
	f.Add("Nom\xff", "a@b.fr", "", "", false)
	f.Add("Nom\x00", "a@b.fr", "0612345678\n", "", false)
	f.Add("Nom", "\"a b\"@exemple.fr", "+", "AB12CD34EF", true)
	f.Fuzz(func(t *testing.T, name, email, phone, ants string, asksANTS bool) {
		r := &Request{Type: &Type{ANTS: asksANTS}, Name: name, Email: email, Phone: phone, ANTS: ants}
		if r.Validate() != nil {
			return
		}
		for field, v := range map[string]string{"email": r.Email, "phone": r.Phone, "ants": r.ANTS} {
			if !utf8.ValidString(v) || strings.ContainsAny(v, "\x00\r\n") {
				t.Fatalf("accepted %s %q", field, v)
			}
		}
		if r.Name == "" || r.Name != strings.TrimSpace(r.Name) {
			t.Fatalf("accepted name %q", r.Name)
		}
		if r.Email == "" && r.Phone == "" {
			t.Fatal("accepted a request without any contact")
		}
		if r.Phone != "" {
			digits := 0
			for _, c := range r.Phone {
				if c >= '0' && c <= '9' {
					digits++
				} else if !strings.ContainsRune(" .-+", c) {
					t.Fatalf("accepted phone %q", r.Phone)
				}
			}
			if digits < 10 || digits > 15 || strings.LastIndexByte(r.Phone, '+') > 0 {
				t.Fatalf("accepted phone %q", r.Phone)
			}
		}
		if asksANTS {
			if n, ok := NormalizeANTS(r.ANTS); !ok || n != r.ANTS {
				t.Fatalf("ANTS number kept as %q", r.ANTS)
			}
		} else if r.ANTS != "" {
			t.Fatalf("ANTS number kept for a type that does not ask it: %q", r.ANTS)
		}
	})
}

// FuzzParseDay checks the dates read from URLs (?jour=): an accepted day
// is a real date that prints back as it was read.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2026-03-16", "2026-02-29", "2024-02-29", "0000-01-01", "9999-12-31", "2026-3-6", "16/03/2026", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDay(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("%q read as %s", s, d)
		}
		if again, err := ParseDay(d.String()); err != nil || again != d {
			t.Fatalf("%s does not read back: %v %v", d, again, err)
		}
		if next := d.AddDays(1); next.AddDays(-1) != d || next.String() <= d.String() && d.Year < 9999 {
			t.Fatalf("the day after %s is %s", d, next)
		}
	})
}
