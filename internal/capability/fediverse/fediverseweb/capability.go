package fediverseweb

import (
	"context"
	"net"
	"net/url"
	"strings"
	"time"

	"guichet/internal/capability/fediverse"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Capability makes each collectivité an actor of the fediverse,
// installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *fediverse.Store
	Module *Module
}

// NewCapability returns the fediverse, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the fediverse as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "fediverse" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return fediverse.Migrations }

// AnnounceEvery is how often new publications are looked for.
const AnnounceEvery = time.Minute

// Install builds the store (the collectivités' addresses from the
// kernel's links, what they publish from the kernel's publications),
// registers the delivery worker, the periodic announcement, the register
// lines and retention rules, and the back-office section. Nothing leaves
// for other servers from a demo without a public address.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := fediverse.NewStore(k.DB, k.SecretKey)
	s.Now = k.Now
	s.Site = k.Links
	s.Sources = k.Publications
	s.Tenants = func(ctx context.Context) ([]string, error) {
		list, err := k.Tenants.List(ctx)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, t := range list {
			if !t.IsPlatform() && t.Active() {
				ids = append(ids, t.ID)
			}
		}
		return ids, nil
	}
	s.Outgoing = !k.Demo || publicDomain(k.Web.Tenants().BaseDomain())
	if err := s.UseQueue(k.Jobs); err != nil {
		return nil, err
	}
	if err := k.Jobs.Periodic("fediverse-announce", AnnounceEvery, s.Announce); err != nil {
		return nil, err
	}
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "fediverse.section", DescKey: "fediverse.section_desc", Path: "/gestion/fediverse",
		Roles: []account.Role{account.RoleModerator}, Order: 190})
	k.Home.AddPracticalLink(web.NavItem{Key: "fediverse.practical", Path: fediverse.ActorPath})
	m := New(s, k)
	c.Store, c.Module = s, m
	return m, nil
}

// RepliesTo implements kernel.RepliesSource: an item's approved replies,
// each with a link to report it to the collectivité by email.
func (c *Capability) RepliesTo(ctx context.Context, tenantID, kind, id string) ([]kernel.Reply, error) {
	report := ""
	if t := tenant.FromContext(ctx); t != nil && t.ID == tenantID && t.Email != "" {
		report = "mailto:" + t.Email + "?subject=" + url.PathEscape("Signalement d'une réponse du fédivers")
	}
	return c.Store.KernelReplies(ctx, tenantID, kind, id, report)
}

// publicDomain reports whether a base domain is one the Internet can
// reach: not localhost, an address, or a name kept for tests.
func publicDomain(base string) bool {
	if net.ParseIP(base) != nil || base == "" {
		return false
	}
	for _, tld := range []string{"localhost", "test", "example", "invalid", "local"} {
		if base == tld || strings.HasSuffix(base, "."+tld) {
			return false
		}
	}
	return true
}
