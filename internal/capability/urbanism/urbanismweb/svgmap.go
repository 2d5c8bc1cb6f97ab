package urbanismweb

import (
	"math"
	"strings"

	"github.com/paulmach/orb"
	orbclip "github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"

	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/svgmap"
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
	proj      svgmap.Projection
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

// mapHeights bound the drawing's height: a tall box is widened instead,
// so that the page's frame (at most 80 % of the screen's height) shows
// the map across its whole width.
const minMapHeight, maxMapHeight = 200, 440

// newMap returns an empty map of box, widened by margin (a fraction of
// its larger side) on each side.
func newMap(box orb.Bound, margin float64, label string) *svgMap {
	proj := svgmap.New(box, mapWidth, svgmap.Options{Margin: margin, MinHeight: minMapHeight, MaxHeight: maxMapHeight})
	return &svgMap{proj: proj, Label: label, Width: proj.Width(), Height: proj.Height()}
}

// bound is the box the drawing shows, which holds the one asked for.
func (m *svgMap) bound() orb.Bound {
	return m.proj.Box()
}

// xy projects a point (kernel/svgmap: equirectangular at the box's
// latitude, exact enough over a commune).
func (m *svgMap) xy(p orb.Point) (float64, float64) { return m.proj.XY(p) }

// path writes a shape as an SVG path clipped to the map and simplified
// to what a pixel shows; empty when the map shows none of it.
func (m *svgMap) path(g orb.MultiPolygon) string { return m.proj.Path(g) }

// text places a label at p.
func (m *svgMap) text(p orb.Point, s, class string) {
	x, y := m.xy(p)
	m.Texts = append(m.Texts, svgText{X: svgmap.Num(x), Y: svgmap.Num(y), Text: s, Class: class})
}

// zoneClass is the CSS class giving a zone its colour by type.
func zoneClass(z *urbanism.Zone) string { return "zone zone-" + strings.ToLower(z.Type) }

// addZones draws the zones meeting the box, each with its label.
func (m *svgMap) addZones(t *urbanism.Territory, labels bool) {
	for _, z := range t.ZonesIn(m.bound()) {
		path := m.path(z.Geometry)
		if path == "" {
			continue
		}
		m.Zones = append(m.Zones, svgShape{Path: path, Class: zoneClass(z), Label: z.Label})
		if labels {
			if c := labelPoint(z.Geometry, m.bound()); c != nil {
				m.text(*c, z.Label, "zone-label")
			}
		}
	}
}

// labelPoint is where a shape's label goes in the box: inside the
// largest part of the shape that the box shows, near that part's
// centre; nil when the box shows none of it.
func labelPoint(g orb.MultiPolygon, box orb.Bound) *orb.Point {
	var best orb.Polygon
	area := 0.0
	for _, p := range orbclip.MultiPolygon(box, g.Clone()) {
		if a := math.Abs(planar.Area(p)); a > area {
			best, area = p, a
		}
	}
	if best == nil {
		return nil
	}
	c, _ := planar.CentroidArea(best)
	if planar.PolygonContains(best, c) {
		return &c
	}
	// A bent part (a ring, a crescent): the point of a 9 × 9 grid over
	// it that lies inside and nearest its centre.
	b := best.Bound()
	var found *orb.Point
	nearest := math.Inf(1)
	for i := 1; i < 10; i++ {
		for j := 1; j < 10; j++ {
			p := orb.Point{b.Min.X() + (b.Max.X()-b.Min.X())*float64(i)/10, b.Min.Y() + (b.Max.Y()-b.Min.Y())*float64(j)/10}
			if d := planar.Distance(p, c); d < nearest && planar.PolygonContains(best, p) {
				found, nearest = &p, d
			}
		}
	}
	return found
}

// addBuildings draws the buildings meeting the box.
func (m *svgMap) addBuildings(t *urbanism.Territory) {
	for _, b := range t.BuildingsIn(m.bound()) {
		if path := m.path(b.Geometry); path != "" {
			m.Buildings = append(m.Buildings, path)
		}
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
		if path := m.path(p.Geometry); path != "" {
			m.Parcels = append(m.Parcels, svgShape{Path: path, Href: parcelPath(p.ID), Label: label(p), Class: class})
		}
	}
}
