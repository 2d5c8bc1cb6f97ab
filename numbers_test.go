package guichet

import "testing"

func TestNumbersFollowTheReadersLanguage(t *testing.T) {
	for _, c := range []struct {
		x            float64
		digits       int
		lang, dec, p string
	}{
		{0, 1, "fr", "0,0", "0,0\u00a0%"},
		{12.345, 1, "fr", "12,3", "12,3\u00a0%"},
		{12.345, 1, "en", "12.3", "12.3%"},
		{75.4717, 2, "fr", "75,47", "75,47\u00a0%"},
		{-3, 0, "fr", "-3", "-3\u00a0%"},
	} {
		if got := Decimal(c.x, c.digits, c.lang); got != c.dec {
			t.Errorf("Decimal(%v, %d, %s) = %q, want %q", c.x, c.digits, c.lang, got, c.dec)
		}
		if got := Percent(c.x, c.digits, c.lang); got != c.p {
			t.Errorf("Percent(%v, %d, %s) = %q, want %q", c.x, c.digits, c.lang, got, c.p)
		}
	}
}
