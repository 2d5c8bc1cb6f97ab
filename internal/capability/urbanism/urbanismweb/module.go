// Package urbanismweb serves the territory and its urban plan: the
// parcel search (by address, by reference, on the map), the parcel
// sheet, the maps drawn as SVG, the PLU's zones and their regulations,
// and the administrators' pages (imports, each zone's regulation).
package urbanismweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/urbanism"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/applications"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed templates templates/_*.html messages static
var assets embed.FS

// Paths of the module's main pages.
const (
	HomePath  = "/urbanisme"
	MapPath   = "/urbanisme/carte"
	ZonesPath = "/urbanisme/zones"
	AdminPath = "/gestion/urbanisme"
)

// Module is the urbanism web module.
type Module struct {
	s     *web.Server
	store *urbanism.Store
	// starts lists the procedures a resident may start for a parcel
	// (kernel.StartsFor).
	starts func(ctx context.Context, tenantID, parcel string) ([]applications.Start, error)
	// register lists the applications of the public register
	// (kernel.ApplicationRegister).
	register func(ctx context.Context, tenantID string, since time.Time) ([]applications.Filing, error)
}

// New returns the module.
func New(store *urbanism.Store) *Module { return &Module{store: store} }

// Name implements web.Module.
func (m *Module) Name() string { return "urbanism" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "urbanism.nav", Path: HomePath, Order: 55})
	s.AddSitemap(m.sitemap)

	s.Site("GET /urbanisme", m.home)
	s.Site("GET /urbanisme/carte", m.mapPage)
	s.Site("GET /urbanisme/point", m.atPoint)
	s.Site("GET /urbanisme/adresses/{id}", m.address)
	s.Site("GET /urbanisme/parcelles/{id}", m.parcel)
	s.Site("GET /urbanisme/registre", m.registerPage)
	s.Site("GET /urbanisme/registre/flux.atom", m.registerFeed)
	s.Site("GET /urbanisme/zones", m.zones)
	s.Site("GET /urbanisme/zones/{commune}/{label}", m.zone)
	s.Site("GET /urbanisme/zones/{commune}/{label}/reglement.pdf", m.regulation)

	admin := s.Staff(account.RoleAdmin)
	s.Site("GET /gestion/urbanisme", m.adminHome, admin)
	s.Uploads(importBody).Site("POST /gestion/urbanisme/import", m.importFile, admin)
	s.Site("GET /gestion/urbanisme/zones/{commune}/{label}", m.adminZone, admin)
	s.Site("POST /gestion/urbanisme/zones/{commune}/{label}", m.saveSummary, admin)
	s.Uploads(urbanism.MaxRuleFile+1<<20).Site("POST /gestion/urbanisme/zones/{commune}/{label}/reglement", m.saveRuleFile, admin)
}

// importBody is the most an imported file weighs through the web: the
// command line takes larger ones.
const importBody = 30 << 20

func tenantOf(r *http.Request) *tenant.Tenant { return tenant.FromContext(r.Context()) }

func parcelPath(id string) string { return HomePath + "/parcelles/" + id }

func zonePath(commune, label string) string { return ZonesPath + "/" + commune + "/" + label }
