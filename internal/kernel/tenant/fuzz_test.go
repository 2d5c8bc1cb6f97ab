package tenant

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// FuzzNormalizeHost checks the Host header's reduction to the name that
// picks a collectivité: lower case, without port or final dot, and a
// fixed point, so that the resolver's cache key and the stored host a
// lookup compares it with are always the same name.
func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"montclair.localhost", "Montclair.LOCALHOST:8080", "montclair.localhost.", "mairie-montclair.fr:443",
		"[::1]:8080", "[::1]", "montclair.localhost:1,evil.example", "a:b:", "x..", " localhost ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		n := NormalizeHost(host)
		if n != strings.ToLower(n) || n != strings.TrimSpace(n) || !strings.Contains(n, ":") && strings.HasSuffix(n, ".") {
			t.Fatalf("NormalizeHost(%q) = %q", host, n)
		}
		if again := NormalizeHost(n); again != n {
			t.Fatalf("NormalizeHost(%q) = %q, then %q", host, n, again)
		}
		// A valid name with a valid port always reduces to the name.
		name, port, ok := strings.Cut(host, ":")
		if ok && hostPattern.MatchString(name) && !strings.HasSuffix(name, ".") && !strings.HasPrefix(name, ".") {
			if p, err := strconv.Atoi(port); err == nil && p > 0 && p < 65536 && port == strconv.Itoa(p) && n != name {
				t.Fatalf("NormalizeHost(%q) = %q, want %q", host, n, name)
			}
		}
	})
}

// FuzzContrast checks the contrast ratio computed for the colours an
// administrator types: 0 for a malformed colour, else between 1 and 21,
// the same both ways, and 1 for a colour against itself.
func FuzzContrast(f *testing.F) {
	for _, p := range [][2]string{{"#1d4f91", "#ffffff"}, {"#000000", "#FFFFFF"}, {"#8a2b0e", "#fff"}, {"1d4f91", "#ffffff"}, {"#gggggg", "#000000"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		c := Contrast(a, b)
		valid := colorPattern.MatchString(a) && colorPattern.MatchString(b)
		switch {
		case !valid && c != 0:
			t.Fatalf("Contrast(%q, %q) = %v for a malformed colour", a, b, c)
		case valid && (math.IsNaN(c) || c < 1 || c > 21.0000001):
			t.Fatalf("Contrast(%q, %q) = %v", a, b, c)
		case math.Abs(c-Contrast(b, a)) > 1e-9:
			t.Fatalf("Contrast(%q, %q) = %v but %v the other way", a, b, c, Contrast(b, a))
		case colorPattern.MatchString(a) && math.Abs(Contrast(a, a)-1) > 1e-9:
			t.Fatalf("Contrast(%q, itself) = %v", a, Contrast(a, a))
		}
	})
}

// FuzzValidSIRET checks the SIRET numbers typed in forms against the
// Luhn keys of the SIREN and the SIRET computed from the right, as INSEE
// defines them (La Poste's establishments aside).
func FuzzValidSIRET(f *testing.F) {
	for _, s := range []string{"21540084700017", "217 500 016 00019", "35600000049837", "35600000000048", "21869900000012", "21540084700018", "2154008470001", "2154008470001a", "", "00000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		digits := strings.ReplaceAll(s, " ", "")
		keyOK := func(n string) bool {
			sum := 0
			for i := 0; i < len(n); i++ {
				c := n[len(n)-1-i]
				if c < '0' || c > '9' {
					return false
				}
				d := int(c - '0')
				if i%2 == 1 {
					if d *= 2; d > 9 {
						d -= 9
					}
				}
				sum += d
			}
			return sum%10 == 0
		}
		want := len(digits) == 14 && keyOK(digits[:9]) && keyOK(digits)
		if len(digits) == 14 && strings.HasPrefix(digits, "356000000") && digits != "35600000000048" {
			sum, allDigits := 0, true
			for _, c := range digits {
				allDigits = allDigits && c >= '0' && c <= '9'
				sum += int(c - '0')
			}
			want = allDigits && sum%5 == 0
		}
		if got := ValidSIRET(s); got != want {
			t.Fatalf("ValidSIRET(%q) = %v, want %v", s, got, want)
		}
	})
}
