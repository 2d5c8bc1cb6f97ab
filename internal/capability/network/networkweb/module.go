// Package networkweb serves the network of organisations: the
// engagement staff's pages (the network drawn and measured, its ties,
// each organisation's sheet with its contacts, the campaigns) and the
// pages where an organisation's managers propose ties and enter their
// contacts.
package networkweb

import (
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages static
var assets embed.FS

// Service is the staff service of the engagement staff: its agents and
// the administrators see the network.
const Service = "vie-locale"

// The pages' addresses.
const (
	AdminPath     = "/gestion/reseau"
	TiesPath      = "/gestion/reseau/liens"
	CampaignsPath = "/gestion/reseau/campagnes"
	OrgPath       = "/gestion/reseau/organisations/"
	MinePath      = "/compte/reseau"
)

// CampaignLimit holds the campaigns a staff member's slip of the finger
// could send: each mails a whole cluster or category.
var CampaignLimit = abuse.Action{Name: "network_campaign", Rules: []abuse.Rule{
	{Kind: abuse.ByAccount, Max: 10, Window: time.Hour},
	{Kind: abuse.ByTenant, Max: 30, Window: time.Hour},
}}

// ProposalLimit holds what an organisation's managers send staff: ties
// proposed and contacts entered.
var ProposalLimit = abuse.Action{Name: "network_proposal", Rules: []abuse.Rule{
	{Kind: abuse.ByAccount, Max: 30, Window: time.Hour},
	{Kind: abuse.ByTenant, Max: 1000, Window: time.Hour},
}}

// Module is the network's web module.
type Module struct {
	s     *web.Server
	k     *kernel.Kernel
	store *network.Store
}

// New returns the module.
func New(k *kernel.Kernel, store *network.Store) *Module { return &Module{k: k, store: store} }

// Name implements web.Module.
func (m *Module) Name() string { return "network" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

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

// tenantOf is the request's collectivité.
func tenantOf(r *http.Request) *tenant.Tenant { return tenant.FromContext(r.Context()) }

// loc is the request's collectivité's time zone.
func loc(r *http.Request) *time.Location { return tenantOf(r).Location() }

// now is the request's time in the collectivité's zone.
func (m *Module) now(r *http.Request) time.Time { return m.store.Now().In(loc(r)) }

// view is the request's collectivité's network.
func (m *Module) view(r *http.Request) (*network.View, error) {
	return m.store.View(r.Context(), tenantOf(r).ID)
}

// author is who the audit log and the campaigns name.
func author(r *http.Request) string {
	id := account.FromContext(r.Context())
	if id.Name != "" {
		return id.Name
	}
	return id.Email
}
