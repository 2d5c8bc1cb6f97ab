package attractivenessweb

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/attractiveness"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// premiseView is a premise as the pages show it.
type premiseView struct {
	*attractiveness.Premise
	KindLabel    string
	Price        string
	Availability string
	Paragraphs   []string
}

func (m *Module) premiseView(p *web.Page, loc *time.Location, pr *attractiveness.Premise) premiseView {
	v := premiseView{Premise: pr, KindLabel: p.T("attractiveness.kind." + pr.Kind),
		Price: p.T("attractiveness.price."+pr.Unit, pr.Euros(), p.T("attractiveness.tax."+pr.Tax))}
	today := m.store.Now().In(loc).Format("2006-01-02")
	if pr.AvailableFrom == "" || pr.AvailableFrom <= today {
		v.Availability = p.T("attractiveness.available_now")
	} else if d, err := time.Parse("2006-01-02", pr.AvailableFrom); err == nil {
		v.Availability = p.T("attractiveness.available_from", guichet.Date(d, p.Lang))
	}
	for _, para := range strings.Split(strings.ReplaceAll(pr.Description, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			v.Paragraphs = append(v.Paragraphs, para)
		}
	}
	return v
}

// aidView is an aid with its funder's label.
type aidView struct {
	*attractiveness.Aid
	FunderLabel string
}

// business is /entreprendre: the premises on offer, the businesses of the
// directory, the aids and the economic service's contacts.
func (m *Module) business(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	ctx := r.Context()
	premises, err := m.store.PublishedPremises(ctx, t.ID)
	if err != nil {
		return err
	}
	aids, err := m.store.Aids(ctx, t.ID)
	if err != nil {
		return err
	}
	contacts, err := m.store.Contacts(ctx, t.ID)
	if err != nil {
		return err
	}
	businesses, err := m.readers.Entries(ctx, t.ID, kernel.CategoryBusiness)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("attractiveness.business.title", t.PlaceName())
	views := make([]premiseView, len(premises))
	for i, pr := range premises {
		views[i] = m.premiseView(p, t.Location(), pr)
	}
	aidViews := make([]aidView, len(aids))
	for i, a := range aids {
		aidViews[i] = aidView{Aid: a, FunderLabel: p.T("attractiveness.funder." + a.Funder)}
	}
	p.Data = map[string]any{"Premises": views, "Businesses": businesses, "Aids": aidViews, "Contacts": contacts,
		"JSONLD": businessJSONLD(p, views, businesses, contacts)}
	m.s.Render.Page(w, r, http.StatusOK, "attractiveness/business", p)
	return nil
}

// premise is a premise's own page.
func (m *Module) premise(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pr, err := m.store.PublishedPremise(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, pr.Title, nil)
	v := m.premiseView(p, t.Location(), pr)
	p.Data = map[string]any{"Premise": v, "JSONLD": premiseJSONLD(p, v)}
	m.s.Render.Page(w, r, http.StatusOK, "attractiveness/premise", p)
	return nil
}

// eventView is a coming event as /visiter lists it.
type eventView struct {
	kernel.Publication
	When, StartISO, CategoryLabel string
}

// visit is /visiter: the places to see, the coming tourist events and
// where to stay.
func (m *Module) visit(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	ctx := r.Context()
	sights, err := m.readers.Entries(ctx, t.ID, kernel.CategorySight)
	if err != nil {
		return err
	}
	lodgings, err := m.readers.Entries(ctx, t.ID, kernel.CategoryLodging)
	if err != nil {
		return err
	}
	events, err := m.readers.Events(ctx, t.ID, m.store.Now())
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("attractiveness.visit.title", t.PlaceName())
	loc := t.Location()
	views := make([]eventView, len(events))
	for i, e := range events {
		views[i] = eventView{Publication: e, When: guichet.LongDate(e.Starts.In(loc), p.Lang),
			StartISO: e.Starts.In(loc).Format(time.RFC3339), CategoryLabel: p.T("publishing.cat." + e.Category)}
	}
	p.Data = map[string]any{"Sights": sights, "Lodgings": lodgings, "Events": views,
		"JSONLD": visitJSONLD(p, loc, sights, lodgings, events)}
	m.s.Render.Page(w, r, http.StatusOK, "attractiveness/visit", p)
	return nil
}

// place describes a directory entry in schema.org terms as typ.
func place(p *web.Page, typ string, e kernel.DirectoryEntry) map[string]any {
	v := map[string]any{"@type": typ, "name": e.Name, "url": p.Absolute(e.Path)}
	if e.Summary != "" {
		v["description"] = e.Summary
	}
	if e.Address != "" {
		v["address"] = map[string]any{"@type": "PostalAddress", "streetAddress": e.Address, "addressCountry": "FR"}
	}
	if e.Lat != 0 || e.Lon != 0 {
		v["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": e.Lat, "longitude": e.Lon}
	}
	if e.Phone != "" {
		v["telephone"] = e.Phone
	}
	if e.Email != "" {
		v["email"] = e.Email
	}
	if e.Website != "" {
		v["sameAs"] = e.Website
	}
	if e.Wheelchair {
		v["amenityFeature"] = map[string]any{"@type": "LocationFeatureSpecification", "name": p.T("attractiveness.wheelchair"), "value": true}
	}
	return v
}

// unitCodes are the UN/CEFACT codes of what a price is for.
var unitCodes = map[string]string{attractiveness.PerMonth: "MON", attractiveness.PerM2Year: "MTK", attractiveness.PerM2: "MTK"}

// listing describes a premise as a schema.org RealEstateListing with its
// offer and the place offered.
func listing(p *web.Page, v premiseView) map[string]any {
	price := fmt.Sprintf("%d.%02d", v.PriceCents/100, v.PriceCents%100)
	spec := map[string]any{"@type": "UnitPriceSpecification", "price": price, "priceCurrency": "EUR",
		"valueAddedTaxIncluded": v.Tax == attractiveness.WithTax, "description": v.Price}
	if code, ok := unitCodes[v.Unit]; ok {
		spec["unitCode"] = code
	}
	business := "http://purl.org/goodrelations/v1#LeaseOut"
	if v.Deal == attractiveness.Sale {
		business = "http://purl.org/goodrelations/v1#Sell"
	}
	offer := map[string]any{"@type": "Offer", "price": price, "priceCurrency": "EUR", "businessFunction": business,
		"priceSpecification": spec, "availability": "https://schema.org/InStock"}
	if v.AvailableFrom != "" {
		offer["availabilityStarts"] = v.AvailableFrom
	}
	l := map[string]any{"@type": "RealEstateListing", "name": v.Title, "url": p.Absolute(v.Path()),
		"datePosted": v.CreatedAt.Format("2006-01-02"), "offers": offer,
		"about": map[string]any{"@type": "Place", "name": v.Title,
			"address": map[string]any{"@type": "PostalAddress", "streetAddress": v.Address, "addressCountry": "FR"},
			"additionalProperty": map[string]any{"@type": "PropertyValue", "name": p.T("attractiveness.premise.surface"),
				"value": v.Surface, "unitCode": "MTK", "unitText": "m²"}}}
	if len(v.Paragraphs) > 0 {
		l["description"] = v.Paragraphs[0]
	}
	return l
}

func premiseJSONLD(p *web.Page, v premiseView) template.JS {
	l := listing(p, v)
	l["@context"] = "https://schema.org"
	return publishingweb.JSONLD(l)
}

// economicService describes the economic service as a GovernmentOffice.
func economicService(p *web.Page, c *attractiveness.Contacts) map[string]any {
	v := map[string]any{"@type": "GovernmentOffice", "name": c.Service, "url": p.Absolute(BusinessPath)}
	if c.Email != "" {
		v["email"] = c.Email
	}
	if c.Phone != "" {
		v["telephone"] = c.Phone
	}
	if c.Address != "" {
		v["address"] = map[string]any{"@type": "PostalAddress", "streetAddress": c.Address, "addressCountry": "FR"}
	}
	return v
}

func businessJSONLD(p *web.Page, premises []premiseView, businesses []kernel.DirectoryEntry, c *attractiveness.Contacts) template.JS {
	graph := []any{}
	for _, v := range premises {
		graph = append(graph, listing(p, v))
	}
	for _, e := range businesses {
		graph = append(graph, place(p, "LocalBusiness", e))
	}
	if !c.Empty() && c.Service != "" {
		graph = append(graph, economicService(p, c))
	}
	return collectionPage(p, BusinessPath, graph)
}

// collectionPage describes a page listing items: a CollectionPage whose
// main entity is the list of them, in the page's order.
func collectionPage(p *web.Page, path string, items []any) template.JS {
	list := make([]any, len(items))
	for i, it := range items {
		list[i] = map[string]any{"@type": "ListItem", "position": i + 1, "item": it}
	}
	return publishingweb.JSONLD(map[string]any{"@context": "https://schema.org", "@type": "CollectionPage",
		"name": p.Title, "url": p.Absolute(path),
		"mainEntity": map[string]any{"@type": "ItemList", "numberOfItems": len(items), "itemListElement": list}})
}

func visitJSONLD(p *web.Page, loc *time.Location, sights, lodgings []kernel.DirectoryEntry, events []kernel.Publication) template.JS {
	graph := []any{}
	for _, e := range sights {
		graph = append(graph, place(p, "TouristAttraction", e))
	}
	for _, e := range lodgings {
		graph = append(graph, place(p, "LodgingBusiness", e))
	}
	for _, e := range events {
		v := map[string]any{"@type": "Event", "name": e.Title, "url": p.Absolute(e.Path),
			"startDate":           e.Starts.In(loc).Format(time.RFC3339),
			"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
			"eventStatus":         "https://schema.org/EventScheduled",
			"location":            map[string]any{"@type": "Place", "name": e.Place}}
		if !e.Ends.IsZero() {
			v["endDate"] = e.Ends.In(loc).Format(time.RFC3339)
		}
		if e.Summary != "" {
			v["description"] = e.Summary
		}
		graph = append(graph, v)
	}
	return collectionPage(p, VisitPath, graph)
}
