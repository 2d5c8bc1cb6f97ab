package svgmap

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geo"
)

// square is a closed ring of side metres with its south-west corner at sw.
func square(sw orb.Point, side float64) orb.Ring {
	n := geo.PointAtBearingAndDistance(sw, 0, side)
	e := geo.PointAtBearingAndDistance(sw, 90, side)
	return orb.Ring{sw, {e.Lon(), sw.Lat()}, {e.Lon(), n.Lat()}, {sw.Lon(), n.Lat()}, sw}
}

func TestPathDrawsTheOutlineWhereXYPutsIt(t *testing.T) {
	p := New(Around(orb.Point{4.72, 45.99}, 300), 300, Options{})
	r := square(orb.Point{4.7195, 45.9895}, 50)
	got := rings(t, p.Path(orb.MultiPolygon{{r}}))
	if len(got) != 1 || len(got[0]) != 4 {
		t.Fatalf("rings %v", got)
	}
	for i, pt := range got[0] {
		x, y := p.XY(r[i])
		if math.Abs(pt[0]-x) > 0.05+1e-9 || math.Abs(pt[1]-y) > 0.05+1e-9 {
			t.Fatalf("corner %d drawn at %v, projected at (%v, %v)", i, pt, x, y)
		}
	}
}

func TestPathOfAShapeOutsideTheBoxIsEmpty(t *testing.T) {
	p := New(Around(orb.Point{4.72, 45.99}, 300), 300, Options{})
	far := orb.MultiPolygon{{square(orb.Point{4.75, 45.99}, 50)}}
	if d := p.Path(far); d != "" {
		t.Fatalf("path %q", d)
	}
	if d := p.Path(nil); d != "" {
		t.Fatalf("path of nothing %q", d)
	}
}

func TestPathClipsAShapeHalfOutside(t *testing.T) {
	centre := orb.Point{4.72, 45.99}
	p := New(Around(centre, 300), 300, Options{})
	// 200 m square from the centre: its north-east part leaves the view.
	g := orb.MultiPolygon{{square(centre, 200)}}
	got := rings(t, p.Path(g))
	if len(got) != 1 {
		t.Fatalf("rings %v", got)
	}
	touches := 0
	for _, pt := range got[0] {
		if pt[0] < 0 || pt[1] < 0 || pt[0] > float64(p.Width()) || pt[1] > float64(p.Height()) {
			t.Fatalf("point %v outside the %d × %d drawing", pt, p.Width(), p.Height())
		}
		if pt[0] == float64(p.Width()) || pt[1] == 0 {
			touches++
		}
	}
	if touches < 3 {
		t.Fatalf("the clipped ring %v does not follow the edges", got[0])
	}
}

func TestPathLeavesItsInputAlone(t *testing.T) {
	centre := orb.Point{4.72, 45.99}
	g := orb.MultiPolygon{{square(centre, 200)}, {square(orb.Point{4.719, 45.989}, 20)}}
	before := g.Clone()
	New(Around(centre, 300), 300, Options{}).Path(g)
	if !g.Equal(before) {
		t.Fatalf("input changed: %v, was %v", g, before)
	}
}

func TestPathDrawsHolesOnlyInsideTheirOutline(t *testing.T) {
	centre := orb.Point{4.72, 45.99}
	p := New(Around(centre, 300), 300, Options{})
	outer := square(orb.Point{4.719, 45.989}, 100)
	hole := square(orb.Point{4.7195, 45.9895}, 20)
	if n := strings.Count(p.Path(orb.MultiPolygon{{outer, hole}}), "M"); n != 2 {
		t.Fatalf("%d rings drawn of an outline with a hole", n)
	}
	away := orb.MultiPolygon{{square(orb.Point{4.75, 45.99}, 100), hole}}
	if d := p.Path(away); d != "" {
		t.Fatalf("a hole drawn without its outline: %q", d)
	}
}

// jagged is a 30 m × 20 m parcel whose sides carry a point every 25 cm,
// each a few centimetres off the line, as surveys give.
func jagged(sw orb.Point) (ring orb.Ring, corners []orb.Point) {
	rnd := rand.New(rand.NewPCG(1, 2))
	corners = []orb.Point{sw, geo.PointAtBearingAndDistance(sw, 90, 30)}
	corners = append(corners, geo.PointAtBearingAndDistance(corners[1], 0, 20), geo.PointAtBearingAndDistance(sw, 0, 20))
	for i, a := range corners {
		b := corners[(i+1)%4]
		n := int(geo.Distance(a, b) / 0.25)
		for k := range n {
			f := float64(k) / float64(n)
			pt := orb.Point{a[0] + (b[0]-a[0])*f, a[1] + (b[1]-a[1])*f}
			if k > 0 {
				pt = geo.PointAtBearingAndDistance(pt, rnd.Float64()*360, rnd.Float64()*0.04)
			}
			ring = append(ring, pt)
		}
	}
	return append(ring, sw), corners
}

func TestPathSimplifiesToWhatAPixelShows(t *testing.T) {
	sw := orb.Point{4.72, 45.99}
	ring, corners := jagged(sw)
	g := orb.MultiPolygon{{ring}}

	// The whole commune on 800 units: about 13 m a unit.
	far := New(commune, 800, Options{})
	got := rings(t, far.Path(g))
	if len(got) != 1 || len(got[0]) > 4 {
		t.Fatalf("commune scale: %d points of %d kept: %v", len(got[0]), len(ring), got)
	}

	// 300 m on 300 units: a metre a unit; the corners stay, the survey's
	// centimetres go.
	near := New(Around(sw, 300), 300, Options{})
	got = rings(t, near.Path(g))
	if len(got) != 1 || len(got[0]) != 4 {
		t.Fatalf("300 m scale: %d points of %d kept: %v", len(got[0]), len(ring), got)
	}
	for i, c := range corners {
		x, y := near.XY(c)
		if math.Abs(got[0][i][0]-x) > 0.05+1e-9 || math.Abs(got[0][i][1]-y) > 0.05+1e-9 {
			t.Fatalf("corner %d at (%v, %v) drawn at %v", i, x, y, got[0][i])
		}
	}
}

func TestPathOfTheCommunesParcels(t *testing.T) {
	ps := parcels(t)
	if len(ps) != 6032 {
		t.Fatalf("%d parcels", len(ps))
	}
	whole := New(bound(ps), 800, Options{Margin: 0.01})
	deep := New(Around(whole.Box().Center(), 300), 300, Options{})
	for _, c := range []struct {
		name string
		p    Projection
	}{{"commune", whole}, {"300 m", deep}} {
		drawn := 0
		for i, g := range ps {
			d := c.p.Path(g)
			if d == "" {
				in := clip.MultiPolygon(c.p.Box(), g.Clone())
				if len(in) == 0 {
					continue
				}
				// Only what lies within half a unit of a point goes.
				x0, y0 := c.p.XY(in.Bound().LeftTop())
				x1, y1 := c.p.XY(in.Bound().RightBottom())
				if x1-x0 > 1 || y1-y0 > 1 {
					t.Fatalf("%s: parcel %d, %.1f × %.1f units, not drawn", c.name, i, x1-x0, y1-y0)
				}
				continue
			}
			drawn++
			for _, r := range rings(t, d) {
				for _, pt := range r {
					if pt[0] < 0 || pt[1] < 0 || pt[0] > float64(c.p.Width()) || pt[1] > float64(c.p.Height()) {
						t.Fatalf("%s: parcel %d has a point at %v", c.name, i, pt)
					}
				}
			}
		}
		t.Logf("%s: %d parcels drawn", c.name, drawn)
		if drawn == 0 || (c.name == "commune" && drawn < len(ps)*98/100) {
			t.Fatalf("%s: %d parcels drawn of %d", c.name, drawn, len(ps))
		}
	}
}
