package reportsweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// pubRadii are the distances an area alert offers, in metres, within
// the store's bounds (reports.MinRadius to MaxRadius).
var pubRadii = []int{100, 200, 300, 500, 1000, 2000}

// pubDefaultRadius is the distance chosen first.
const pubDefaultRadius = 300

// pubMaxPlaces is how many addresses a search offers to pick from.
const pubMaxPlaces = 10

// pubAlertsForm is the area alerts' page: find the place by address,
// or take the point a report's page gave, then choose the distance, a
// category and the address mailed.
func (m *Module) pubAlertsForm(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	q := r.URL.Query()
	p.Form = url.Values{"radius": {strconv.Itoa(pubDefaultRadius)}}
	if id := pubIdentity(r); id != nil {
		p.Form.Set("email", id.Email)
	}
	return m.pubRenderAlerts(w, r, p, q, http.StatusOK)
}

// pubRenderAlerts shows the page for the place where (the query, or the
// form that carries it on), with p's form and errors.
func (m *Module) pubRenderAlerts(w http.ResponseWriter, r *http.Request, p *web.Page, where url.Values, status int) error {
	ctx, tid := r.Context(), pubTenantID(r)
	p.Title = p.T("reports.alerts.title")
	typed := strings.TrimSpace(where.Get("adresse"))
	var places []publishingweb.Option
	lat, okLat := pubParseFloat(where.Get("lat"))
	lon, okLon := pubParseFloat(where.Get("lon"))
	point := okLat && okLon && reports.InFrance(lat, lon)
	switch {
	case point:
		places = []publishingweb.Option{{Value: pubCoord(lat) + "," + pubCoord(lon),
			Label: p.T("reports.alerts.around_point", pubCoord(lat), pubCoord(lon))}}
	case typed != "" && m.Territory != nil:
		found, err := m.Territory.FindAddresses(ctx, tid, typed)
		if err != nil {
			return err
		}
		for _, a := range found[:min(len(found), pubMaxPlaces)] {
			label := a.Label
			if a.Town != "" {
				label += ", " + a.Town
			}
			places = append(places, publishingweb.Option{Value: pubCoord(a.Point.Lat()) + "," + pubCoord(a.Point.Lon()), Label: label})
		}
		if len(places) == 0 && p.Errors == nil {
			p.Errors = map[string]string{"adresse": "Aucune adresse de la commune ne correspond\u00a0: vérifiez l'orthographe, ou indiquez une rue voisine."}
		}
	}
	if msg := p.Errors["position"]; msg != "" && len(places) == 0 {
		// No place to pick: the address field is where to act.
		p.Errors = map[string]string{"adresse": msg}
	}
	if len(places) == 1 && p.Form.Get("position") == "" {
		p.Form.Set("position", places[0].Value)
	}
	cats, err := m.store.ActiveCategories(ctx, tid)
	if err != nil {
		return err
	}
	categories := make([]publishingweb.Option, len(cats))
	for i, c := range cats {
		categories[i] = publishingweb.Option{Value: c.Code, Label: c.Name}
	}
	radii := make([]publishingweb.Option, len(pubRadii))
	for i, d := range pubRadii {
		radii[i] = publishingweb.Option{Value: strconv.Itoa(d), Label: p.T("reports.alerts.radius_option", d)}
	}
	carried := url.Values{}
	for _, k := range []string{"adresse", "lat", "lon"} {
		if v := where.Get(k); v != "" {
			carried.Set(k, v)
		}
	}
	p.Data = map[string]any{"Typed": typed, "Places": places, "Point": point, "Categories": categories, "Radii": radii,
		"Carried": carried}
	if point {
		p.Data.(map[string]any)["OSM"] = reports.OSMLink(lat, lon)
	}
	m.s.Render.Page(w, r, status, "reports/alerts", p)
	return nil
}

// pubSubscribeArea records an area alert and mails the link that
// confirms it.
func (m *Module) pubSubscribeArea(w http.ResponseWriter, r *http.Request) error {
	ctx, tid := r.Context(), pubTenantID(r)
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	a := reports.AreaAlert{Email: f.Get("email"), Lang: web.LangOf(r)}
	a.Radius, _ = strconv.Atoi(f.Get("radius"))
	errs := map[string]string{}
	lat, lon, ok := strings.Cut(f.Get("position"), ",")
	if a.Lat, ok = pubParseFloat(lat); ok {
		a.Lon, ok = pubParseFloat(lon)
	}
	if !ok {
		errs["position"] = "Choisissez le lieu autour duquel être alerté."
	}
	if code := f.Get("category"); code != "" {
		c, err := m.store.CategoryByCode(ctx, tid, code)
		if err != nil && guichet.ErrorCode(err) != guichet.ENotFound {
			return err
		}
		a.CategoryID = "?"
		if c != nil {
			a.CategoryID = c.ID
		}
	}
	if len(errs) == 0 {
		if err := m.s.Limit(r, SubscribeLimit, a.Email); err != nil {
			return err
		}
		_, err := m.store.SubscribeArea(ctx, tid, a)
		if fields := guichet.FieldErrors(err); fields != nil {
			errs = fields
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		p := m.s.Render.NewPage(r, "", nil)
		p.Errors, p.Form = errs, f
		return m.pubRenderAlerts(w, r, p, f, http.StatusUnprocessableEntity)
	}
	lang := web.LangOf(r)
	return m.pubMessage(w, r, http.StatusOK, "reports.alerts.sent_title", m.s.Render.T(lang, "reports.alerts.sent"),
		publicLink{Href: ListPath, Label: m.s.Render.T(lang, "reports.link.see_list")})
}
