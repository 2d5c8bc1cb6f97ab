package svgmap

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestMarkerStandsOnItsPlace(t *testing.T) {
	p := New(Around(orb.Point{4.72, 45.99}, 300), 300, Options{})
	place := orb.Point{4.7205, 45.9905}
	m := p.Marker(place, 24)
	x, y := p.XY(place)
	if math.Abs(m.X-x) > 0.05 || math.Abs(m.Y-y) > 0.05 || !m.Inside {
		t.Fatalf("marker %+v for (%v, %v)", m, x, y)
	}
	if !strings.HasPrefix(m.Pin, "M"+Num(x)+" "+Num(y)+"L") || !strings.Contains(m.Pin, "A8.4 8.4 0 1 1 ") || !strings.HasSuffix(m.Pin, "Z") {
		t.Fatalf("pin %q", m.Pin)
	}
	if p.Marker(orb.Point{4.8, 45.99}, 24).Inside {
		t.Fatal("a place out of the box is inside")
	}
}

func TestPinTouchesItsHead(t *testing.T) {
	// The pin's sides leave the tip tangent to the head: at the touching
	// point, the side is square to the radius.
	x, y, size := 0.0, 0.0, 100.0
	r := size * 0.35
	cy := y - size + r
	a := math.Acos(r / (size - r))
	tx, ty := x-r*math.Sin(a), cy+r*math.Cos(a)
	if dot := (tx-x)*(tx-x) + (ty-y)*(ty-cy); math.Abs(dot) > 1e-9 {
		t.Fatalf("side and radius meet at %v", dot)
	}
	if d := pin(x, y, size); d != "M0 0L-29.5 -46.2A35 35 0 1 1 29.5 -46.2Z" {
		t.Fatalf("pin %q", d)
	}
}

func TestNumWritesATenth(t *testing.T) {
	for v, want := range map[float64]string{0: "0", -0.04: "0", 12: "12", 12.04: "12", 3.14159: "3.1", -1.25: "-1.3", 0.96: "1", 799.95: "800", -0.5: "-0.5"} {
		if got := Num(v); got != want {
			t.Errorf("Num(%v) = %q, want %q", v, got, want)
		}
	}
}
