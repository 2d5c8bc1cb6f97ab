package appointment

import "testing"

func TestNormalizeANTS(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"1234567890": "1234567890", "ab12cd34ef": "AB12CD34EF",
		" AB12-CD34 EF ": "AB12CD34EF", "123456789": "", "12345678901": "", "12345é7890": "", "": "", "AB12_CD34E": ""} {
		got, ok := NormalizeANTS(in)
		if ok != (want != "") || (ok && got != want) {
			t.Errorf("NormalizeANTS(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzNormalizeANTS(f *testing.F) {
	for _, s := range []string{"1234567890", "ab12-cd34 ef", "", "ÉÉÉÉÉÉÉÉÉÉ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeANTS(s)
		if !ok {
			return
		}
		if len(n) != 10 {
			t.Fatalf("accepted %q as %q", s, n)
		}
		for _, c := range n {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Fatalf("accepted %q as %q", s, n)
			}
		}
		if again, ok := NormalizeANTS(n); !ok || again != n {
			t.Fatalf("not idempotent: %q → %q", n, again)
		}
	})
}
