package urbanismweb

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/applications"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// sitemap lists the search page, the map, the zones and their pages.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	ter, err := m.store.Territory(ctx, t.ID)
	if err != nil || ter.Empty() {
		return nil, err
	}
	out := []string{HomePath, MapPath, ZonesPath, RegisterPath}
	for _, l := range ter.Labels() {
		out = append(out, zonePath(l.Commune, l.Label))
	}
	return out, nil
}

func (m *Module) territory(r *http.Request) (*urbanism.Territory, error) {
	return m.store.Territory(r.Context(), tenantOf(r).ID)
}

// home is the search: by address, by reference, and the ways on.
func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.title")
	data := map[string]any{"Territory": ter, "Sources": ter.Sources}
	q := r.URL.Query()
	typed, section, number := strings.TrimSpace(q.Get("adresse")), strings.TrimSpace(q.Get("section")), strings.TrimSpace(q.Get("numero"))
	switch {
	case q.Has("adresse"):
		p.Form = q
		if typed == "" {
			p.Errors = map[string]string{"adresse": p.T("urbanism.error.address_empty")}
			break
		}
		found, err := m.store.FindAddresses(r.Context(), tenantOf(r).ID, typed)
		if err != nil {
			return err
		}
		data["Addresses"], data["Searched"] = found, true
		p.Title = p.T("urbanism.title_address", typed)
	case q.Has("section") || q.Has("numero"):
		p.Form = q
		p.Errors = referenceErrors(p, section, number)
		if len(p.Errors) > 0 {
			break
		}
		found := ter.ByReference(section, number)
		if len(found) == 1 {
			http.Redirect(w, r, parcelPath(found[0].ID), http.StatusSeeOther)
			return nil
		}
		data["Parcels"], data["Searched"] = found, true
		p.Title = p.T("urbanism.title_reference", strings.ToUpper(section), number)
	}
	if len(p.Errors) > 0 {
		p.Title = p.T("urbanism.title_error")
	}
	p.Data = data
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/home", p)
	return nil
}

// referenceErrors checks a typed parcel reference: a section of one or
// two letters or digits, a number of one to four digits.
func referenceErrors(p *web.Page, section, number string) map[string]string {
	errs := map[string]string{}
	if l := len(section); l == 0 || l > 2 || !alnum(section) {
		errs["section"] = p.T("urbanism.error.section")
	}
	if n, err := strconv.Atoi(number); err != nil || n <= 0 || n > 9999 {
		errs["numero"] = p.T("urbanism.error.number")
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// address sends a chosen address to the parcel under its point, or to
// the one the address names.
func (m *Module) address(w http.ResponseWriter, r *http.Request) error {
	a, err := m.store.Address(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	for _, id := range a.Parcels {
		if p, err := ter.Parcel(id); err == nil {
			http.Redirect(w, r, parcelPath(p.ID), http.StatusSeeOther)
			return nil
		}
	}
	p, err := ter.ParcelAt(a.Point)
	if err != nil {
		return guichet.Errorf(guichet.ENotFound, "Aucune parcelle du cadastre importé ne se trouve sous l'adresse « %s ».", a.Label())
	}
	http.Redirect(w, r, parcelPath(p.ID), http.StatusSeeOther)
	return nil
}

// atPoint sends a point of the map (longitude, latitude) to the parcel
// under it.
func (m *Module) atPoint(w http.ResponseWriter, r *http.Request) error {
	lon, err1 := strconv.ParseFloat(r.URL.Query().Get("lon"), 64)
	lat, err2 := strconv.ParseFloat(r.URL.Query().Get("lat"), 64)
	if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return guichet.Errorf(guichet.EInvalid, "Indiquez un point par sa longitude et sa latitude (lon=2.35&lat=48.85).")
	}
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	p, err := ter.ParcelAt(orb.Point{lon, lat})
	if err != nil {
		return guichet.Errorf(guichet.ENotFound, "Aucune parcelle ne se trouve en ce point.")
	}
	http.Redirect(w, r, parcelPath(p.ID), http.StatusSeeOther)
	return nil
}

// sheetView is a parcel's sheet as its page shows it.
type sheetView struct {
	*urbanism.Sheet
	Map       *svgMap
	Neighbors []*urbanism.Parcel
	Addresses []*urbanism.Address
	Sources   []urbanism.Source
	// Starts are the applications a resident may file for the parcel.
	Starts []applications.Start
}

// parcel is the parcel's sheet: its reference, area, zones with their
// share and rules, constraints, buildings, addresses, and a map of it
// among its neighbours.
func (m *Module) parcel(w http.ResponseWriter, r *http.Request) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	parcel, err := ter.Parcel(r.PathValue("id"))
	if err != nil {
		return err
	}
	addresses, err := m.store.AddressesOn(r.Context(), tenantOf(r).ID, parcel)
	if err != nil {
		return err
	}
	var starts []applications.Start
	if m.starts != nil {
		if starts, err = m.starts(r.Context(), tenantOf(r).ID, parcel.ID); err != nil {
			return err
		}
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.parcel.title", parcel.Label())
	// A sheet is not kept: 20,000 parcels of maps would weigh more than
	// the millisecond each takes.
	v := &sheetView{Sheet: ter.Sheet(parcel), Sources: ter.Sources, Addresses: addresses, Starts: starts}
	v.Map = newMap(parcel.Geometry.Bound(), 0.6, p.T("urbanism.parcel.map", parcel.Label()))
	v.Map.addZones(ter, true)
	v.Map.addBuildings(ter)
	for _, n := range ter.ParcelsIn(v.Map.bound()) {
		if n.ID != parcel.ID {
			v.Neighbors = append(v.Neighbors, n)
		}
	}
	v.Map.addParcels(append(v.Neighbors, parcel), parcel.ID, func(x *urbanism.Parcel) string {
		return p.T("urbanism.parcel.link", x.Label())
	})
	v.Map.text(parcel.Center(), parcel.Number, "parcel-label")
	p.Data = v
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/parcel", p)
	return nil
}

// zones lists the plan's zone labels with a map of the zoning.
func (m *Module) zones(w http.ResponseWriter, r *http.Request) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.zones.title")
	var zmap *svgMap
	if len(ter.Zones) > 0 {
		zmap = ter.Keep("zones|"+p.Lang, func() any {
			box := ter.Zones[0].Geometry.Bound()
			for _, z := range ter.Zones[1:] {
				box = box.Union(z.Geometry.Bound())
			}
			zm := newMap(box, 0.02, p.T("urbanism.zones.map"))
			zm.addZones(ter, true)
			return zm
		}).(*svgMap)
	}
	p.Data = map[string]any{"Labels": ter.Labels(), "Map": zmap, "Sources": ter.Sources}
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/zones", p)
	return nil
}

// zone is one zone label: its regulation's summary and file, and where it
// lies.
func (m *Module) zone(w http.ResponseWriter, r *http.Request) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	label, err := findLabel(ter, r.PathValue("commune"), r.PathValue("label"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.zone.title", label.Label)
	zmap := ter.Keep("zone|"+p.Lang+"|"+label.Commune+"/"+label.Label, func() any {
		box := label.Zones[0].Geometry.Bound()
		for _, z := range label.Zones[1:] {
			box = box.Union(z.Geometry.Bound())
		}
		zm := newMap(box, 0.15, p.T("urbanism.zone.map", label.Label))
		zm.addZones(ter, true)
		return zm
	}).(*svgMap)
	var summary template.HTML
	if label.Rule != nil && label.Rule.Summary != "" {
		summary = publishing.HTML(label.Rule.Summary)
	}
	p.Data = map[string]any{"Label": label, "Summary": summary, "Map": zmap, "Sources": ter.Sources}
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/zone", p)
	return nil
}

func findLabel(ter *urbanism.Territory, commune, label string) (*urbanism.ZoneLabel, error) {
	for _, l := range ter.Labels() {
		if l.Commune == commune && l.Label == label {
			return &l, nil
		}
	}
	return nil, urbanism.ErrNoZone
}

// regulation serves a zone's regulation PDF, as an attachment.
func (m *Module) regulation(w http.ResponseWriter, r *http.Request) error {
	rule, body, err := m.store.OpenRuleFile(r.Context(), tenantOf(r).ID, r.PathValue("commune"), r.PathValue("label"))
	if err != nil {
		return err
	}
	defer body.Close()
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", rule.FileName))
	w.Header().Set("ETag", `"`+rule.FileSHA256+`"`)
	if r.Header.Get("If-None-Match") == `"`+rule.FileSHA256+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err = io.Copy(w, body)
	return err
}
