package sharingweb

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"guichet/internal/capability/sharing"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public sharing page, and the
// administrators' queue and accounts.
func (c *Capability) AccessRows() []access.Row {
	public, admin := access.Public(), access.StaffOnly(account.RoleAdmin)
	taken, posting := access.Taken, access.Posting
	return []access.Row{
		access.For("site GET /partager", public, nil),
		access.For("site POST /partager", public, posting(nil, url.Values{"instance": {"pas un serveur"}})),
		access.For("site GET /gestion/partage", admin, nil),
		access.For("site POST /gestion/partage/publications/{id}/valider", admin, taken("id", "sharing-pending")).Renewed(),
		access.For("site POST /gestion/partage/publications/{id}/annuler", admin, taken("id", "sharing-pending")).Renewed(),
		access.For("site POST /gestion/partage/publications/{id}/renvoyer", admin, taken("id", "sharing-failed")).Renewed(),
		access.For("site GET /gestion/partage/comptes", admin, nil),
		access.For("site POST /gestion/partage/comptes", admin, posting(nil, url.Values{"network": {"mastodon"}, "host": {""}})),
		access.For("site POST /gestion/partage/comptes/{id}", admin, func(f access.Fixtures) access.Call {
			id := f.Get("sharing-account")
			return access.Call{Params: access.Params{"id": id}, Form: url.Values{"host-" + id: {""}}}
		}),
		access.For("site POST /gestion/partage/comptes/{id}/tester", admin, access.Fixed(access.Named("id", "sharing-account"))),
		access.For("site POST /gestion/partage/comptes/{id}/supprimer", admin, taken("id", "sharing-accounts")).Renewed(),
	}
}

// AccessFixtures implements kernel.AccessFixtured: an account of the
// town's on a demonstration host, accounts to delete, and posts to
// approve, cancel and send again.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	a, err := c.fixtureAccount(ctx, town)
	if err != nil {
		return err
	}
	f.Set("sharing-account", a.ID)
	if err := f.Fill("sharing-accounts", f.Uses(), func() (string, error) {
		a, err := c.fixtureAccount(ctx, town)
		return a.ID, err
	}); err != nil {
		return err
	}
	post := func(status string) func() (string, error) {
		return func() (string, error) {
			p, err := c.fixturePost(ctx, town, a, fmt.Sprintf("matrice-%d", f.Next()), status)
			return p.ID, err
		}
	}
	if err := f.Fill("sharing-pending", 2*f.Uses(), post(sharing.Pending)); err != nil {
		return err
	}
	return f.Fill("sharing-failed", f.Uses(), post(sharing.Failed))
}

func (c *Capability) fixtureAccount(ctx context.Context, town *tenant.Tenant) (*sharing.Account, error) {
	a := &sharing.Account{TenantID: town.ID, Network: sharing.Mastodon, Host: "fixtures.montclair.example",
		Secret: "jeton-des-fixtures", Kinds: sharing.Kinds, Approval: true}
	return a, c.Store.AddAccount(ctx, a)
}

// fixturePost queues a post of a made-up news item for a, in status.
func (c *Capability) fixturePost(ctx context.Context, town *tenant.Tenant, a *sharing.Account, id, status string) (*sharing.Post, error) {
	it := kernel.Publication{Kind: "news", ID: id, Title: "Actualité " + id, Path: "/actualites/" + id,
		Published: c.Store.Now().Add(time.Minute)}
	if _, err := c.Store.Queue(ctx, a, it, "http://montclair.localhost"); err != nil {
		return nil, err
	}
	p, err := c.Store.PostOf(ctx, town.ID, a.ID, "news", id)
	if err != nil {
		return nil, err
	}
	if status != sharing.Pending {
		if err := c.Store.SetState(ctx, town.ID, p.ID, status, sharing.DemoRefusal, ""); err != nil {
			return nil, err
		}
	}
	return p, nil
}
