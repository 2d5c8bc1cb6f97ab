// Package councilweb serves the council and its acts: the council's page
// (members, sessions), each session with its agenda, documents, list of
// deliberations and minutes, the acts with their search, filters and
// Atom feed, following new acts by email, the SCDL open data, and the
// secretary's pages (members, sessions, attendance, minutes, acts and
// their deadlines).
package councilweb

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/council"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

//go:embed templates templates/_*.html messages static
var assets embed.FS

// Paths of the module's main pages.
const (
	CouncilPath = "/conseil-municipal"
	ActsPath    = "/actes"
	DataPath    = "/donnees"
	AdminPath   = "/gestion/conseil"
	AdminActs   = "/gestion/actes"
)

// Module is the council's web module.
type Module struct {
	s     *web.Server
	store *council.Store
	// cache holds the public pages' data, per collectivité, for pageTTL.
	cache *invalidate.Memo
}

// pageTTL bounds how long another process's change to the council's
// public pages may go unseen; this process's changes drop them at once.
const pageTTL = 5 * time.Second

// New returns the module.
func New(store *council.Store) *Module {
	return &Module{store: store, cache: publishingweb.NewCache("council-pages", pageTTL, store.Changes()).Bound(2000)}
}

// Name implements web.Module.
func (m *Module) Name() string { return "council" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "council.nav", Path: CouncilPath, Order: 50})
	s.AddSitemap(m.sitemap)

	s.Site("GET /conseil-municipal", m.councilPage)
	s.Site("GET /conseil-municipal/seances/{id}", m.sessionPage)
	s.Site("GET /conseil-municipal/fichiers/{id}", m.publicFile)
	s.Site("GET /actes", m.actsPage)
	s.Site("GET /actes/flux.atom", m.feed)
	s.Site("GET /actes/{slug}", m.actPage)
	s.Site("GET /actes/{slug}/acte.pdf", m.actPDF)
	s.Site("POST /actes/suivre", m.follow)
	s.Site("GET /actes/suivre/confirmer/{token}", m.followConfirmForm)
	s.Site("POST /actes/suivre/confirmer/{token}", m.followConfirm)
	s.Site("GET /actes/suivre/arreter/{token}", m.unfollowForm)
	s.Site("POST /actes/suivre/arreter/{token}", m.unfollow)
	s.Site("GET /donnees", m.dataPage)
	s.Site("GET /donnees/deliberations.csv", m.deliberationsCSV)
	s.Site("GET /donnees/catalogue.csv", m.catalogueCSV)

	sec := s.Staff(account.RoleSecretary)
	s.Site("GET /gestion/conseil", m.adminHome, sec)
	s.Site("GET /gestion/conseil/elus", m.adminMembers, sec)
	s.Site("POST /gestion/conseil/elus", m.saveMember, sec)
	s.Site("GET /gestion/conseil/elus/{id}", m.adminMember, sec)
	s.Site("POST /gestion/conseil/elus/{id}", m.saveMember, sec)
	s.Site("POST /gestion/conseil/seances", m.createSession, sec)
	s.Site("GET /gestion/conseil/seances/{id}", m.adminSession, sec)
	s.Site("POST /gestion/conseil/seances/{id}", m.updateSession, sec)
	s.Site("POST /gestion/conseil/seances/{id}/points", m.addItem, sec)
	s.Site("POST /gestion/conseil/seances/{id}/points/{item}", m.updateItem, sec)
	s.Site("POST /gestion/conseil/seances/{id}/convocation", m.convene, sec)
	s.Site("POST /gestion/conseil/seances/{id}/presences", m.attendance, sec)
	s.Uploads(uploadBody).Site("POST /gestion/conseil/seances/{id}/documents", m.addDocument, sec)
	s.Site("POST /gestion/conseil/seances/{id}/liste", m.publishList, sec)
	s.Site("GET /gestion/conseil/seances/{id}/proces-verbal", m.minutesForm, sec)
	s.Site("POST /gestion/conseil/seances/{id}/proces-verbal", m.saveMinutes, sec)
	s.Site("POST /gestion/conseil/seances/{id}/proces-verbal/approbation", m.approveMinutes, sec)
	s.Site("POST /gestion/conseil/seances/{id}/proces-verbal/publication", m.publishMinutes, sec)
	s.Site("GET /gestion/conseil/fichiers/{id}", m.staffFile, sec)
	s.Site("GET /gestion/actes", m.adminActs, sec)
	s.Site("GET /gestion/actes/nouveau", m.actForm, sec)
	s.Uploads(uploadBody).Site("POST /gestion/actes/nouveau", m.saveAct, sec)
	s.Site("GET /gestion/actes/{id}", m.actForm, sec)
	s.Uploads(uploadBody).Site("POST /gestion/actes/{id}", m.saveAct, sec)
	s.Site("POST /gestion/actes/{id}/publier", m.publishAct, sec)
	s.Site("POST /gestion/actes/{id}/rectifier", m.rectifyAct, sec)
}

// uploadBody is the most a form with a PDF weighs.
const uploadBody = council.MaxFile + 1<<20

func loc(r *http.Request) *time.Location { return tenant.FromContext(r.Context()).Location() }

func tenantOf(r *http.Request) *tenant.Tenant { return tenant.FromContext(r.Context()) }

// today is the collectivité's day at the store's time.
func (m *Module) today(r *http.Request) string {
	return m.store.Now().In(loc(r)).Format(council.DateLayout)
}

func (m *Module) baseURL(r *http.Request) string { return m.s.SiteURL(r, tenantOf(r)) }
