package network

import (
	"math"

	"gonum.org/v1/gonum/spatial/barneshut"
	"gonum.org/v1/gonum/spatial/r2"
)

// Point is a position of the drawing, in [0, 1] on both axes.
type Point struct{ X, Y float64 }

// Layout places the organisations that have ties (the others get no
// position: NaN) by Fruchterman and Reingold's force-directed method
// (1991): ties pull, every pair pushes, and the moves shrink each round.
// Each connected group is laid out on its own: the main network fills
// most of the frame, the isolated groups are stacked in a column beside
// it, so that a group that nothing ties to the rest does not drift to a
// corner and shrink the rest. It is deterministic: the clusters start on
// a circle, each one's members on a spiral around its place, so that the
// same network is always drawn the same way. Beyond exactLimit
// organisations the pushes are summed by gonum's Barnes–Hut
// approximation.
func Layout(g *Graph, m *Measures) []Point {
	out := make([]Point, g.Len())
	for i := range out {
		out[i] = Point{math.NaN(), math.NaN()}
	}
	for c, box := range frames(m.Components) {
		nodes := m.Components[c]
		pos := forces(g, m, nodes)
		for a, i := range nodes {
			out[i] = Point{box[0] + pos[a].X*(box[2]-box[0]), box[1] + pos[a].Y*(box[3]-box[1])}
		}
	}
	return out
}

// frames gives each group its part of the frame (x0, y0, x1, y1): the
// first, the largest, the whole frame when alone, else its left part;
// the others share the right column, each as tall as its size asks.
func frames(groups [][]int) [][4]float64 {
	if len(groups) == 0 {
		return nil
	}
	if len(groups) == 1 {
		return [][4]float64{{0, 0, 1, 1}}
	}
	const split, gap = 0.8, 0.03
	out := [][4]float64{{0, 0, split - gap, 1}}
	total := 0.0
	for _, g := range groups[1:] {
		total += math.Sqrt(float64(len(g)))
	}
	y := 0.0
	for _, g := range groups[1:] {
		h := math.Sqrt(float64(len(g))) / total
		// A small group is drawn no taller than it is wide.
		out = append(out, [4]float64{split, y, 1, y + math.Min(h, 1-split)})
		y += h
	}
	return out
}

// forces lays out one connected group, in the unit square.
func forces(g *Graph, m *Measures, nodes []int) []r2.Vec {
	index := make(map[int]int, len(nodes))
	for a, i := range nodes {
		index[i] = a
	}
	pos := start(m, nodes)
	n := len(nodes)
	k := 1 / math.Sqrt(float64(n)) // the ideal distance in a unit square
	rounds := 300
	if n > exactLimit {
		rounds = 80
	}
	disp := make([]r2.Vec, n)
	for round := range rounds {
		temp := 0.1 * (1 - float64(round)/float64(rounds))
		repel(pos, k, disp)
		for a, i := range nodes {
			for _, j := range g.Adj[i] {
				b := index[int(j)]
				if b <= a {
					continue
				}
				d := r2.Sub(pos[a], pos[b])
				dist := max(r2.Norm(d), 1e-9)
				f := r2.Scale(dist/k, d) // |f| = dist² / k
				disp[a] = r2.Sub(disp[a], f)
				disp[b] = r2.Add(disp[b], f)
			}
		}
		for a := range pos {
			// A pull to the middle keeps the group round.
			disp[a] = r2.Sub(disp[a], r2.Scale(gravity, r2.Sub(pos[a], r2.Vec{X: 0.5, Y: 0.5})))
			l := r2.Norm(disp[a])
			if l > 0 {
				pos[a] = r2.Add(pos[a], r2.Scale(math.Min(l, temp)/l, disp[a]))
			}
		}
	}
	fit(pos)
	return pos
}

// gravity is the strength of the pull to the middle.
const gravity = 1.0

// exactLimit is the size up to which every pair's push is summed.
const exactLimit = 600

// start places the clusters of a group on a circle and each one's
// members on a golden-angle spiral around its place; organisations
// outside any cluster start in the middle.
func start(m *Measures, nodes []int) []r2.Vec {
	pos := make([]r2.Vec, len(nodes))
	clusters := len(m.Clusters)
	seen := make([]int, clusters+1)
	const golden = 2.399963229728653 // radians
	for a, i := range nodes {
		c := m.Nodes[i].Cluster
		centre := r2.Vec{X: 0.5, Y: 0.5}
		slot := clusters
		if c >= 0 {
			angle := 2 * math.Pi * float64(c) / float64(max(clusters, 1))
			centre = r2.Add(centre, r2.Vec{X: 0.3 * math.Cos(angle), Y: 0.3 * math.Sin(angle)})
			slot = c
		}
		s := seen[slot]
		seen[slot]++
		r := 0.02 * math.Sqrt(float64(s)+0.5)
		pos[a] = r2.Add(centre, r2.Vec{X: r * math.Cos(float64(s)*golden), Y: r * math.Sin(float64(s)*golden)})
	}
	return pos
}

// repel sets disp to the pushes between every pair: k² / distance each.
func repel(pos []r2.Vec, k float64, disp []r2.Vec) {
	k2 := k * k
	if len(pos) > exactLimit {
		if repelApprox(pos, k2, disp) {
			return
		}
	}
	clear(disp)
	for a := range pos {
		for b := a + 1; b < len(pos); b++ {
			d := r2.Sub(pos[a], pos[b])
			d2 := d.X*d.X + d.Y*d.Y
			if d2 < 1e-12 {
				// Two at the same place: push them apart along a fixed axis.
				d, d2 = r2.Vec{X: 1e-4 * float64(b-a), Y: 1e-4}, 2e-8
			}
			f := r2.Scale(k2/d2, d) // |f| = k² / distance
			disp[a] = r2.Add(disp[a], f)
			disp[b] = r2.Sub(disp[b], f)
		}
	}
}

// particle is an organisation for the Barnes–Hut plane.
type particle r2.Vec

func (p particle) Coord2() r2.Vec { return r2.Vec(p) }
func (p particle) Mass() float64  { return 1 }

// repelApprox sums the pushes with gonum's Barnes–Hut plane; false when
// the plane cannot hold the positions (two too close together).
func repelApprox(pos []r2.Vec, k2 float64, disp []r2.Vec) bool {
	ps := make([]barneshut.Particle2, len(pos))
	for i, p := range pos {
		ps[i] = particle(p)
	}
	plane, err := barneshut.NewPlane(ps)
	if err != nil {
		return false
	}
	push := func(_, _ barneshut.Particle2, _, m2 float64, v r2.Vec) r2.Vec {
		d2 := v.X*v.X + v.Y*v.Y
		if d2 == 0 {
			return r2.Vec{}
		}
		return r2.Scale(-k2*m2/d2, v) // v points to the other mass: push away from it
	}
	for i, p := range ps {
		disp[i] = plane.ForceOn(p, 0.8, push)
	}
	return true
}

// fit scales the positions into [0, 1] on both axes, keeping the
// drawing's proportions.
func fit(pos []r2.Vec) {
	lo, hi := r2.Vec{X: math.Inf(1), Y: math.Inf(1)}, r2.Vec{X: math.Inf(-1), Y: math.Inf(-1)}
	for _, p := range pos {
		lo = r2.Vec{X: math.Min(lo.X, p.X), Y: math.Min(lo.Y, p.Y)}
		hi = r2.Vec{X: math.Max(hi.X, p.X), Y: math.Max(hi.Y, p.Y)}
	}
	size := math.Max(hi.X-lo.X, hi.Y-lo.Y)
	if size == 0 {
		for i := range pos {
			pos[i] = r2.Vec{X: 0.5, Y: 0.5}
		}
		return
	}
	off := r2.Vec{X: (size - (hi.X - lo.X)) / 2, Y: (size - (hi.Y - lo.Y)) / 2}
	for i, p := range pos {
		pos[i] = r2.Scale(1/size, r2.Add(r2.Sub(p, lo), off))
	}
}
