package directoryweb

import (
	"math"
	"strconv"

	"guichet/internal/capability/directory"
)

// svgMap is a map of entries drawn on the server: each place a numbered
// point, a link with a name, placed from its latitude and longitude in a
// box of the territory. No tile server, no script: the Tab key walks the
// points, and the list beside the map says in words what it shows.
type svgMap struct {
	Width, Height int
	// Label names the map for screen readers.
	Label  string
	Points []svgPoint
	box    box
	scale  float64 // SVG units per degree of longitude, at the box's latitude
	cosLat float64
}

// svgPoint is one entry on the map.
type svgPoint struct {
	X, Y, R   string
	NX, NY    string // where its number is written
	Number    string
	Href      string
	Label     string
	Class     string
	Highlight bool
}

// box is a rectangle of longitudes and latitudes.
type box struct{ minLon, minLat, maxLon, maxLat float64 }

// mapWidth is the drawing's width in SVG units; the page scales it to the
// screen.
const mapWidth = 800

// boxOf is the box holding every positioned entry, widened by a margin so
// that no point touches the edge; ok is false when none has a position.
func boxOf(entries []*directory.Entry) (b box, ok bool) {
	for _, e := range entries {
		if !e.HasPosition {
			continue
		}
		if !ok {
			b, ok = box{e.Lon, e.Lat, e.Lon, e.Lat}, true
			continue
		}
		b.minLon, b.maxLon = math.Min(b.minLon, e.Lon), math.Max(b.maxLon, e.Lon)
		b.minLat, b.maxLat = math.Min(b.minLat, e.Lat), math.Max(b.maxLat, e.Lat)
	}
	if !ok {
		return b, false
	}
	// At least 400 m across, then a tenth more on each side.
	const least = 0.004
	if d := least - (b.maxLat - b.minLat); d > 0 {
		b.minLat, b.maxLat = b.minLat-d/2, b.maxLat+d/2
	}
	if d := least - (b.maxLon - b.minLon); d > 0 {
		b.minLon, b.maxLon = b.minLon-d/2, b.maxLon+d/2
	}
	padLat, padLon := (b.maxLat-b.minLat)*0.08, (b.maxLon-b.minLon)*0.08
	return box{b.minLon - padLon, b.minLat - padLat, b.maxLon + padLon, b.maxLat + padLat}, true
}

// around is a box of about 600 m centred on e.
func around(e *directory.Entry) box {
	const half = 0.0027
	w := half / math.Cos(e.Lat*math.Pi/180)
	return box{e.Lon - w, e.Lat - half, e.Lon + w, e.Lat + half}
}

func (b box) holds(e *directory.Entry) bool {
	return e.HasPosition && e.Lon >= b.minLon && e.Lon <= b.maxLon && e.Lat >= b.minLat && e.Lat <= b.maxLat
}

// newMap returns an empty map of b.
func newMap(b box, label string) *svgMap {
	m := &svgMap{box: b, Label: label, cosLat: math.Cos((b.minLat + b.maxLat) / 2 * math.Pi / 180)}
	m.scale = mapWidth / ((b.maxLon - b.minLon) * m.cosLat)
	m.Width = mapWidth
	m.Height = min(1000, max(240, int(math.Ceil((b.maxLat-b.minLat)*m.scale))))
	return m
}

// xy projects a point: an equirectangular projection at the box's
// latitude, exact enough over a commune.
func (m *svgMap) xy(lat, lon float64) (float64, float64) {
	return (lon - m.box.minLon) * m.cosLat * m.scale, (m.box.maxLat - lat) * m.scale
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// add places an entry, numbered n when n > 0.
func (m *svgMap) add(e *directory.Entry, n int, label string, highlight bool) {
	x, y := m.xy(e.Lat, e.Lon)
	r := 6.0
	p := svgPoint{X: num(x), Y: num(y), Href: e.Path(), Label: label, Class: "pin pin-" + e.Category, Highlight: highlight}
	if n > 0 {
		r = 12
		p.Number, p.NX, p.NY = strconv.Itoa(n), num(x), num(y)
	}
	if highlight {
		r = 16
		p.Class += " pin-current"
	}
	p.R = num(r)
	m.Points = append(m.Points, p)
}
