// Package directoryweb serves the directory: the public list with its
// search, filters and map drawn on the server, each entry's page (open
// now, the week's hours, contact, accessibility, schema.org), the SCDL
// équipements export, the managers' own pages where an organisation
// proposes changes to its entry, and the staff's pages (entries,
// managers, the moderation queue).
package directoryweb

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/directory"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages static
var assets embed.FS

// The directory's addresses.
const (
	ListPath       = "/annuaire"
	CSVPath        = "/annuaire/equipements.csv"
	MinePath       = directory.MinePath
	AdminPath      = "/gestion/annuaire"
	ModerationPath = "/gestion/annuaire/moderation"
)

// Service is the staff service that keeps the directory with the
// administrators: associations, economy, tourism.
const Service = "vie-locale"

// ProposalLimit bounds the changes a manager proposes: a slip or a
// script must not flood the moderation queue and the staff's mailbox.
var ProposalLimit = abuse.Action{Name: "directory_proposal", Rules: []abuse.Rule{
	{Kind: abuse.ByAddress, Max: 60, Window: time.Hour},
	{Kind: abuse.ByAccount, Max: 20, Window: time.Hour},
	{Kind: abuse.ByTenant, Max: 500, Window: time.Hour},
}}

// Module is the directory's web module.
type Module struct {
	s      *web.Server
	store  *directory.Store
	person func(ctx context.Context, tenantID, accountID string) (directory.Person, error)
	// Accounts finds the account staff give an entry's management to.
	Accounts *account.Store
}

// New returns the module; person finds an account's address for the
// moderation's emails.
func New(store *directory.Store, person func(ctx context.Context, tenantID, accountID string) (directory.Person, error)) *Module {
	return &Module{store: store, person: person}
}

// Name implements web.Module.
func (m *Module) Name() string { return "directory" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the directory.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "directory.nav", Path: ListPath, Order: 35})
	s.Render.AddPersonal(web.NavItem{Key: "directory.mine.link", Path: MinePath, Order: 40, Show: m.managesEntry})
	s.AddSitemap(m.sitemap)

	s.Site("GET /annuaire", m.list)
	s.Site("GET /annuaire/equipements.csv", m.equipmentsCSV)
	s.Site("GET /annuaire/{slug}", m.entry)

	s.Site("GET /compte/annuaire", m.mine, s.SignedIn)
	s.Site("GET /compte/annuaire/{id}", m.proposeForm, s.SignedIn)
	s.Site("POST /compte/annuaire/{id}", m.propose, s.SignedIn)

	staff := []web.Middleware{s.Staff(account.RoleAgent), m.ofService}
	s.Site("GET /gestion/annuaire", m.adminList, staff...)
	s.Site("GET /gestion/annuaire/nouvelle", m.newForm, staff...)
	s.Site("POST /gestion/annuaire/nouvelle", m.create, staff...)
	s.Site("GET /gestion/annuaire/{id}", m.editForm, staff...)
	s.Site("POST /gestion/annuaire/{id}", m.update, staff...)
	s.Site("POST /gestion/annuaire/{id}/publication", m.publish, staff...)
	s.Site("POST /gestion/annuaire/{id}/supprimer", m.delete, staff...)
	s.Site("POST /gestion/annuaire/{id}/gestionnaires", m.addManager, staff...)
	s.Site("POST /gestion/annuaire/{id}/gestionnaires/{account}/retirer", m.removeManager, staff...)
	s.Site("GET /gestion/annuaire/moderation", m.queue, staff...)
	s.Site("GET /gestion/annuaire/moderation/{id}", m.proposal, staff...)
	s.Site("POST /gestion/annuaire/moderation/{id}/valider", m.approve, staff...)
	s.Site("POST /gestion/annuaire/moderation/{id}/refuser", m.reject, staff...)
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

// sitemap lists the directory and its published entries.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	list, err := m.store.Published(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	paths := []string{ListPath}
	for _, e := range list {
		paths = append(paths, e.Path())
	}
	return paths, nil
}

// managesEntry shows « Mes fiches de l'annuaire » to the managers of an
// entry only.
func (m *Module) managesEntry(r *http.Request) bool {
	t, id := tenant.FromContext(r.Context()), account.FromContext(r.Context())
	ok, _, err := m.store.Manages(r.Context(), t.ID, id.UserID)
	if err != nil {
		slog.ErrorContext(r.Context(), "directory: managers", "error", err)
	}
	return ok
}

// now is the request's time in the collectivité's zone.
func (m *Module) now(r *http.Request) time.Time {
	return m.store.Now().In(tenant.FromContext(r.Context()).Location())
}

// alsaceMoselle tells whether the collectivité keeps the two more
// public holidays of Alsace-Moselle.
func alsaceMoselle(r *http.Request) bool {
	return guichet.AlsaceMoselle(tenant.FromContext(r.Context()).INSEE)
}

// site is what the moderation's emails need of the collectivité.
func (m *Module) site(r *http.Request) directory.Site {
	t := tenant.FromContext(r.Context())
	return directory.Site{URL: m.s.SiteURL(r, t), Contact: t.Email}
}

// who finds a proposal's author for the emails.
func (m *Module) who(r *http.Request) func(string) (directory.Person, error) {
	t := tenant.FromContext(r.Context())
	return func(accountID string) (directory.Person, error) { return m.person(r.Context(), t.ID, accountID) }
}
