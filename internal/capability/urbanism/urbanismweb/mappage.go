package urbanismweb

import (
	"net/http"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/urbanism"
)

// neighbour is a square next to the one shown, for the arrows.
type neighbour struct{ Key, Name string }

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
	name := r.URL.Query().Get("secteur")
	if name == "" {
		data["Map"], data["Tiles"] = ter.Keep("atlas|"+p.Lang, func() any {
			overview := newMap(ter.Bound, 0.01, p.T("urbanism.map.overview"))
			overview.addZones(ter, false)
			for _, t := range ter.Sectors() {
				overview.Tiles = append(overview.Tiles, svgShape{Path: overview.path(boxShape(t.Box)), Href: MapPath + "?secteur=" + t.Name,
					Label: p.T("urbanism.map.tile_link", t.Name, t.Parcels)})
				overview.text(t.Box.Center(), t.Name, "tile-label")
			}
			return overview
		}).(*svgMap), ter.Sectors()
		m.s.Render.Page(w, r, http.StatusOK, "urbanism/map", p)
		return nil
	}
	t, ok := ter.Sector(name)
	if !ok {
		return guichet.Errorf(guichet.ENotFound, "La carte n'a pas de secteur « %s ».", name)
	}
	p.Title = p.T("urbanism.map.tile_title", t.Name)
	detail := ter.Keep("sector|"+p.Lang+"|"+t.Name, func() any {
		d := newMap(t.Box, 0.02, p.T("urbanism.map.tile_map", t.Name))
		d.addZones(ter, true)
		d.addBuildings(ter)
		d.addParcels(ter.ParcelsIn(d.bound()), "", func(x *urbanism.Parcel) string { return p.T("urbanism.parcel.link", x.Label()) })
		return d
	}).(*svgMap)
	parcels := ter.ParcelsIn(detail.bound())
	var moves []neighbour
	around := ter.Neighbours(t)
	for _, dir := range []string{"north", "west", "east", "south"} {
		if n, ok := around[dir]; ok {
			moves = append(moves, neighbour{Key: dir, Name: n.Name})
		}
	}
	data["Map"], data["Tile"], data["Parcels"], data["Neighbours"] = detail, t, parcels, moves
	data["Zones"] = ter.ZonesIn(detail.bound())
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/map", p)
	return nil
}

// boxShape is a box as a shape to draw.
func boxShape(b orb.Bound) orb.MultiPolygon { return orb.MultiPolygon{b.ToPolygon()} }
