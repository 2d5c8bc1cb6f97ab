package directoryweb

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"guichet/internal/capability/directory"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// entryView is an entry as a list or its page shows it.
type entryView struct {
	*directory.Entry
	Number             int
	CategoryLabel      string
	KindLabel          string
	Status             string
	Open, StatusKnown  bool
	WheelchairLabel    string
	OnMap, HearingLoop bool
	Tel                template.URL
}

func (m *Module) view(p *web.Page, e *directory.Entry, n int, now time.Time, am bool) entryView {
	st := e.StatusAt(now, am)
	return entryView{Entry: e, Number: n, CategoryLabel: p.T("directory.category." + e.Category),
		KindLabel: p.T("directory.kind." + directory.KindOf(e.Category, e.Kind).Key), Status: statusText(p, st, now),
		Open: st.Open, StatusKnown: st.Known, WheelchairLabel: p.T("directory.wheelchair." + e.Wheelchair),
		OnMap: e.HasPosition, HearingLoop: e.HearingLoop, Tel: template.URL(directory.TelURI(e.Phone))} //nolint:gosec // a tel: URI of digits only
}

// categoryOptions are the categories as the filter offers them.
func categoryOptions(p *web.Page) []publishingweb.Option {
	out := make([]publishingweb.Option, 0, len(kernel.DirectoryCategories))
	for _, c := range kernel.DirectoryCategories {
		out = append(out, publishingweb.Option{Value: c, Label: p.T("directory.category." + c)})
	}
	return out
}

// legendItem is one category present on the map.
type legendItem struct{ Key, Label string }

// list is the directory: the search form with its filters, the results
// as a list and as a map.
func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	all, err := m.store.Published(r.Context(), t.ID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	now, am := m.now(r), alsaceMoselle(r)
	query := directory.Query{Words: q.Get("q"), Category: q.Get("categorie"), Wheelchair: q.Get("fauteuil") != "",
		AlsaceMoselle: am}
	if !directory.ValidCategory(query.Category) {
		query.Category = ""
	}
	if q.Get("ouvert") != "" {
		query.OpenAt = now
	}
	found := directory.Find(all, query)
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.title")
	views := make([]entryView, len(found))
	var mp *svgMap
	if b, ok := boxOf(all); ok {
		mp = newMap(b, p.T("directory.map.label", t.Name))
	}
	seen := map[string]bool{}
	var legend []legendItem
	for i, e := range found {
		views[i] = m.view(p, e, i+1, now, am)
		if mp != nil && e.HasPosition {
			mp.add(e, i+1, p.T("directory.map.point", i+1, e.Name, views[i].CategoryLabel), false)
			if !seen[e.Category] {
				seen[e.Category] = true
				legend = append(legend, legendItem{Key: e.Category, Label: views[i].CategoryLabel})
			}
		}
	}
	if mp != nil && len(mp.Points) == 0 {
		mp = nil
	}
	filtered := query.Words != "" || query.Category != "" || query.Wheelchair || !query.OpenAt.IsZero()
	p.Data = map[string]any{"Entries": views, "Map": mp, "Legend": legend, "Categories": categoryOptions(p),
		"Filtered": filtered, "Total": len(all), "Open": q.Get("ouvert") != "", "Wheelchair": query.Wheelchair,
		"Count": p.N("directory.count", len(views))}
	p.Form = url.Values{"q": {query.Words}, "categorie": {query.Category}}
	m.s.Render.Page(w, r, http.StatusOK, "directory/list", p)
	return nil
}

// entry is one entry's page.
func (m *Module) entry(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.PublicEntry(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	now, am := m.now(r), alsaceMoselle(r)
	p := m.s.Render.NewPage(r, e.Name, nil)
	v := m.view(p, e, 0, now, am)
	data := map[string]any{"Entry": v, "Week": weekView(p, e, now, am), "Description": publishing.HTML(e.Description)}
	if h := e.Hours(); h != nil {
		data["Rules"] = h.Describe(p.Lang)
	}
	if e.HasPosition {
		all, err := m.store.Published(r.Context(), t.ID)
		if err != nil {
			return err
		}
		b := around(e)
		mp := newMap(b, p.T("directory.map.around", e.Name))
		for _, o := range all {
			if o.ID != e.ID && b.holds(o) {
				mp.add(o, 0, p.T("directory.map.neighbour", o.Name, p.T("directory.category."+o.Category)), false)
			}
		}
		mp.add(e, 0, e.Name, true)
		data["Map"] = mp
	}
	data["JSONLD"] = m.jsonLD(p, e, now, am)
	p.Data = data
	m.s.Render.Page(w, r, http.StatusOK, "directory/entry", p)
	return nil
}

// equipmentsCSV is the SCDL équipements export, at a stable address
// open-data portals harvest.
func (m *Module) equipmentsCSV(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	var b bytes.Buffer
	if _, err := m.store.WriteSCDL(r.Context(), &b, t.ID, directory.Publisher{Name: t.Name, SIRET: t.SIRET, INSEE: t.INSEE}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="equipements.csv"`)
	_, err := w.Write(b.Bytes())
	return err
}

// jsonLD describes the entry in schema.org terms: its type, address,
// position, contact, accessibility and this week's opening hours.
func (m *Module) jsonLD(p *web.Page, e *directory.Entry, now time.Time, am bool) template.JS {
	k := directory.KindOf(e.Category, e.Kind)
	doc := map[string]any{"@context": "https://schema.org", "@type": k.SchemaOrg, "name": e.Name, "url": p.Canonical()}
	if e.Summary != "" {
		doc["description"] = e.Summary
	}
	if e.Address != "" || e.City != "" {
		doc["address"] = map[string]any{"@type": "PostalAddress", "streetAddress": e.Address, "postalCode": e.Postcode,
			"addressLocality": e.City, "addressCountry": "FR"}
	}
	if e.HasPosition {
		doc["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": e.Lat, "longitude": e.Lon}
	}
	if e.Phone != "" {
		doc["telephone"] = e.Phone
	}
	if e.Email != "" {
		doc["email"] = e.Email
	}
	if e.Website != "" {
		doc["sameAs"] = e.Website
	}
	if hours := schemaHours(e, now, am); len(hours) > 0 {
		doc["openingHours"] = hours
	}
	var features []map[string]any
	if e.Wheelchair == directory.WheelchairYes || e.Wheelchair == directory.WheelchairNo {
		features = append(features, map[string]any{"@type": "LocationFeatureSpecification", "name": "wheelchair accessible",
			"value": e.Wheelchair == directory.WheelchairYes})
	}
	if e.HearingLoop {
		features = append(features, map[string]any{"@type": "LocationFeatureSpecification", "name": "hearing loop", "value": true})
	}
	if len(features) > 0 {
		doc["amenityFeature"] = features
	}
	b, err := json.Marshal(doc) // escapes <, > and &: no text closes the script element
	if err != nil {
		return "{}"
	}
	return template.JS(b) //nolint:gosec // escaped by json.Marshal
}

// schemaHours writes the coming week's openings as schema.org's
// openingHours: "Mo 08:30-12:00,13:30-17:30", one line per open day.
func schemaHours(e *directory.Entry, now time.Time, am bool) []string {
	days := e.Week(now, 7, am)
	names := [...]string{"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"}
	var out []string
	for _, d := range days {
		if len(d.Spans) == 0 {
			continue
		}
		line := names[d.Date.Weekday()] + " "
		for i, s := range d.Spans {
			if i > 0 {
				line += ","
			}
			to := s.To.Format("15:04")
			if to == "00:00" && s.To.After(s.From) && s.To.Sub(d.Date) >= 24*time.Hour {
				to = "24:00"
			}
			line += s.From.Format("15:04") + "-" + to
		}
		out = append(out, line)
	}
	return out
}
