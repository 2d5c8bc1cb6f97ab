package svgmap

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

func TestZoomLevelsHalveTheViewDownToReadableParcels(t *testing.T) {
	w, h := sides(commune)
	max := MaxLevel(commune)
	if deepest := math.Max(w, h) / math.Ldexp(1, max); deepest > ReadableSide || deepest*2 <= ReadableSide {
		t.Fatalf("level %d shows %.0f m of %.0f m", max, deepest, math.Max(w, h))
	}
	if got := Zoom(commune, commune.Center(), 0); got != commune {
		t.Fatalf("level 0: %v", got)
	}
	centre := orb.Point{4.72, 45.99}
	for level := 1; level <= max; level++ {
		v := Zoom(commune, centre, level)
		vw, vh := v.Max.Lon()-v.Min.Lon(), v.Max.Lat()-v.Min.Lat()
		f := math.Ldexp(1, -level)
		if math.Abs(vw-(commune.Max.Lon()-commune.Min.Lon())*f) > 1e-12 || math.Abs(vh-(commune.Max.Lat()-commune.Min.Lat())*f) > 1e-12 {
			t.Fatalf("level %d: %v × %v degrees", level, vw, vh)
		}
		if !inside(v, commune) {
			t.Fatalf("level %d: %v leaves the territory", level, v)
		}
		if c := v.Center(); geo.Distance(c, centre) > 1e-6 {
			t.Fatalf("level %d centred on %v", level, c)
		}
	}
	if Zoom(commune, centre, max+3) != Zoom(commune, centre, max) || Zoom(commune, centre, -2) != commune {
		t.Fatal("levels beyond the range are not brought back into it")
	}
	small := Around(centre, 250)
	if MaxLevel(small) != 0 || Zoom(small, centre, 2) != small {
		t.Fatalf("a territory of 250 m has level %d", MaxLevel(small))
	}
}

func TestZoomKeepsTheViewInsideTheTerritory(t *testing.T) {
	for _, c := range []orb.Point{commune.Min, commune.Max, {0, 0}, {4.6, 46.01}, {math.NaN(), math.Inf(1)}} {
		v := Zoom(commune, c, 3)
		if !inside(v, commune) {
			t.Fatalf("centre %v: view %v leaves %v", c, v, commune)
		}
		if x := clamp(c.Lon(), commune.Min.Lon(), commune.Max.Lon()); x == commune.Min.Lon() && v.Min.Lon() != commune.Min.Lon() {
			t.Fatalf("centre %v: view %v does not stop at the territory's west", c, v)
		}
	}
}

func TestStepIsThePlaceClicked(t *testing.T) {
	max := MaxLevel(commune)
	place := orb.Point{4.7234, 45.9876}
	p := New(Zoom(commune, place, max), 300, Options{})
	x, y := p.XY(place)
	got := p.Step(int(x), int(y))
	if d := geo.Distance(got, place); d > 1 {
		t.Fatalf("a click on the place at the deepest level is %.2f m from it", d)
	}
	// Zooming in around a click keeps the place in view.
	next := New(Zoom(commune, got, max), 300, Options{})
	if !next.Box().Contains(place) {
		t.Fatalf("the next view %v lost %v", next.Box(), place)
	}
	for _, c := range [][2]int{{-5, -5}, {1 << 30, 1 << 30}, {p.Width(), 0}} {
		if pt := p.Step(c[0], c[1]); !p.Box().Contains(pt) {
			t.Fatalf("click at %v gives %v outside %v", c, pt, p.Box())
		}
	}
}
