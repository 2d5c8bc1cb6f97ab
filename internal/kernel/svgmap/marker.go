package svgmap

import (
	"math"

	"github.com/paulmach/orb"
)

// Marker is a place shown on a map, in SVG units rounded to a tenth.
type Marker struct {
	// X and Y are where the place falls: a circle's centre, a pin's tip.
	X, Y float64
	// Pin is the path data of a pin size units tall, its tip on the place.
	Pin string
	// Inside tells whether the place lies in the box the map shows.
	Inside bool
}

// Marker places pt on the map with a pin size units tall.
func (p Projection) Marker(pt orb.Point, size float64) Marker {
	x, y := p.XY(pt)
	return Marker{X: round(x), Y: round(y), Pin: pin(x, y, size), Inside: p.box.Contains(pt)}
}

// pin is a drop standing on its tip at (x, y): a head of radius r, and
// the two lines from the tip touching it.
func pin(x, y, size float64) string {
	r := size * 0.35
	cy := y - size + r
	// The angle at the head's centre between the tip and a touching point.
	a := math.Acos(r / (size - r))
	dx, dy := r*math.Sin(a), r*math.Cos(a)
	b := []byte{'M'}
	b = appendPair(b, x, y)
	b = append(b, 'L')
	b = appendPair(b, x-dx, cy+dy)
	b = append(b, 'A')
	b = appendPair(b, r, r)
	b = append(b, " 0 1 1 "...)
	b = appendPair(b, x+dx, cy+dy)
	return string(append(b, 'Z'))
}

// appendPair writes "x y".
func appendPair(b []byte, x, y float64) []byte {
	b = appendTenths(b, tenths(x))
	return appendTenths(append(b, ' '), tenths(y))
}
