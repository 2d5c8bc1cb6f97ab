// Package svgmap draws maps on the server as SVG, without tiles or script:
// an equirectangular projection at the latitude of the box shown (exact
// enough over a commune) and its inverse, so that a click on a map sent
// as an <input type="image"> names a place; outlines as path data clipped
// to the box and simplified to what a pixel can show; a zoom by levels,
// markers and a scale bar.
package svgmap

import (
	"math"

	"github.com/paulmach/orb"
)

// metresPerDegree is the length of a degree of latitude on orb's sphere,
// the one orb/geo measures distances on.
const metresPerDegree = orb.EarthRadius * math.Pi / 180

// MinSide is the least side of the box a projection shows, in metres:
// a box around a single point still makes a map.
const MinSide = 10.0

// Projection places longitudes and latitudes of a box in a drawing
// Width SVG units wide and Height high, north up, a metre the same
// length both ways. Boxes must lie between 85° south and 85° north. New
// makes one; it is a value, safe to share between goroutines.
type Projection struct {
	box           orb.Bound
	width, height int
	kx, ky        float64 // SVG units per degree of longitude, of latitude
}

// Options are a projection's optional settings; the zero value has none.
type Options struct {
	// Margin widens the box on every side by this fraction of its larger
	// side, so that nothing drawn touches the edge.
	Margin float64
	// MinHeight and MaxHeight bound the drawing's height in SVG units
	// (0: no bound); the box is widened rather than stretched, north and
	// south for a MinHeight, east and west for a MaxHeight.
	MinHeight, MaxHeight int
}

// New returns the projection of box drawn width SVG units wide (at least
// one). The box shown, Box, holds box and its margin.
func New(box orb.Bound, width int, o Options) Projection {
	width = max(width, 1)
	box = widen(box, MinSide)
	if o.Margin > 0 {
		w, h := sides(box)
		box = pad(box, math.Max(w, h)*o.Margin)
	}
	c := box.Center()
	cos := math.Cos(c.Lat() * math.Pi / 180)
	ky := float64(width) / ((box.Max.Lon() - box.Min.Lon()) * cos)
	natural := (box.Max.Lat() - box.Min.Lat()) * ky
	height := int(math.Ceil(natural - 1e-6))
	if o.MinHeight > 0 {
		height = max(height, o.MinHeight)
	}
	if o.MaxHeight > 0 {
		height = min(height, o.MaxHeight)
	}
	height = max(height, 1)
	if float64(height) < natural {
		// Too tall: a smaller scale, and the box widened to the width.
		ky = float64(height) / (box.Max.Lat() - box.Min.Lat())
		half := float64(width) / (ky * cos) / 2
		box.Min[0], box.Max[0] = c.Lon()-half, c.Lon()+half
	} else {
		// The height rounded up or raised: the box grows north and south.
		half := float64(height) / ky / 2
		box.Min[1], box.Max[1] = c.Lat()-half, c.Lat()+half
	}
	return Projection{box: box, width: width, height: height, kx: ky * cos, ky: ky}
}

// Scaled is the same view drawn displayWidth units wide, so that a page
// can show a map at its natural size (one SVG unit per CSS pixel), as a
// click on an <input type="image"> needs: 300 fits a 320-pixel screen.
func (p Projection) Scaled(displayWidth int) Projection {
	return New(p.box, displayWidth, Options{})
}

// XY is where pt falls in the drawing, in SVG units from its top left
// corner; points outside the box fall outside the drawing.
func (p Projection) XY(pt orb.Point) (x, y float64) {
	return (pt.Lon() - p.box.Min.Lon()) * p.kx, (p.box.Max.Lat() - pt.Lat()) * p.ky
}

// Point is the place drawn at (x, y): the inverse of XY.
func (p Projection) Point(x, y float64) orb.Point {
	return orb.Point{p.box.Min.Lon() + x/p.kx, p.box.Max.Lat() - y/p.ky}
}

// Width is the drawing's width in SVG units.
func (p Projection) Width() int { return p.width }

// Height is the drawing's height in SVG units.
func (p Projection) Height() int { return p.height }

// Box is the box the drawing shows, which holds the one asked for.
func (p Projection) Box() orb.Bound { return p.box }

// UnitsPerMetre is the drawing's scale: SVG units for a metre on the
// ground, the same east–west and north–south.
func (p Projection) UnitsPerMetre() float64 { return p.ky / metresPerDegree }

// Around is the box side metres across centred on centre.
func Around(centre orb.Point, side float64) orb.Bound {
	return pad(orb.Bound{Min: centre, Max: centre}, side/2)
}

// sides are a box's width and height in metres, at its middle latitude.
func sides(b orb.Bound) (w, h float64) {
	cos := math.Cos(b.Center().Lat() * math.Pi / 180)
	return (b.Max.Lon() - b.Min.Lon()) * cos * metresPerDegree, (b.Max.Lat() - b.Min.Lat()) * metresPerDegree
}

// pad widens b by d metres on every side.
func pad(b orb.Bound, d float64) orb.Bound {
	dLat := d / metresPerDegree
	dLon := dLat / math.Cos(b.Center().Lat()*math.Pi/180)
	return orb.Bound{Min: orb.Point{b.Min.Lon() - dLon, b.Min.Lat() - dLat}, Max: orb.Point{b.Max.Lon() + dLon, b.Max.Lat() + dLat}}
}

// widen makes each of b's sides at least least metres, around its centre.
func widen(b orb.Bound, least float64) orb.Bound {
	w, h := sides(b)
	c := b.Center()
	if h < least {
		half := least / metresPerDegree / 2
		b.Min[1], b.Max[1] = c.Lat()-half, c.Lat()+half
	}
	if w < least {
		half := least / metresPerDegree / math.Cos(c.Lat()*math.Pi/180) / 2
		b.Min[0], b.Max[0] = c.Lon()-half, c.Lon()+half
	}
	return b
}
