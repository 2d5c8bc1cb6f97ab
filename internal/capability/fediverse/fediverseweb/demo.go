package fediverseweb

import (
	"context"
	"time"

	"guichet/internal/capability/fediverse"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// SeedDemo implements kernel.DemoContent: the town's actor with a few
// followers on made-up servers (under example.org, which nothing is ever
// delivered to), its latest news item announced, with two approved
// replies and one waiting for moderation; the village's actor alone.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		if _, err := c.Store.Actor(ctx, t.ID); err != nil {
			return err
		}
		if slug != demo.Town {
			continue
		}
		for _, f := range []fediverse.Follower{
			{ActorURI: "https://piaille.example.org/users/claire_m", Inbox: "https://piaille.example.org/users/claire_m/inbox",
				SharedInbox: "https://piaille.example.org/inbox"},
			{ActorURI: "https://piaille.example.org/users/asso_tilleuls", Inbox: "https://piaille.example.org/users/asso_tilleuls/inbox",
				SharedInbox: "https://piaille.example.org/inbox"},
			{ActorURI: "https://social-vallee.example.org/users/jb", Inbox: "https://social-vallee.example.org/users/jb/inbox"},
		} {
			if err := c.Store.AddDemoFollower(ctx, t.ID, f); err != nil {
				return err
			}
		}
		src, ok := c.k.PublicationsOf(fediverse.KindNews)
		if !ok || src.Recent == nil {
			continue
		}
		list, err := src.Recent(ctx, t.ID, c.k.Now(), 1)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			continue
		}
		item := list[0]
		if item.Kind == "" {
			item.Kind = fediverse.KindNews
		}
		if err := c.Store.Keep(ctx, t.ID, item); err != nil {
			return err
		}
		now := c.k.Now()
		for i, r := range []fediverse.Reply{
			{AuthorName: "Claire M.", AuthorURL: "https://piaille.example.org/@claire_m", ActorURI: "https://piaille.example.org/users/claire_m",
				HTML: "<p>Merci pour l'information, c'est très clair. Je partage avec les voisins du quartier.</p>", State: fediverse.Approved},
			{AuthorName: "Association des Tilleuls", AuthorURL: "https://piaille.example.org/@asso_tilleuls", ActorURI: "https://piaille.example.org/users/asso_tilleuls",
				HTML: "<p>Bonne nouvelle\u00a0! Nous relaierons lors de notre prochaine réunion de quartier.</p>", State: fediverse.Approved},
			{AuthorName: "JB", AuthorURL: "https://social-vallee.example.org/@jb", ActorURI: "https://social-vallee.example.org/users/jb",
				HTML: "<p>Est-ce que les horaires changent aussi pendant les vacances scolaires\u00a0?</p>", State: fediverse.Pending},
		} {
			r.Kind, r.ItemID = item.Kind, item.ID
			r.ObjectURI = r.ActorURI + "/statuses/" + item.ID + "-" + string(rune('a'+i))
			r.Published = now.Add(-time.Duration(3-i) * time.Hour)
			if err := c.Store.AddDemoReply(ctx, t.ID, r); err != nil {
				return err
			}
		}
	}
	return nil
}
