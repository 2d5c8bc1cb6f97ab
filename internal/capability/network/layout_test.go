package network

import (
	"fmt"
	"math"
	"reflect"
	"testing"
)

func TestLayoutIsStableAndSeparatesClusters(t *testing.T) {
	t.Parallel()
	// Two triangles joined by a bridge, and one organisation without ties.
	g := graphOf(7, [2]int{0, 1}, [2]int{1, 2}, [2]int{0, 2}, [2]int{3, 4}, [2]int{4, 5}, [2]int{3, 5}, [2]int{2, 3})
	m := Measure(g)
	pos := Layout(g, m)
	if again := Layout(g, m); !reflect.DeepEqual(fmtPoints(pos), fmtPoints(again)) {
		t.Fatalf("two layouts of one network differ:\n%v\n%v", pos, again)
	}
	if !math.IsNaN(pos[6].X) {
		t.Errorf("the organisation without ties was placed at %v", pos[6])
	}
	for i, p := range pos[:6] {
		if p.X < 0 || p.X > 1 || p.Y < 0 || p.Y > 1 {
			t.Errorf("organisation %d at %v, outside the frame", i, p)
		}
	}
	dist := func(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }
	centre := func(ids ...int) Point {
		var c Point
		for _, i := range ids {
			c.X += pos[i].X / float64(len(ids))
			c.Y += pos[i].Y / float64(len(ids))
		}
		return c
	}
	apart := dist(centre(0, 1, 2), centre(3, 4, 5))
	for _, pair := range [][2]int{{0, 1}, {1, 2}, {3, 4}, {4, 5}} {
		if d := dist(pos[pair[0]], pos[pair[1]]); d >= apart {
			t.Errorf("%v are %.3f apart, the triangles' centres %.3f: the clusters are not drawn apart", pair, d, apart)
		}
	}
	for a := range 6 {
		for b := a + 1; b < 6; b++ {
			if dist(pos[a], pos[b]) < 0.05 {
				t.Errorf("organisations %d and %d overlap: %v, %v", a, b, pos[a], pos[b])
			}
		}
	}
}

func TestLayoutOfALargeNetworkStaysInTheFrame(t *testing.T) {
	t.Parallel()
	g := randomGraph(exactLimit+200, 2400, 5)
	pos := Layout(g, Measure(g))
	for i, p := range pos {
		if len(g.Adj[i]) > 0 && (math.IsNaN(p.X) || p.X < 0 || p.X > 1 || p.Y < 0 || p.Y > 1) {
			t.Fatalf("organisation %d at %v", i, p)
		}
	}
}

// fmtPoints writes points as text, NaN included (which DeepEqual never
// finds equal to itself).
func fmtPoints(ps []Point) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%.9f %.9f", p.X, p.Y)
	}
	return out
}
