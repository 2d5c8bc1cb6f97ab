package tenant

import (
	"math"
	"strings"
	"testing"

	"guichet"
)

func TestContrastRatios(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#777777", "#ffffff", 4.48}, // the classic grey that just fails
		{"#767676", "#FFFFFF", 4.54},
		{"#1d4f91", "#ffffff", 8.14},
	}
	for _, c := range cases {
		if got := Contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
	if Contrast("#12345", "#ffffff") != 0 {
		t.Error("malformed colour has a contrast")
	}
}

func TestValidateRefusesLowContrastColours(t *testing.T) {
	t.Parallel()
	base := Tenant{Slug: "essai", Name: "Essai", Kind: KindCommune, TimeZone: "Europe/Paris",
		ColorPrimary: "#1d4f91", ColorAccent: "#8a2b0e"}
	if err := base.Validate(); err != nil {
		t.Fatalf("good colours refused: %v", err)
	}
	pale := base
	pale.ColorPrimary, pale.ColorAccent = "#7fb2e5", "#ff9900"
	err := pale.Validate()
	var e *guichet.Error
	if guichet.ErrorCode(err) != guichet.EInvalid {
		t.Fatalf("pale colours accepted: %v", err)
	}
	e = err.(*guichet.Error)
	if !strings.Contains(e.Fields["color_primary"], "4,5") || !strings.Contains(e.Fields["color_accent"], "4,5") {
		t.Errorf("messages do not explain the contrast rule: %v", e.Fields)
	}
}
