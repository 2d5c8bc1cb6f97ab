package svgmap

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"
)

// tolerance is how far, in SVG units, a simplified outline may stray from
// the true one: half a pixel when the map is shown at its natural size,
// less when it is shown smaller.
const tolerance = 0.5

// simplifier keeps nothing between calls: one serves every Path.
var simplifier = simplify.DouglasPeucker(tolerance)

// Path is the SVG path data of g projected: each ring clipped to the box,
// simplified to what a pixel can show, a tenth of a unit precise, its
// first point absolute and the others relative (shorter). It is empty
// when nothing of g is in the box, or when every part of it lies within
// half a unit of a point. g is not changed.
func (p Projection) Path(g orb.MultiPolygon) string {
	w := pathWriter{p: p, view: orb.Bound{Max: orb.Point{float64(p.width), float64(p.height)}}}
	for _, poly := range g {
		for i, ring := range poly {
			if !w.ring(ring, i > 0) && i == 0 {
				break // no outer ring drawn: its holes are not either
			}
		}
	}
	return string(w.out)
}

// pathWriter holds what one Path call reuses from ring to ring.
type pathWriter struct {
	p    Projection
	view orb.Bound // the drawing, in SVG units
	buf  orb.Ring
	out  []byte
}

// ring writes one ring and tells whether it drew anything.
func (w *pathWriter) ring(ring orb.Ring, hole bool) bool {
	if len(ring) < 3 {
		return false
	}
	b := boundOf(ring)
	if !b.Intersects(w.p.box) {
		return false
	}
	w.buf = slices.Grow(w.buf[:0], len(ring))
	for _, pt := range ring {
		x, y := w.p.XY(pt)
		w.buf = append(w.buf, orb.Point{x, y})
	}
	r := w.buf
	if !inside(b, w.p.box) {
		// The projection is affine, so clipping in SVG units is clipping
		// to the box; clip uses r as its scratch space.
		if r = clip.Ring(w.view, r); len(r) < 3 {
			return false
		}
	}
	return w.write(simplifier.Ring(r), hole)
}

// write appends r's path data, dropping the points a tenth of a unit
// does not tell apart. An outline simplified to two points is kept (a
// thin strip drawn as a line), a hole needs three, and a ring left with
// one point, all of it within half a unit, is not drawn.
func (w *pathWriter) write(r orb.Ring, hole bool) bool {
	// About eight bytes a point: "l-1.5 2.3".
	w.out = slices.Grow(w.out, 8*len(r)+16)
	start, drawn := len(w.out), 0
	var fx, fy, px, py int64
	for i, pt := range r {
		x, y := tenths(pt[0]), tenths(pt[1])
		switch {
		case drawn == 0:
			w.out = append(w.out, 'M')
			w.out = appendTenths(w.out, x)
			w.out = append(w.out, ' ')
			w.out = appendTenths(w.out, y)
			fx, fy = x, y
		case x == px && y == py, i == len(r)-1 && x == fx && y == fy:
			continue // the same point again, or the last back on the first: z closes
		default:
			if drawn == 1 {
				w.out = append(w.out, 'l')
			} else if x >= px {
				w.out = append(w.out, ' ')
			}
			w.out = appendTenths(w.out, x-px)
			if y >= py {
				w.out = append(w.out, ' ')
			}
			w.out = appendTenths(w.out, y-py)
		}
		px, py = x, y
		drawn++
	}
	if drawn < 2 || (hole && drawn < 3) {
		w.out = w.out[:start]
		return false
	}
	w.out = append(w.out, 'z')
	return true
}

// inside tells whether a lies within b.
func inside(a, b orb.Bound) bool {
	return a.Min[0] >= b.Min[0] && a.Min[1] >= b.Min[1] && a.Max[0] <= b.Max[0] && a.Max[1] <= b.Max[1]
}

// boundOf is r's box: orb's Bound checks for emptiness at every point.
func boundOf(r orb.Ring) orb.Bound {
	b := orb.Bound{Min: r[0], Max: r[0]}
	for _, p := range r[1:] {
		b.Min[0], b.Max[0] = min(b.Min[0], p[0]), max(b.Max[0], p[0])
		b.Min[1], b.Max[1] = min(b.Min[1], p[1]), max(b.Max[1], p[1])
	}
	return b
}
