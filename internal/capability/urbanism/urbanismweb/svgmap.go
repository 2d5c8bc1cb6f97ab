package urbanismweb

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"guichet/internal/capability/urbanism"
)

// svgMap is a map drawn on the server: the shapes of a box of the
// territory projected to the SVG's own units. No tile server, no script:
// a parcel is a link, the Tab key walks them, and a table beside the map
// says in words what it shows.
type svgMap struct {
	Width, Height int
	// Label names the map for screen readers.
	Label     string
	Zones     []svgShape
	Buildings []string
	Parcels   []svgShape
	Tiles     []svgShape
	Texts     []svgText
	box       orb.Bound
	scale     float64 // SVG units per degree of longitude
	cosLat    float64
}

// svgShape is one outline, and its link when it has one.
type svgShape struct {
	Path, Href, Label, Class string
}

// svgText is a label placed on the map.
type svgText struct {
	X, Y  string
	Text  string
	Class string
}

// mapWidth is the drawing's width in SVG units; the height follows the
// box's shape. The page scales the drawing to the screen.
const mapWidth = 800

// newMap returns an empty map of box, widened by margin (a fraction of
// its size) on each side.
func newMap(box orb.Bound, margin float64, label string) *svgMap {
	w, h := box.Max.X()-box.Min.X(), box.Max.Y()-box.Min.Y()
	box = box.Pad(math.Max(w, h)*margin + 1e-5)
	m := &svgMap{box: box, Label: label, cosLat: math.Cos(box.Center().Lat() * math.Pi / 180)}
	w, h = (box.Max.X()-box.Min.X())*m.cosLat, box.Max.Y()-box.Min.Y()
	m.scale = mapWidth / w
	m.Width, m.Height = mapWidth, max(200, int(math.Ceil(h*m.scale)))
	return m
}

// xy projects a point: an equirectangular projection at the box's
// latitude, exact enough over a commune.
func (m *svgMap) xy(p orb.Point) (float64, float64) {
	return (p.Lon() - m.box.Min.Lon()) * m.cosLat * m.scale, (m.box.Max.Lat() - p.Lat()) * m.scale
}

// path writes a shape as an SVG path, dropping the points closer than
// half a unit to the line through their neighbours: what the eye cannot
// see is not sent.
func (m *svgMap) path(g orb.MultiPolygon) string {
	var b strings.Builder
	tolerance := 0.5 / m.scale
	for _, poly := range g {
		for _, ring := range poly {
			if len(ring) > 16 {
				ring = simplify.DouglasPeucker(tolerance).Ring(ring.Clone())
			}
			for i, p := range ring {
				x, y := m.xy(p)
				if i == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				b.WriteString(strconv.FormatFloat(x, 'f', 1, 64))
				b.WriteByte(' ')
				b.WriteString(strconv.FormatFloat(y, 'f', 1, 64))
			}
			b.WriteByte('Z')
		}
	}
	return b.String()
}

// text places a label at p.
func (m *svgMap) text(p orb.Point, s, class string) {
	x, y := m.xy(p)
	m.Texts = append(m.Texts, svgText{X: strconv.FormatFloat(x, 'f', 1, 64), Y: strconv.FormatFloat(y, 'f', 1, 64),
		Text: s, Class: class})
}

// zoneClass is the CSS class giving a zone its colour by type.
func zoneClass(z *urbanism.Zone) string { return "zone zone-" + strings.ToLower(z.Type) }

// addZones draws the zones meeting the box, each with its label.
func (m *svgMap) addZones(t *urbanism.Territory, labels bool) {
	for _, z := range t.ZonesIn(m.box) {
		m.Zones = append(m.Zones, svgShape{Path: m.path(z.Geometry), Class: zoneClass(z), Label: z.Label})
		if labels {
			if c := labelPoint(z.Geometry, m.box); c != nil {
				m.text(*c, z.Label, "zone-label")
			}
		}
	}
}

// labelPoint is where a shape's label goes in the box: the centre of its
// largest polygon's part in the box, nil when that falls outside.
func labelPoint(g orb.MultiPolygon, box orb.Bound) *orb.Point {
	best, area := -1, 0.0
	for i, p := range g {
		b := p.Bound()
		if !b.Intersects(box) {
			continue
		}
		if a := (b.Max.X() - b.Min.X()) * (b.Max.Y() - b.Min.Y()); a > area {
			best, area = i, a
		}
	}
	if best < 0 {
		return nil
	}
	b := g[best].Bound()
	c := orb.Bound{Min: orb.Point{max(b.Min.X(), box.Min.X()), max(b.Min.Y(), box.Min.Y())},
		Max: orb.Point{min(b.Max.X(), box.Max.X()), min(b.Max.Y(), box.Max.Y())}}.Center()
	return &c
}

// addBuildings draws the buildings meeting the box.
func (m *svgMap) addBuildings(t *urbanism.Territory) {
	for _, b := range t.BuildingsIn(m.box) {
		m.Buildings = append(m.Buildings, m.path(b.Geometry))
	}
}

// addParcels draws the parcels meeting the box as links to their sheets;
// current is drawn apart.
func (m *svgMap) addParcels(parcels []*urbanism.Parcel, current string, label func(*urbanism.Parcel) string) {
	for _, p := range parcels {
		class := "parcel"
		if p.ID == current {
			class = "parcel parcel-current"
		}
		m.Parcels = append(m.Parcels, svgShape{Path: m.path(p.Geometry), Href: parcelPath(p.ID), Label: label(p), Class: class})
	}
}
