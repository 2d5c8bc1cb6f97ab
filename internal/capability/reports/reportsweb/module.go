// Package reportsweb serves the problem reports ("Signaler un
// problème"): the public map and list, a report's page with its
// history and photos, the form that places a problem by address, by a
// click on a map drawn on the server or by a photo's location and shows
// the open reports nearby first, the links the mails carry (confirm,
// follow, reopen, area alerts), the staff's queue and handling, the
// categories and Open311 keys, the figures, and the Open311 GeoReport
// v2 endpoint.
package reportsweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/open311"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages static
var assets embed.FS

// The reports' addresses.
const (
	ListPath    = reports.BasePath
	NewPath     = reports.BasePath + "/nouveau"
	AlertsPath  = reports.BasePath + "/alertes"
	FiguresPath = reports.BasePath + "/chiffres"
	MinePath    = "/compte/signalements"
	QueuePath   = "/gestion/signalements"
	// CategoriesPath and KeysPath are the administrators' settings.
	CategoriesPath = "/gestion/signalements/categories"
	KeysPath       = "/gestion/signalements/cles"
	// Open311Prefix is where the GeoReport v2 endpoint answers.
	Open311Prefix = "/open311/v2"
)

// Service is the staff service the demo's categories go to, and whose
// agents the back-office section is shown to (with the administrators).
const Service = "technique"

// Body limits: a report's form carries up to reports.MaxPhotos photos
// of up to photo's limit each, a photo sent alone one of them; no route
// takes more than web.MaxBody, which three photos of photo.MaxBytes and
// the fields fit in.
const (
	PhotoBody  int64 = 12 << 20
	ReportBody int64 = min(reports.MaxPhotos*PhotoBody+web.FormBody, web.MaxBody)
)

// Abuse limits.
var (
	// ReportLimit bounds the reports a client files: each one mails its
	// author, the service and the area alerts around it.
	ReportLimit = abuse.Action{Name: "report_submit", Rules: []abuse.Rule{
		{Kind: abuse.ByAddress, Max: 20, Window: time.Hour},
		{Kind: abuse.ByAccount, Max: 20, Window: time.Hour},
		{Kind: abuse.ByTenant, Max: 1000, Window: time.Hour},
	}}
	// PhotoLimit bounds the photos sent to the form before it is filed:
	// each one is decoded and resized.
	PhotoLimit = abuse.Action{Name: "report_photo", Rules: []abuse.Rule{
		{Kind: abuse.ByAddress, Max: 60, Window: time.Hour},
		{Kind: abuse.ByTenant, Max: 3000, Window: time.Hour},
	}}
	// SubscribeLimit bounds the follows, area alerts and reopenings
	// asked for: each one mails someone.
	SubscribeLimit = abuse.Action{Name: "report_subscribe", Rules: []abuse.Rule{
		{Kind: abuse.ByAddress, Max: 30, Window: time.Hour},
		{Kind: abuse.ByEmail, Max: 10, Window: time.Hour},
		{Kind: abuse.ByTenant, Max: 1000, Window: time.Hour},
	}}
	// Open311Limit bounds an Open311 client's posts, per address and per
	// collectivité (the key is checked after).
	Open311Limit = abuse.Action{Name: "report_open311", Rules: []abuse.Rule{
		{Kind: abuse.ByAddress, Max: 120, Window: time.Hour},
		{Kind: abuse.ByTenant, Max: 2000, Window: time.Hour},
	}}
)

// Module is the reports' web module.
type Module struct {
	s       *web.Server
	store   *reports.Store
	open311 *open311.Handler
	// Staff finds the agents of a service, to whom the queue belongs.
	Staff *staff.Store
	// Territory is the collectivité's ground: its box, addresses and the
	// backdrop of its maps (the kernel, answered by urbanism).
	Territory Territory
}

// Territory is what the maps and the address search need of the kernel.
type Territory interface {
	TerritoryBound(ctx context.Context, tenantID string) (orb.Bound, bool, error)
	FindAddresses(ctx context.Context, tenantID, typed string) ([]kernel.Address, error)
	NearestAddress(ctx context.Context, tenantID string, p orb.Point) (kernel.Address, bool, error)
	TerritoryBackdrop(ctx context.Context, tenantID string, box orb.Bound) (kernel.Backdrop, error)
}

// New returns the module over store, answering Open311 with h.
func New(store *reports.Store, h *open311.Handler) *Module { return &Module{store: store, open311: h} }

// Name implements web.Module.
func (m *Module) Name() string { return "reports" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the reports.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "reports.nav", Path: ListPath, Order: 47})
	s.AddSitemap(m.sitemap)
	m.publicRoutes(s)
	m.formRoutes(s)
	m.staffRoutes(s)
	m.open311Routes(s)
}

// open311Routes adds the GeoReport v2 endpoint; its posts count against
// Open311Limit before the key is read.
func (m *Module) open311Routes(s *web.Server) {
	for _, rt := range m.open311.Routes(Open311Prefix) {
		h := rt.Handler
		if len(rt.Pattern) > 4 && rt.Pattern[:4] == "POST" {
			h = func(w http.ResponseWriter, r *http.Request) {
				if err := s.Limit(r, Open311Limit, ""); err != nil {
					s.Error(w, r, err)
					return
				}
				rt.Handler(w, r)
			}
		}
		s.Site(rt.Pattern, func(w http.ResponseWriter, r *http.Request) error {
			h(w, r)
			return nil
		})
	}
}

// sitemap lists the map, the form, the figures and the public reports.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	list, _, err := m.store.PublicList(ctx, t.ID, reports.PublicFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	paths := []string{ListPath, NewPath, AlertsPath, FiguresPath}
	for _, r := range list {
		paths = append(paths, r.Path())
	}
	return paths, nil
}

// scope is the categories the signed-in staff member handles.
func scope(r *http.Request) reports.Scope {
	id := account.FromContext(r.Context())
	return reports.Scope{Services: id.Services, All: id.Has(account.RoleAdmin)}
}

// ofService lets through the administrators and the agents of a
// service that handles a category of reports; the staff guard before
// it has checked the rest. Each agent then sees the reports of their
// services' categories only (scope).
func (m *Module) ofService(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := account.FromContext(r.Context())
		if !id.Has(account.RoleAdmin) {
			cats, err := m.store.Categories(r.Context(), tenant.FromContext(r.Context()).ID)
			if err != nil {
				m.s.Error(w, r, err)
				return
			}
			if !slices.ContainsFunc(cats, func(c *reports.Category) bool { return slices.Contains(id.Services, c.Service) }) {
				m.s.Error(w, r, guichet.Errorf(guichet.EForbidden, "Vous n'avez pas accès à cette page."))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// now is the request's time in the collectivité's zone.
func (m *Module) now(r *http.Request) time.Time {
	return m.store.Now().In(tenant.FromContext(r.Context()).Location())
}

// siteOf is the collectivité of ctx's address, for Open311's links.
func siteOf(ctx context.Context, links kernel.Links) string {
	t := tenant.FromContext(ctx)
	if t == nil || links == nil {
		return ""
	}
	u, _, err := links(ctx, t.ID)
	if err != nil {
		return ""
	}
	return u
}
