package urbanismweb

import (
	"net/http"
	"time"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/applications"
	"guichet/internal/publishing/publishingweb"
)

// The public register of urban-planning applications: each application
// filed is online at once (the avis de dépôt is due within 15 days,
// R423-6), each decision too (due within 8 days) and for two months,
// with a map of their parcels and an Atom feed. The applicant is never
// named.

// RegisterPath is the register's page.
const RegisterPath = "/urbanisme/registre"

// decisionsKept is how long a decision stays in the register.
const decisionsKept = 2 // months

// filingView is a line of the register.
type filingView struct {
	applications.Filing
	KindName       string
	ParcelLabel    string
	Filed, Decided string
}

func (m *Module) filings(r *http.Request) ([]filingView, []filingView, *urbanism.Territory, error) {
	t := tenantOf(r)
	ter, err := m.territory(r)
	if err != nil {
		return nil, nil, nil, err
	}
	var list []applications.Filing
	if m.register != nil {
		since := m.store.Now().In(t.Location()).AddDate(0, -decisionsKept, 0)
		if list, err = m.register(r.Context(), t.ID, since); err != nil {
			return nil, nil, nil, err
		}
	}
	var open, decided []filingView
	for _, f := range list {
		v := filingView{Filing: f, Filed: guichet.Date(f.Filed, "fr"), ParcelLabel: f.Parcel}
		if c, ok := urbanism.CerfaByCode(f.Kind); ok {
			v.KindName = c.Name
		}
		if p, err := ter.Parcel(f.Parcel); err == nil {
			v.ParcelLabel = p.Label()
		}
		if f.Decided.IsZero() {
			open = append(open, v)
		} else {
			v.Decided = guichet.Date(f.Decided, "fr")
			decided = append(decided, v)
		}
	}
	return open, decided, ter, nil
}

// registerPage lists the applications instructed and the decisions of
// the last two months, and draws their parcels.
func (m *Module) registerPage(w http.ResponseWriter, r *http.Request) error {
	open, decided, ter, err := m.filings(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.register.title")
	var parcels []*urbanism.Parcel
	var numbers []string
	var box orb.Bound
	for _, f := range append(append([]filingView{}, open...), decided...) {
		if x, err := ter.Parcel(f.Parcel); err == nil {
			if len(parcels) == 0 {
				box = x.Geometry.Bound()
			} else {
				box = box.Union(x.Geometry.Bound())
			}
			parcels, numbers = append(parcels, x), append(numbers, f.Registration)
		}
	}
	var rmap *svgMap
	if len(parcels) > 0 {
		rmap = newMap(box, 0.3, p.T("urbanism.register.map"))
		rmap.addZones(ter, false)
		rmap.addParcels(parcels, "", func(x *urbanism.Parcel) string { return p.T("urbanism.parcel.link", x.Label()) })
		for i, x := range parcels {
			rmap.Parcels[i].Class = "parcel parcel-current"
			rmap.text(x.Center(), numbers[i], "parcel-label")
		}
	}
	p.Data = map[string]any{"Open": open, "Decided": decided, "Map": rmap, "Sources": ter.Sources}
	m.s.Render.Page(w, r, http.StatusOK, "urbanism/register", p)
	return nil
}

// registerFeed is the register as an Atom feed: an entry per
// application filed, and another once it is decided.
func (m *Module) registerFeed(w http.ResponseWriter, r *http.Request) error {
	open, decided, _, err := m.filings(r)
	if err != nil {
		return err
	}
	t := tenantOf(r)
	base := m.s.SiteURL(r, t)
	f := &publishingweb.AtomFeed{Lang: "fr", ID: base + RegisterPath, Title: t.Name + " – " + m.s.Render.T("fr", "urbanism.register.title"),
		Author: publishingweb.AtomPerson{Name: t.Name}, Updated: publishingweb.RFC3339(t.UpdatedAt),
		Links: []publishingweb.AtomLink{{Rel: "self", Type: "application/atom+xml", Href: base + RegisterPath + "/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + RegisterPath}}}
	latest := time.Time{}
	entry := func(v filingView, decision bool) {
		id := "urn:guichet:depot:" + v.ID
		when := startOfDay(v.Filing.Filed, t.Location())
		title := "Demande " + v.Registration + " – " + v.KindName + " – parcelle " + v.ParcelLabel
		summary := v.Nature
		if decision {
			id, when = "urn:guichet:decision:"+v.ID, startOfDay(v.Filing.Decided, t.Location())
			title = "Décision " + v.Registration + " – demande " + v.Outcome
			if v.Tacit {
				title += " tacitement"
			}
		}
		if when.After(latest) {
			latest = when
		}
		f.Entries = append(f.Entries, publishingweb.AtomEntry{ID: id, Title: title,
			Updated: publishingweb.RFC3339(when), Published: publishingweb.RFC3339(when),
			Link:    publishingweb.AtomLink{Rel: "alternate", Type: "text/html", Href: base + parcelPath(v.Parcel)},
			Summary: &publishingweb.AtomText{Type: "text", Body: summary}})
	}
	for _, v := range decided {
		entry(v, true)
		entry(v, false)
	}
	for _, v := range open {
		entry(v, false)
	}
	if !latest.IsZero() {
		f.Updated = publishingweb.RFC3339(latest)
	}
	return publishingweb.WriteAtom(w, f)
}

// startOfDay is the instant a calendar day starts in loc.
func startOfDay(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
}
