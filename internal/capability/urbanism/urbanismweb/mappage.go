package urbanismweb

import (
	"math"
	"net/http"
	"strconv"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/urbanism"
)

// The map of the territory comes in sectors, as a street atlas does: the
// whole territory cut in squares named by a letter (row) and a number
// (column), "B3". The overview shows the zones and the squares holding
// parcels; a square shows its parcels, each a link to its sheet. A
// commune of 20,000 parcels is never sent whole to a phone.

// tile is one square of the atlas.
type tile struct {
	Name    string
	Row     int
	Col     int
	Box     orb.Bound
	Parcels int
}

// atlas is the territory's squares.
type atlas struct {
	n     int
	box   orb.Bound
	Tiles []tile
}

// perTile is how many parcels a square is sized for, on average.
const perTile = 150

func atlasOf(ter *urbanism.Territory) *atlas {
	n := min(12, max(1, int(math.Ceil(math.Sqrt(float64(len(ter.Parcels))/perTile)))))
	a := &atlas{n: n, box: ter.Bound}
	w, h := (ter.Bound.Max.X()-ter.Bound.Min.X())/float64(n), (ter.Bound.Max.Y()-ter.Bound.Min.Y())/float64(n)
	for row := range n {
		for col := range n {
			// Rows run from the north, as one reads a map.
			box := orb.Bound{Min: orb.Point{ter.Bound.Min.X() + float64(col)*w, ter.Bound.Max.Y() - float64(row+1)*h},
				Max: orb.Point{ter.Bound.Min.X() + float64(col+1)*w, ter.Bound.Max.Y() - float64(row)*h}}
			count := len(ter.ParcelsIn(box))
			if count == 0 {
				continue
			}
			a.Tiles = append(a.Tiles, tile{Name: tileName(row, col), Row: row, Col: col, Box: box, Parcels: count})
		}
	}
	return a
}

func tileName(row, col int) string { return string(rune('A'+row)) + strconv.Itoa(col+1) }

func (a *atlas) find(name string) (*tile, bool) {
	for i := range a.Tiles {
		if a.Tiles[i].Name == name {
			return &a.Tiles[i], true
		}
	}
	return nil, false
}

// neighbour is a square next to the one shown, for the arrows.
type neighbour struct {
	Key, Name string
}

func (a *atlas) neighbours(t *tile) []neighbour {
	var out []neighbour
	for _, d := range []struct {
		key        string
		drow, dcol int
	}{{"north", -1, 0}, {"west", 0, -1}, {"east", 0, 1}, {"south", 1, 0}} {
		if n, ok := a.find(tileName(t.Row+d.drow, t.Col+d.dcol)); ok && t.Row+d.drow >= 0 && t.Col+d.dcol >= 0 &&
			t.Col+d.dcol < a.n {
			out = append(out, neighbour{Key: d.key, Name: n.Name})
		}
	}
	return out
}

// mapPage is the atlas: the overview, or one square with ?secteur=B3.
func (m *Module) mapPage(w http.ResponseWriter, r *http.Request) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	data := map[string]any{"Sources": ter.Sources, "Empty": ter.Empty()}
	p.Title, p.Data = p.T("urbanism.map.title"), data
	if ter.Empty() {
		m.s.Render.Page(w, r, http.StatusOK, "urbanism/map", p)
		return nil
	}
	a := atlasOf(ter)
	name := r.URL.Query().Get("secteur")
	if name == "" {
		overview := newMap(ter.Bound, 0.01, p.T("urbanism.map.overview"))
		overview.addZones(ter, false)
		for _, t := range a.Tiles {
			overview.Tiles = append(overview.Tiles, svgShape{Path: overview.path(boxShape(t.Box)), Href: MapPath + "?secteur=" + t.Name,
				Label: p.T("urbanism.map.tile_link", t.Name, t.Parcels)})
			overview.text(t.Box.Center(), t.Name, "tile-label")
		}
		data["Map"], data["Tiles"] = overview, a.Tiles
		m.s.Render.Page(w, r, http.StatusOK, "urbanism/map", p)
		return nil
	}
	t, ok := a.find(name)
	if !ok {
		return guichet.Errorf(guichet.ENotFound, "La carte n'a pas de secteur « %s ».", name)
	}
	p.Title = p.T("urbanism.map.tile_title", t.Name)
	detail := newMap(t.Box, 0.02, p.T("urbanism.map.tile_map", t.Name))
	detail.addZones(ter, true)
	detail.addBuildings(ter)
	parcels := ter.ParcelsIn(detail.box)
	detail.addParcels(parcels, "", func(x *urbanism.Parcel) string { return p.T("urbanism.parcel.link", x.Label()) })
	data["Map"], data["Tile"], data["Parcels"], data["Neighbours"] = detail, t, parcels, a.neighbours(t)
	data["Zones"] = ter.ZonesIn(detail.box)
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/map", p)
	return nil
}

// boxShape is a box as a shape to draw.
func boxShape(b orb.Bound) orb.MultiPolygon { return orb.MultiPolygon{b.ToPolygon()} }
