package reportsweb

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"html/template"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"guichet/internal/kernel/svgmap"
)

// clickMap is the form's map: an <input type="image"> showing the view
// at Level of the territory, drawn clickWidth pixels wide. A click
// zooms in around the place clicked until the deepest level, where it
// chooses the place. Without script: the view travels in hidden fields.
type clickMap struct {
	// Src is the drawing as a data: URL, an image of its own that the
	// page's styles cannot reach: its colours are written in it.
	Src           template.URL
	Width, Height int
	Level, Max    int
	// Deepest tells that a click now chooses the place.
	Deepest bool
}

// territoryView is the box of the form's map at st's level.
func territoryView(territory orb.Bound, st *formState) orb.Bound {
	return svgmap.Zoom(territory, st.Centre, st.Level)
}

// formMap draws the map of the territory at st's view, with the place
// chosen as a pin.
func (m *Module) formMap(ctx context.Context, tenantID string, territory orb.Bound, st *formState, pinLabel string) (*clickMap, error) {
	rm, err := m.newMap(ctx, tenantID, territoryView(territory, st), 0, clickWidth, "")
	if err != nil {
		return nil, err
	}
	if st.HasPoint {
		rm.pin(st.Point, "", pinLabel, "pin-chosen")
	}
	maxLevel := svgmap.MaxLevel(territory)
	level := min(st.Level, maxLevel)
	return &clickMap{Src: template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(standaloneSVG(rm))),
		Width: rm.Width, Height: rm.Height, Level: level, Max: maxLevel, Deepest: level >= maxLevel}, nil
}

// clicked is the place clicked at pixel (x, y) of the map of st's view,
// drawn as formMap draws it.
func clicked(territory orb.Bound, st *formState, x, y int) orb.Point {
	return svgmap.New(territoryView(territory, st), clickWidth, mapOptions(clickWidth, 0)).Step(x, y)
}

// mapOptions are newMap's options for a map width units wide: the
// projection of a click must be the drawing's.
func mapOptions(width int, margin float64) svgmap.Options {
	return svgmap.Options{Margin: margin, MinHeight: minMapHeight * width / mapWidth, MaxHeight: maxMapHeight * width / mapWidth}
}

// The colours of the standalone drawing, those of signalements.css.
const (
	svgGround   = "#f4f1ea"
	svgArea     = `fill="#e6e2d6" stroke="#8c877a" stroke-width="1"`
	svgParcel   = `fill="none" stroke="#b3ad9e" stroke-width=".5"`
	svgBuilding = `fill="#c9c2b3"`
	svgPin      = `fill="#0b4f8a" stroke="#fff" stroke-width="1.5"`
	svgScale    = `stroke="#1a1a1a" stroke-width="2" fill="none"`
)

// standaloneSVG writes rm as an SVG document of its own, its styles in
// attributes, with its scale bar.
func standaloneSVG(rm *reportMap) []byte {
	var b strings.Builder
	w, h := strconv.Itoa(rm.Width), strconv.Itoa(rm.Height)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + w + `" height="` + h + `" viewBox="0 0 ` + w + " " + h + `">`)
	b.WriteString(`<rect width="` + w + `" height="` + h + `" fill="` + svgGround + `"/>`)
	group := func(attrs string, paths []string) {
		if len(paths) == 0 {
			return
		}
		b.WriteString("<g " + attrs + ">")
		for _, p := range paths {
			b.WriteString(`<path d="` + p + `"/>`)
		}
		b.WriteString("</g>")
	}
	group(svgArea, rm.Areas)
	group(svgParcel, rm.Parcels)
	group(svgBuilding, rm.Buildings)
	for _, p := range rm.Pins {
		b.WriteString(`<path ` + svgPin + ` d="` + p.Path + `"/>`)
	}
	if sb := rm.ScaleBar; sb.Length > 0 {
		y := svgmap.Num(float64(rm.Height) - 8)
		b.WriteString(`<path ` + svgScale + ` d="M8 ` + y + "h" + svgmap.Num(sb.Length) + `"/>`)
		b.WriteString(`<text x="8" y="` + svgmap.Num(float64(rm.Height)-12) + `" font-family="sans-serif" font-size="11" fill="#1a1a1a">`)
		_ = xml.EscapeText(&b, []byte(sb.Label))
		b.WriteString("</text>")
	}
	b.WriteString("</svg>")
	return []byte(b.String())
}
