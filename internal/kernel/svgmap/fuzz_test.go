package svgmap

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// FuzzRoundTrip draws random boxes, from a street to a département,
// anywhere between 80° south and 80° north, and checks that Point undoes
// XY, that the drawing shows the box asked for, and that a click names a
// place inside it.
func FuzzRoundTrip(f *testing.F) {
	f.Add(4.72, 45.99, 10000.0, 8000.0, 800, 0.02, 0, 0, 0.5, 0.5)
	f.Add(-61.5, 16.2, 300.0, 300.0, 300, 0.0, 240, 0, 0.1, 0.9)
	f.Add(55.5, -21.1, 40000.0, 200.0, 500, 0.3, 0, 400, 1.0, 0.0)
	f.Fuzz(func(t *testing.T, lon, lat, wm, hm float64, width int, margin float64, minH, maxH int, fx, fy float64) {
		if bad(lon, lat, wm, hm, margin, fx, fy) {
			t.Skip()
		}
		c := orb.Point{wrap(lon, 180), wrap(lat, 80)}
		wm, hm = 1+math.Mod(math.Abs(wm), 60000), 1+math.Mod(math.Abs(hm), 60000)
		width = 1 + abs(width)%2000
		margin = math.Mod(math.Abs(margin), 1)
		minH, maxH = abs(minH)%3000, abs(maxH)%3000
		asked := stretch(Around(c, 1), wm, hm)
		p := New(asked, width, Options{Margin: margin, MinHeight: minH, MaxHeight: maxH})

		if p.Width() != width || p.Height() < 1 || (maxH > 0 && p.Height() > maxH) || (minH > 0 && (maxH == 0 || minH <= maxH) && p.Height() < minH) {
			t.Fatalf("drawn %d × %d for width %d, heights %d–%d", p.Width(), p.Height(), width, minH, maxH)
		}
		if !inside(asked.Pad(-1e-9), p.Box()) {
			t.Fatalf("box %v does not hold %v", p.Box(), asked)
		}
		fx, fy = math.Mod(math.Abs(fx), 1), math.Mod(math.Abs(fy), 1)
		b := p.Box()
		pt := orb.Point{b.Min.Lon() + (b.Max.Lon()-b.Min.Lon())*fx, b.Min.Lat() + (b.Max.Lat()-b.Min.Lat())*fy}
		x, y := p.XY(pt)
		if x < -1e-6 || y < -1e-6 || x > float64(p.Width())+1e-6 || y > float64(p.Height())+1e-6 {
			t.Fatalf("%v in the box drawn at (%v, %v) of %d × %d", pt, x, y, p.Width(), p.Height())
		}
		if d := geo.Distance(pt, p.Point(x, y)); d > 0.01 {
			t.Fatalf("%v comes back %.3g m away", pt, d)
		}
		if x2, y2 := p.XY(p.Point(x, y)); math.Abs(x2-x) > 1e-6 || math.Abs(y2-y) > 1e-6 {
			t.Fatalf("(%v, %v) comes back at (%v, %v)", x, y, x2, y2)
		}
		if !b.Contains(p.Step(int(x), int(y))) {
			t.Fatalf("a click at (%v, %v) names a place outside %v", x, y, b)
		}
	})
}

// stretch makes b wm metres wide and hm high around its centre.
func stretch(b orb.Bound, wm, hm float64) orb.Bound {
	c := b.Center()
	halfLat := hm / metresPerDegree / 2
	halfLon := wm / metresPerDegree / math.Cos(c.Lat()*math.Pi/180) / 2
	return orb.Bound{Min: orb.Point{c.Lon() - halfLon, c.Lat() - halfLat}, Max: orb.Point{c.Lon() + halfLon, c.Lat() + halfLat}}
}

// wrap brings v into [-limit, limit].
func wrap(v, limit float64) float64 { return math.Mod(v, limit) }

func bad(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return true
		}
	}
	return false
}

func abs(v int) int {
	if v < 0 {
		return -(v + 1)
	}
	return v
}
