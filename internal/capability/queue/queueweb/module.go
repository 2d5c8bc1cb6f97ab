// Package queueweb serves the counter queue: the sites' public pages and
// remote tickets, the kiosks' full-screen pages, the display boards, the
// agents' console, the administrators' settings and the figures.
package queueweb

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed templates templates/_*.html messages static
var assets embed.FS

// Paths of the module's main pages.
const (
	SitesPath   = "/file-attente"
	ConsolePath = "/gestion/accueil"
	AdminPath   = "/gestion/accueil/sites"
)

// Module is the queue's web module.
type Module struct {
	s     *web.Server
	store *queue.Store
	k     *kernel.Kernel
}

// New returns the module.
func New(store *queue.Store, k *kernel.Kernel) *Module { return &Module{store: store, k: k} }

// Name implements web.Module.
func (m *Module) Name() string { return "queue" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "queue.nav", Path: SitesPath, Order: 45})
	s.AddSitemap(m.sitemap)
	agent, admin := s.Staff(account.RoleAgent), s.Staff(account.RoleAdmin)

	// Residents: the sites, remote tickets, display boards.
	s.Site("GET /file-attente", m.sites)
	s.Site("GET /file-attente/{site}", m.site)
	s.Site("POST /file-attente/{site}/tickets", m.takeRemote)
	s.Site("GET /file-attente/{site}/ecran", m.board)
	s.Site("GET /file-attente/{site}/ecran/etat", m.boardState)
	s.Site("GET /file-attente/{site}/direct", m.siteLive)
	s.Site("GET /ticket/{handle}", m.ticket)
	s.Site("GET /ticket/{handle}/etat", m.ticketState)
	s.Site("GET /ticket/{handle}/direct", m.ticketLive)
	s.Site("POST /ticket/{handle}/annuler", m.cancel)

	// Kiosks: the device's address is its credential.
	s.Site("GET /borne/{kiosk}", m.kioskHome)
	s.Site("POST /borne/{kiosk}/tickets", m.kioskTake)
	s.Site("GET /borne/{kiosk}/rendez-vous", m.kioskCheckInForm)
	s.Site("POST /borne/{kiosk}/rendez-vous", m.kioskCheckIn)
	s.Site("GET /borne/{kiosk}/informations", m.kioskInformation)

	// Agents: the console.
	s.Site("GET /gestion/accueil", m.consoleHome, agent)
	s.Site("GET /gestion/accueil/statistiques", m.figures, agent)
	s.Site("GET /gestion/accueil/guichets/{id}", m.console, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/ouvrir", m.openCounter, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/appeler", m.callNext, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/rappeler", m.recall, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/terminer", m.finish, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/absent", m.absent, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/transferer", m.transfer, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/pause", m.pause, agent)
	s.Site("POST /gestion/accueil/guichets/{id}/fermer", m.closeCounter, agent)

	// Administrators: sites, services, counters and kiosks.
	s.Site("GET /gestion/accueil/sites", m.adminSites, admin)
	s.Site("POST /gestion/accueil/sites", m.createSite, admin)
	s.Site("GET /gestion/accueil/sites/{id}", m.adminSite, admin)
	s.Site("POST /gestion/accueil/sites/{id}", m.updateSite, admin)
	s.Site("POST /gestion/accueil/sites/{id}/services", m.addService, admin)
	s.Site("POST /gestion/accueil/sites/{id}/guichets", m.addCounter, admin)
	s.Site("POST /gestion/accueil/sites/{id}/bornes", m.addKiosk, admin)
	s.Site("POST /gestion/accueil/bornes/{id}/renouveler", m.renewKiosk, admin)
	s.Site("POST /gestion/accueil/bornes/{id}/supprimer", m.removeKiosk, admin)
}

// loc returns the request's collectivité's time zone.
func loc(r *http.Request) *time.Location { return tenant.FromContext(r.Context()).Location() }

// tenantID returns the request's collectivité.
func tenantID(r *http.Request) string { return tenant.FromContext(r.Context()).ID }
