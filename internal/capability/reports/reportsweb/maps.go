package reportsweb

import (
	"context"

	"github.com/paulmach/orb"

	"guichet/internal/kernel/svgmap"
)

// Map drawing: the territory's backdrop (sections or zones, and parcels
// and buildings once close enough) under the reports' pins, all drawn on
// the server as SVG. No tile server, no script: pins are links, the Tab
// key walks them, and every page that shows a map also lists in words
// what it shows.
const (
	mapWidth                   = 800
	minMapHeight, maxMapHeight = 200, 440
	// clickWidth is the width at which a map sent as <input type="image">
	// is shown: its clicks come in these pixels (svgmap.Scaled).
	clickWidth = 320
	pinSize    = 28.0
)

// reportMap is a map ready for the "reports-map" template.
type reportMap struct {
	Width, Height int
	// Label names the map for screen readers.
	Label          string
	Areas, Parcels []string
	Buildings      []string
	Pins           []mapPin
	Credits        []string
	ScaleBar       svgmap.ScaleBar
	proj           svgmap.Projection
}

// mapPin is a report, or the place being chosen, on the map.
type mapPin struct {
	Path, Href, Label, Class string
	X, Y                     float64
}

// newMap draws the backdrop of box (margin: a fraction of its larger
// side added around it) width SVG units wide.
func (m *Module) newMap(ctx context.Context, tenantID string, box orb.Bound, margin float64, width int, label string) (*reportMap, error) {
	proj := svgmap.New(box, width, svgmap.Options{Margin: margin, MinHeight: minMapHeight * width / mapWidth,
		MaxHeight: maxMapHeight * width / mapWidth})
	out := &reportMap{Width: proj.Width(), Height: proj.Height(), Label: label, proj: proj, ScaleBar: proj.ScaleBar()}
	if m.Territory == nil {
		return out, nil
	}
	bd, err := m.Territory.TerritoryBackdrop(ctx, tenantID, proj.Box())
	if err != nil {
		return nil, err
	}
	add := func(to *[]string, shapes []orb.MultiPolygon) {
		for _, g := range shapes {
			if p := proj.Path(g); p != "" {
				*to = append(*to, p)
			}
		}
	}
	add(&out.Areas, bd.Areas)
	add(&out.Parcels, bd.Parcels)
	add(&out.Buildings, bd.Buildings)
	out.Credits = bd.Credits
	return out, nil
}

// pin adds a pin at pt, a link to href when href is set; class gives its
// colour (with the status's text in label, never the colour alone).
func (rm *reportMap) pin(pt orb.Point, href, label, class string) {
	mk := rm.proj.Marker(pt, pinSize*float64(rm.Width)/mapWidth)
	if !mk.Inside {
		return
	}
	rm.Pins = append(rm.Pins, mapPin{Path: mk.Pin, Href: href, Label: label, Class: class, X: mk.X, Y: mk.Y})
}

// territoryBox is the collectivité's territory, or false when it has none.
func (m *Module) territoryBox(ctx context.Context, tenantID string) (orb.Bound, bool, error) {
	if m.Territory == nil {
		return orb.Bound{}, false, nil
	}
	return m.Territory.TerritoryBound(ctx, tenantID)
}
