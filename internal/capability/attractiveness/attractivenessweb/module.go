// Package attractivenessweb serves the pages for entrepreneurs
// (/entreprendre: the businesses of the directory, premises and land on
// offer each with its page, aids, the economic service's contacts) and
// for visitors (/visiter: places to see, coming events, accommodation),
// each described in schema.org terms for search engines, and the staff's
// back office (/gestion/attractivite) for the administrators and the
// agents of the vie-locale service.
package attractivenessweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/attractiveness"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages
var assets embed.FS

// The capability's addresses.
const (
	BusinessPath = "/entreprendre"
	VisitPath    = "/visiter"
	AdminPath    = "/gestion/attractivite"
)

// Service is the staff service that keeps these pages with the
// administrators: associations, economy, tourism.
const Service = "vie-locale"

// Readers are what the pages read from the other capabilities through
// the kernel.
type Readers struct {
	// Entries lists the directory's published entries of categories.
	Entries func(ctx context.Context, tenantID string, categories ...string) ([]kernel.DirectoryEntry, error)
	// Events lists the published events still to come, soonest first.
	Events func(ctx context.Context, tenantID string, now time.Time) ([]kernel.Publication, error)
}

// Module is the attractiveness web module.
type Module struct {
	s       *web.Server
	store   *attractiveness.Store
	readers Readers
}

// New returns the module.
func New(store *attractiveness.Store, r Readers) *Module { return &Module{store: store, readers: r} }

// Name implements web.Module.
func (m *Module) Name() string { return "attractiveness" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the capability.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.AddSitemap(m.sitemap)
	s.Site("GET /entreprendre", m.business)
	s.Site("GET /entreprendre/locaux/{slug}", m.premise)
	s.Site("GET /visiter", m.visit)

	staff := []web.Middleware{s.Staff(account.RoleAgent), m.ofService}
	s.Site("GET /gestion/attractivite", m.admin, staff...)
	s.Site("POST /gestion/attractivite/contacts", m.saveContacts, staff...)
	s.Site("GET /gestion/attractivite/locaux/nouveau", m.newPremise, staff...)
	s.Site("POST /gestion/attractivite/locaux/nouveau", m.addPremise, staff...)
	s.Site("GET /gestion/attractivite/locaux/{id}", m.editPremise, staff...)
	s.Site("POST /gestion/attractivite/locaux/{id}", m.updatePremise, staff...)
	s.Site("POST /gestion/attractivite/locaux/{id}/supprimer", m.deletePremise, staff...)
	s.Site("GET /gestion/attractivite/aides/nouvelle", m.newAid, staff...)
	s.Site("POST /gestion/attractivite/aides/nouvelle", m.addAid, staff...)
	s.Site("GET /gestion/attractivite/aides/{id}", m.editAid, staff...)
	s.Site("POST /gestion/attractivite/aides/{id}", m.updateAid, staff...)
	s.Site("POST /gestion/attractivite/aides/{id}/supprimer", m.deleteAid, staff...)
}

// ofService lets through the administrators and the agents of the
// vie-locale service; the staff guard before it has checked the rest.
func (m *Module) ofService(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := account.FromContext(r.Context())
		if !id.Has(account.RoleAdmin) && !slices.Contains(id.Services, Service) {
			m.s.Error(w, r, guichet.Errorf(guichet.EForbidden, "Vous n'avez pas accès à cette page."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sitemap lists both pages and the premises on offer.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	list, err := m.store.PublishedPremises(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	paths := []string{BusinessPath, VisitPath}
	for _, p := range list {
		paths = append(paths, p.Path())
	}
	return paths, nil
}
