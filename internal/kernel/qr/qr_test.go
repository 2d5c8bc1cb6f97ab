package qr

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

func TestSVGDrawsTheCodeWithItsLabel(t *testing.T) {
	svg, err := SVG("RDV-2026-7KQ4M2", `Code "QR"`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `aria-label="Code &quot;QR&quot;"`) || strings.Count(svg, "M") < 50 {
		t.Fatalf("svg: %.200s", svg)
	}
	other, _ := SVG("RDV-2026-7KQ4M3", "x")
	if other == svg {
		t.Fatal("two texts drew the same code")
	}
}

func TestPNGHasTheQuietZoneAndDarkModules(t *testing.T) {
	b, err := PNG("RDV-2026-7KQ4M2", 4)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := img.At(1, 1).RGBA(); r != 0xffff {
		t.Fatal("the corner is not blank")
	}
	// The finder pattern's top-left module is dark, just past the quiet zone.
	if r, _, _, _ := img.At(quiet*4+1, quiet*4+1).RGBA(); r != 0 {
		t.Fatal("the finder pattern is missing")
	}
}
