// Package communitiesweb serves a collectivité's communities: their list
// and pages with their feed and the join and leave buttons, the
// resident's own page gathering the feed of all their communities with
// their notification choices, the digest's unsubscription link, the
// animators' page (announcements, attached news and events) and the
// staff's pages (communities and their animators).
package communitiesweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages
var assets embed.FS

// Addresses of the communities' pages.
const (
	ListPath  = "/communautes"
	MinePath  = communities.SettingsPath
	AdminPath = "/gestion/communautes"
)

// StaffService is the staff service whose agents run the communities
// (with administrators and editors).
const StaffService = "vie-locale"

// Limits of what a client may do.
var (
	// JoinLimit bounds joining and leaving: each keeps a row, and a
	// script should not churn them.
	JoinLimit = abuse.Action{Name: "community_join", Rules: []abuse.Rule{
		{Kind: abuse.ByAddress, Max: 200, Window: time.Hour},
		{Kind: abuse.ByAccount, Max: 60, Window: time.Hour},
	}}
	// AnnouncementLimit bounds announcements, which go into every
	// member's digest.
	AnnouncementLimit = abuse.Action{Name: "community_announcement", Rules: []abuse.Rule{
		{Kind: abuse.ByAccount, Max: 20, Window: time.Hour},
		{Kind: abuse.ByTenant, Max: 500, Window: time.Hour},
	}}
)

// Module is the communities' web module.
type Module struct {
	k     *kernel.Kernel
	s     *web.Server
	store *communities.Store
}

// Name implements web.Module.
func (m *Module) Name() string { return "communities" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the communities.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddPersonal(web.NavItem{Key: "communities.mine.nav", Path: MinePath, Order: 30})
	s.AddSitemap(m.sitemap)

	s.Site("GET /communautes", m.list)
	s.Site("GET /communautes/{slug}", m.page)
	s.Site("POST /communautes/{slug}/rejoindre", m.join, s.SignedIn)
	s.Site("POST /communautes/{slug}/quitter", m.leave, s.SignedIn)
	s.Site("GET /communautes/{slug}/animer", m.animate, s.SignedIn)
	s.Site("POST /communautes/{slug}/annonces", m.addPost, s.SignedIn)
	s.Site("POST /communautes/{slug}/annonces/{id}/retirer", m.deletePost, s.SignedIn)
	s.Site("POST /communautes/{slug}/publications", m.attach, s.SignedIn)
	s.Site("POST /communautes/{slug}/publications/{id}/retirer", m.detach, s.SignedIn)

	s.Site("GET /mon-espace/communautes", m.mine, s.SignedIn)
	s.Site("POST /mon-espace/communautes", m.saveNotifications, s.SignedIn)
	s.Site("GET /mon-espace/communautes/desabonnement/{token}", m.unsubscribeForm)
	s.Site("POST /mon-espace/communautes/desabonnement/{token}", m.unsubscribe)

	staff := s.Staff(account.RoleEditor, account.RoleAgent)
	s.Site("GET /gestion/communautes", m.admin, staff)
	s.Site("GET /gestion/communautes/nouvelle", m.newForm, staff)
	s.Site("POST /gestion/communautes", m.create, staff)
	s.Site("GET /gestion/communautes/{id}", m.editForm, staff)
	s.Site("POST /gestion/communautes/{id}", m.update, staff)
	s.Site("POST /gestion/communautes/{id}/supprimer", m.remove, staff)
	s.Site("POST /gestion/communautes/{id}/animateurs", m.nameAnimator, staff)
	s.Site("POST /gestion/communautes/{id}/animateurs/{user}/retirer", m.removeAnimator, staff)
}

// sitemap lists the communities' pages.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	list, err := m.store.List(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	paths := []string{ListPath}
	for _, c := range list {
		paths = append(paths, c.Path())
	}
	return paths, nil
}

// ErrNotStaff refuses the communities' back office to agents of other
// services.
var ErrNotStaff = guichet.Errorf(guichet.EForbidden, "Les communautés sont gérées par le service vie locale, les éditeurs et les administrateurs.")

// ErrNotAnimator refuses the animators' pages to others.
var ErrNotAnimator = guichet.Errorf(guichet.EForbidden, "Seuls les animateurs de la communauté et le service vie locale peuvent y publier.")

// manages reports whether id runs the communities: administrators,
// editors, agents of the vie-locale service.
func manages(id *account.Identity) bool {
	if id == nil {
		return false
	}
	return id.Has(account.RoleAdmin) || id.Has(account.RoleEditor) ||
		(id.Has(account.RoleAgent) && slices.Contains(id.Services, StaffService))
}

// staffOnly returns ErrNotStaff unless the request's person runs the
// communities.
func staffOnly(r *http.Request) error {
	if !manages(account.FromContext(r.Context())) {
		return ErrNotStaff
	}
	return nil
}

// animates reports whether id may post in c: staff who run the
// communities, the residents staff named, the managers of its directory
// entry.
func (m *Module) animates(ctx context.Context, id *account.Identity, c *communities.Community) (bool, error) {
	if id == nil {
		return false, nil
	}
	if manages(id) {
		return true, nil
	}
	if ok, err := m.store.IsAnimator(ctx, c.TenantID, c.ID, id.UserID); err != nil || ok {
		return ok, err
	}
	if c.EntryID == "" {
		return false, nil
	}
	entries, err := m.k.ManagedEntries(ctx, c.TenantID, id.UserID)
	return slices.Contains(entries, c.EntryID), err
}

// community returns the request's community, by its slug.
func (m *Module) community(r *http.Request) (*communities.Community, error) {
	return m.store.BySlug(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("slug"))
}
