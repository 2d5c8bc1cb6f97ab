package svgmap

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// commune is a box about 10 km by 8 km around Villefranche-sur-Saône.
var commune = orb.Bound{Min: orb.Point{4.66, 45.95}, Max: orb.Point{4.79, 46.02}}

func TestRoundTripIsWithinAMetreAtCommuneScale(t *testing.T) {
	p := New(commune, 800, Options{Margin: 0.02})
	b := p.Box()
	worst := 0.0
	for i := 0; i <= 20; i++ {
		for j := 0; j <= 20; j++ {
			pt := orb.Point{b.Min.Lon() + (b.Max.Lon()-b.Min.Lon())*float64(i)/20, b.Min.Lat() + (b.Max.Lat()-b.Min.Lat())*float64(j)/20}
			back := p.Point(p.XY(pt))
			worst = math.Max(worst, geo.Distance(pt, back))
			x, y := float64(i)*float64(p.Width())/20, float64(j)*float64(p.Height())/20
			if x2, y2 := p.XY(p.Point(x, y)); math.Abs(x2-x) > 1e-6 || math.Abs(y2-y) > 1e-6 {
				t.Fatalf("XY(Point(%v, %v)) = %v, %v", x, y, x2, y2)
			}
		}
	}
	if worst > 1 {
		t.Fatalf("worst round trip %.3g m", worst)
	}
}

func TestNorthIsUpAndEastIsRight(t *testing.T) {
	p := New(commune, 800, Options{})
	c := commune.Center()
	x0, y0 := p.XY(c)
	xn, yn := p.XY(orb.Point{c.Lon(), c.Lat() + 0.001})
	xe, ye := p.XY(orb.Point{c.Lon() + 0.001, c.Lat()})
	if yn >= y0 || xn != x0 || xe <= x0 || ye != y0 {
		t.Fatalf("centre (%v, %v), north (%v, %v), east (%v, %v)", x0, y0, xn, yn, xe, ye)
	}
	if x, y := p.XY(p.Box().LeftTop()); x != 0 || y != 0 {
		t.Fatalf("north-west corner at (%v, %v)", x, y)
	}
	if x, y := p.XY(p.Box().RightBottom()); math.Abs(x-800) > 1e-9 || math.Abs(y-float64(p.Height())) > 1e-9 {
		t.Fatalf("south-east corner at (%v, %v), drawing %d × %d", x, y, p.Width(), p.Height())
	}
}

func TestASquareKilometreDrawsAsASquare(t *testing.T) {
	sw := orb.Point{4.7, 46}
	north := geo.PointAtBearingAndDistance(sw, 0, 1000)
	east := geo.PointAtBearingAndDistance(sw, 90, 1000)
	p := New(orb.Bound{Min: sw, Max: orb.Point{east.Lon(), north.Lat()}}, 800, Options{})
	if p.Width() != 800 || math.Abs(float64(p.Height())-800) > 2 {
		t.Fatalf("drawn %d × %d", p.Width(), p.Height())
	}
	if u := p.UnitsPerMetre(); math.Abs(u-0.8) > 0.002 {
		t.Fatalf("%v units a metre", u)
	}
}

func TestOptionsWidenTheBoxAndKeepTheAspect(t *testing.T) {
	flat := orb.Bound{Min: orb.Point{4.66, 45.99}, Max: orb.Point{4.79, 45.995}} // 10 km by 550 m
	tall := orb.Bound{Min: orb.Point{4.70, 45.95}, Max: orb.Point{4.705, 46.02}} // 390 m by 7.8 km
	for _, c := range []struct {
		name   string
		box    orb.Bound
		o      Options
		height int
	}{
		{"margin", commune, Options{Margin: 0.1}, 0},
		{"least height", flat, Options{MinHeight: 240}, 240},
		{"greatest height", tall, Options{MaxHeight: 1000}, 1000},
		{"both", tall, Options{Margin: 0.05, MinHeight: 240, MaxHeight: 600}, 600},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := New(c.box, 800, c.o)
			if p.Width() != 800 || (c.height > 0 && p.Height() != c.height) {
				t.Fatalf("drawn %d × %d", p.Width(), p.Height())
			}
			w, h := sides(c.box)
			want := pad(c.box, math.Max(w, h)*c.o.Margin)
			if got := p.Box(); !inside(want.Pad(-1e-9), got) {
				t.Fatalf("box %v does not hold %v", got, want)
			}
			// 100 m north and 100 m east of the centre are as far from it.
			c := p.Box().Center()
			x0, y0 := p.XY(c)
			xe, _ := p.XY(geo.PointAtBearingAndDistance(c, 90, 100))
			_, yn := p.XY(geo.PointAtBearingAndDistance(c, 0, 100))
			if math.Abs((xe-x0)-(y0-yn)) > 1e-3*(xe-x0) {
				t.Fatalf("100 m: %v units east, %v north", xe-x0, y0-yn)
			}
			if tl, br := p.Point(0, 0), p.Point(800, float64(p.Height())); geo.Distance(tl, p.Box().LeftTop()) > 0.01 || geo.Distance(br, p.Box().RightBottom()) > 0.01 {
				t.Fatalf("the drawing's corners are %v and %v, the box's %v", tl, br, p.Box())
			}
		})
	}
}

func TestScaledDrawsTheSameViewAtTheWidthShown(t *testing.T) {
	p := New(commune, 800, Options{Margin: 0.02})
	s := p.Scaled(300)
	if s.Width() != 300 || math.Abs(float64(s.Height())-float64(p.Height())*300/800) > 1 {
		t.Fatalf("scaled %d × %d from %d × %d", s.Width(), s.Height(), p.Width(), p.Height())
	}
	if !inside(p.Box(), s.Box()) || geo.Distance(p.Box().Min, s.Box().Min) > 1/s.UnitsPerMetre() {
		t.Fatalf("box %v, scaled %v", p.Box(), s.Box())
	}
	pt := orb.Point{4.72, 45.99}
	x, y := p.XY(pt)
	xs, ys := s.XY(pt)
	if math.Abs(xs-x*300/800) > 1e-9 || math.Abs(ys-y*300/800) > 1 {
		t.Fatalf("(%v, %v) scaled to (%v, %v)", x, y, xs, ys)
	}
}

func TestABoxAroundOnePointIsWidened(t *testing.T) {
	pt := orb.Point{4.72, 45.99}
	p := New(orb.Bound{Min: pt, Max: pt}, 100, Options{})
	w, h := sides(p.Box())
	if math.Abs(w-MinSide) > 1e-6 || math.Abs(h-MinSide) > 0.1 || p.Height() != 100 {
		t.Fatalf("%v m × %v m drawn %d × %d", w, h, p.Width(), p.Height())
	}
	if x, y := p.XY(pt); math.Abs(x-50) > 1e-6 || math.Abs(y-50) > 1e-6 {
		t.Fatalf("the point at (%v, %v)", x, y)
	}
	b := Around(pt, 300)
	if w, h := sides(b); math.Abs(w-300) > 1e-6 || math.Abs(h-300) > 1e-6 || b.Center() != pt {
		t.Fatalf("around: %v m × %v m centred on %v", w, h, b.Center())
	}
}
