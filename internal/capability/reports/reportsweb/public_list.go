package reportsweb

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel/svgmap"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// pubListStates are the list's filter by state, as the address writes it:
// the statuses each shows (none: every listed one).
var pubListStates = map[string][]reports.Status{
	"ouverts": reports.OpenStatuses,
	"resolus": {reports.Fixed, reports.Closed},
}

// pubListStateOrder is the filter's options in order.
var pubListStateOrder = []string{"ouverts", "resolus"}

// pubListSize is how many reports a page of the list shows.
const pubListSize = 20

// pubPointsSide is the least side, in metres, of a map framed on its
// points alone: one report still shows its street.
const pubPointsSide = 600

// pubListItem is a report as the list shows it.
type pubListItem struct {
	Path, Reference, Category, Address, Reported string
	Status                                       reports.Status
}

// pubList is the public map and list of reports, with their filters.
func (m *Module) pubList(w http.ResponseWriter, r *http.Request) error {
	ctx, t := r.Context(), tenant.FromContext(r.Context())
	q := r.URL.Query()
	all, err := m.store.Categories(ctx, t.ID)
	if err != nil {
		return err
	}
	cats := pubCategoryNames(all)
	var cat *reports.Category
	var options []publishingweb.Option
	for _, c := range all {
		if c.Active {
			options = append(options, publishingweb.Option{Value: c.Code, Label: c.Name})
		}
		if code := q.Get("categorie"); code != "" && c.Code == code {
			cat = c
		}
	}
	catID, state := "", q.Get("etat")
	if cat != nil {
		catID = cat.ID
	}
	statuses, ok := pubListStates[state]
	if !ok {
		state = ""
	}
	after := pubCursorOf(r)
	page, next, err := m.publicPage(ctx, t.ID, catID, statuses, after)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.public.title")
	loc := t.Location()
	items := make([]pubListItem, len(page))
	for i, rp := range page {
		items[i] = pubListItem{Path: rp.Path(), Reference: rp.Reference, Category: pubCategoryName(cats, rp.CategoryID),
			Address: rp.Address, Reported: pubDay(p, loc, rp.CreatedAt), Status: rp.Status}
	}
	mp, summary, err := m.pubListMap(ctx, p, t, cats, catID, statuses)
	if err != nil {
		return err
	}
	stateOptions := make([]publishingweb.Option, len(pubListStateOrder))
	for i, s := range pubListStateOrder {
		stateOptions[i] = publishingweb.Option{Value: s, Label: p.T("reports.public.state." + s)}
	}
	filter := url.Values{}
	if cat != nil {
		filter.Set("categorie", cat.Code)
	}
	if state != "" {
		filter.Set("etat", state)
	}
	data := map[string]any{"Items": items, "Map": mp, "Summary": summary, "Categories": options, "States": stateOptions,
		"Filtered": len(filter) > 0, "First": after.ID != "", "FirstURL": pubListURL(filter, publishing.Cursor{})}
	if next.ID != "" {
		data["NextURL"] = pubListURL(filter, next)
	}
	data["JSONLD"] = pubListJSONLD(p, t, items)
	p.Data = data
	p.Form = url.Values{"categorie": {filter.Get("categorie")}, "etat": {state}}
	m.s.Render.Page(w, r, http.StatusOK, "reports/list", p)
	return nil
}

// pubListURL is the list's address with its filter, from a page's cursor.
func pubListURL(filter url.Values, after publishing.Cursor) string {
	v := url.Values{}
	for k, vs := range filter {
		v[k] = vs
	}
	if after.ID != "" {
		v.Set("apres", after.String())
	}
	if len(v) == 0 {
		return ListPath
	}
	return ListPath + "?" + v.Encode()
}

// publicPage is a page of the public list of some statuses (nil: every
// listed one). The store lists one status or all: for a few, each one's
// page after the same cursor is read and the newest kept, which are the
// newest of them all.
func (m *Module) publicPage(ctx context.Context, tenantID, categoryID string, statuses []reports.Status,
	after publishing.Cursor) ([]*reports.Report, publishing.Cursor, error) {
	f := reports.PublicFilter{CategoryID: categoryID, After: after, Limit: pubListSize}
	if statuses == nil {
		return m.store.PublicList(ctx, tenantID, f)
	}
	var merged []*reports.Report
	more := false
	for _, st := range statuses {
		f.Status = st
		list, next, err := m.store.PublicList(ctx, tenantID, f)
		if err != nil {
			return nil, publishing.Cursor{}, err
		}
		merged, more = append(merged, list...), more || next.ID != ""
	}
	slices.SortFunc(merged, func(a, b *reports.Report) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	if len(merged) > pubListSize {
		merged, more = merged[:pubListSize], true
	}
	if !more || len(merged) == 0 {
		return merged, publishing.Cursor{}, nil
	}
	last := merged[len(merged)-1]
	return merged, publishing.Cursor{At: last.CreatedAt, ID: last.ID}, nil
}

// pubMapSummary says in words what the map shows.
type pubMapSummary struct {
	Text      string
	Truncated bool
}

// pubListMap draws the public reports over the territory, or over their
// own box when the collectivité has no territory; nil when there is
// nothing to frame.
func (m *Module) pubListMap(ctx context.Context, p *web.Page, t *tenant.Tenant, cats map[string]*reports.Category,
	categoryID string, statuses []reports.Status) (*reportMap, *pubMapSummary, error) {
	box, framed, err := m.territoryBox(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	area := reports.Box{South: -90, West: -180, North: 90, East: 180}
	if framed {
		area = reports.Box{South: box.Min.Lat(), West: box.Min.Lon(), North: box.Max.Lat(), East: box.Max.Lon()}
	}
	pts, truncated, err := m.store.MapPoints(ctx, t.ID, area, categoryID)
	if err != nil {
		return nil, nil, err
	}
	if statuses != nil {
		pts = slices.DeleteFunc(pts, func(pt reports.Point) bool { return !slices.Contains(statuses, pt.Status) })
	}
	// The map frames the reports it shows, the territory when there is
	// none: a commune's reports gather in its streets.
	if !framed && len(pts) == 0 {
		return nil, nil, nil
	}
	if len(pts) > 0 {
		box = orb.Bound{Min: orb.Point{pts[0].Lon, pts[0].Lat}, Max: orb.Point{pts[0].Lon, pts[0].Lat}}
		for _, pt := range pts[1:] {
			box = box.Extend(orb.Point{pt.Lon, pt.Lat})
		}
		box = box.Union(svgmap.Around(box.Center(), pubPointsSide))
	}
	rm, err := m.newMap(ctx, t.ID, box, 0.08, mapWidth, p.T("reports.public.map_label", t.Name))
	if err != nil {
		return nil, nil, err
	}
	open := 0
	for i := len(pts) - 1; i >= 0; i-- { // the newest drawn last, on top
		pt := pts[i]
		if pt.Status.Open() {
			open++
		}
		rm.pin(orb.Point{pt.Lon, pt.Lat}, reports.ReportPath(pt.ID),
			pubPinLabel(p, pt.Reference, pubCategoryName(cats, pt.CategoryID), pt.Status), pubPinClass(pt.Status))
	}
	text := p.T("reports.public.map_none")
	if len(pts) > 0 {
		text = p.T("reports.public.map_summary", p.N("reports.public.map_total", len(pts)),
			p.N("reports.public.map_open", open), p.N("reports.public.map_fixed", len(pts)-open))
	}
	return rm, &pubMapSummary{Text: text, Truncated: truncated}, nil
}

// pubListJSONLD describes the list as a schema.org collection of the
// reports of its page.
func pubListJSONLD(p *web.Page, t *tenant.Tenant, items []pubListItem) template.JS {
	elems := make([]map[string]any, len(items))
	for i, it := range items {
		elems[i] = map[string]any{"@type": "ListItem", "position": i + 1, "url": p.Absolute(it.Path),
			"name": it.Reference + " — " + it.Category}
	}
	return publishingweb.JSONLD(map[string]any{
		"@context": "https://schema.org", "@type": "CollectionPage", "name": p.Title, "url": p.Canonical(),
		"inLanguage": p.Lang,
		"isPartOf":   map[string]any{"@type": "WebSite", "name": t.Name, "url": p.SiteURL() + "/"},
		"mainEntity": map[string]any{"@type": "ItemList", "numberOfItems": len(items), "itemListElement": elems},
	})
}
