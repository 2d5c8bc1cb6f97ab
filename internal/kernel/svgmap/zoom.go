package svgmap

import (
	"math"

	"github.com/paulmach/orb"
)

// ReadableSide is the side, in metres, of the deepest view of a map a
// resident zooms into: about a metre a pixel on a 300-pixel map, where
// parcels can be told apart and clicked.
const ReadableSide = 300.0

// MaxLevel is the deepest zoom level of territory: the first whose view,
// the territory's sides halved at each level, is at most ReadableSide
// across.
func MaxLevel(territory orb.Bound) int {
	w, h := sides(territory)
	s := math.Max(w, h)
	if !(s > ReadableSide) {
		return 0
	}
	return min(30, int(math.Ceil(math.Log2(s/ReadableSide))))
}

// Zoom is the box of the view of territory at level (0: the whole
// territory, each level halving its sides, up to MaxLevel), centred on
// centre unless that would leave the territory: the view is moved back
// inside it. Pages zoom without script by sending the centre and level
// along with the map's click.
func Zoom(territory orb.Bound, centre orb.Point, level int) orb.Bound {
	level = min(max(level, 0), MaxLevel(territory))
	if level == 0 {
		return territory
	}
	f := math.Ldexp(1, -level)
	halfW := (territory.Max.Lon() - territory.Min.Lon()) * f / 2
	halfH := (territory.Max.Lat() - territory.Min.Lat()) * f / 2
	x := clamp(centre.Lon(), territory.Min.Lon()+halfW, territory.Max.Lon()-halfW)
	y := clamp(centre.Lat(), territory.Min.Lat()+halfH, territory.Max.Lat()-halfH)
	// Bounded again: rounding must not leave the territory by a hair.
	return orb.Bound{
		Min: orb.Point{math.Max(x-halfW, territory.Min.Lon()), math.Max(y-halfH, territory.Min.Lat())},
		Max: orb.Point{math.Min(x+halfW, territory.Max.Lon()), math.Min(y+halfH, territory.Max.Lat())},
	}
}

// Step is the place clicked at pixel (x, y) of the map p draws, shown at
// its natural size (see Scaled): the centre of the next view when the
// page zooms in, the chosen place at the deepest level. A click outside
// the drawing, which a forged request may send, counts at its edge.
func (p Projection) Step(x, y int) orb.Point {
	cx := clamp(float64(x), 0, float64(p.width-1)) + 0.5
	cy := clamp(float64(y), 0, float64(p.height-1)) + 0.5
	return p.Point(cx, cy)
}

// clamp is v brought within [lo, hi]; lo when hi < lo or v is not a number.
func clamp(v, lo, hi float64) float64 {
	if !(v > lo) || hi < lo {
		return lo
	}
	return math.Min(v, hi)
}
