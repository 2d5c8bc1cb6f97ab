package fediverseweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/capability/fediverse"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the actor's public documents and
// inbox (which anyone may post to; the HTTP signature is what proves
// who sends), and the moderators' page.
func (c *Capability) AccessRows() []access.Row {
	public := access.Public()
	moderator, admin := access.StaffOnly(account.RoleModerator), access.StaffOnly(account.RoleAdmin)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	item := fixed(func(f access.Fixtures) access.Params {
		return access.Params{"kind": fediverse.KindNews, "id": f.Get("fediverse-item")}
	})
	return []access.Row{
		access.For("site GET /.well-known/webfinger", public, func(f access.Fixtures) access.Call {
			return access.Call{Query: url.Values{"resource": {"acct:" + f.Get("fediverse-slug") + "@" + f.Get("fediverse-host")}}}
		}),
		access.For("site GET /.well-known/nodeinfo", public, nil),
		access.For("site GET /nodeinfo/2.1", public, nil),
		access.For("site GET "+fediverse.ActorPath, public, nil),
		// Unsigned, the activity is refused; a body that is no activity
		// is refused before that, for everyone alike.
		access.For("site POST "+fediverse.InboxPath, public, func(access.Fixtures) access.Call {
			return access.Call{JSON: `{"type":"Follow"}`}
		}),
		access.For("site GET "+fediverse.OutboxPath, public, nil),
		access.For("site GET "+fediverse.FollowersPath, public, nil),
		access.For("site GET "+fediverse.ObjectsPath+"{kind}/{id}", public, item),
		access.For("site GET "+fediverse.ObjectsPath+"{kind}/{id}/activite", public, item),
		access.For("site GET /gestion/fediverse", moderator, nil),
		access.For("site POST /gestion/fediverse/publication", admin, posting(nil,
			url.Values{"publish_news": {"1"}, "publish_event": {"1"}, "publish_alert": {"1"}})),
		access.For("site POST /gestion/fediverse/reponses/{id}/approuver", moderator, fixed(named("id", "fediverse-reply"))),
		access.For("site POST /gestion/fediverse/reponses/{id}/rejeter", moderator, fixed(named("id", "fediverse-reply"))),
	}
}

var _ kernel.AccessFixtured = (*Capability)(nil)

// AccessFixtures implements kernel.AccessFixtured: an announced item and
// a reply waiting for moderation.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	base, _, err := c.Store.Site(ctx, town.ID)
	if err != nil {
		return err
	}
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	f.Set("fediverse-slug", town.Slug)
	f.Set("fediverse-host", u.Host)
	id, err := c.fixtureItem(ctx, town, "matrice")
	if err != nil {
		return err
	}
	f.Set("fediverse-item", id)
	reply, err := c.fixtureReply(ctx, town, id, fmt.Sprintf("matrice-%d", f.Next()), "Réponse de la matrice")
	if err != nil {
		return err
	}
	f.Set("fediverse-reply", reply)
	return nil
}
