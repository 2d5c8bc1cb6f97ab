package sharingweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/sharing"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// DemoHost is the town's made-up Mastodon instance: a name reserved for
// examples, to which nothing is ever sent.
const DemoHost = "social.montclair.example"

// SeedDemo implements kernel.DemoContent: the town's Mastodon account,
// posts already sent of its latest news and events, one waiting for
// approval and one failed. The village has no account.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	town, ok := tenants[demo.Town]
	if !ok {
		return nil
	}
	a := &sharing.Account{TenantID: town.ID, Network: sharing.Mastodon, Host: DemoHost, Handle: "mairie",
		Secret: "jeton-de-demonstration-sans-valeur", Kinds: sharing.Kinds, Approval: true}
	if err := c.Store.AddAccount(ctx, a); err != nil {
		return err
	}
	site, _, err := c.k.Links(ctx, town.ID)
	if err != nil {
		return err
	}
	items := c.demoItems(ctx, town.ID)
	for i, it := range items {
		if _, err := c.Store.Queue(ctx, a, it, site); err != nil {
			return err
		}
		p, err := c.Store.PostOf(ctx, town.ID, a.ID, it.Kind, it.ID)
		if err != nil {
			return err
		}
		switch {
		case i == len(items)-1:
			// The latest stays waiting for approval.
		case i == len(items)-2:
			err = c.Store.SetState(ctx, town.ID, p.ID, sharing.Failed, sharing.DemoRefusal, "")
		default:
			err = c.Store.SetState(ctx, town.ID, p.ID, sharing.Sent, "", fmt.Sprintf("https://%s/@mairie/%d", DemoHost, 112400+i))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// demoItems are the town's latest news and events, oldest first, or
// made-up ones when those capabilities are not installed.
func (c *Capability) demoItems(ctx context.Context, tenantID string) []kernel.Publication {
	now := c.k.Now()
	var items []kernel.Publication
	for _, kind := range []string{"event", "news"} {
		src, ok := c.k.PublicationsOf(kind)
		if !ok || src.Recent == nil {
			continue
		}
		recent, err := src.Recent(ctx, tenantID, now, 3)
		if err != nil {
			continue
		}
		for i := len(recent) - 1; i >= 0; i-- {
			items = append(items, recent[i])
		}
	}
	if len(items) >= 3 {
		return items
	}
	return []kernel.Publication{
		{Kind: "news", ID: "demo-marche", Title: "Le marché de producteurs s'installe place de la Mairie", Path: "/actualites",
			Summary: "Chaque samedi matin, une vingtaine de producteurs du canton.", Published: now.Add(-72 * time.Hour)},
		{Kind: "event", ID: "demo-concert", Title: "Concert de l'harmonie municipale", Path: "/agenda",
			Summary: "Dimanche à 16 h au kiosque du parc.", Published: now.Add(-48 * time.Hour)},
		{Kind: "news", ID: "demo-travaux", Title: "Travaux rue des Écoles : circulation alternée", Path: "/actualites",
			Summary: "Du 2 au 20 mars, la rue des Écoles passe en circulation alternée.", Published: now.Add(-24 * time.Hour)},
		{Kind: "alert", ID: "demo-alerte", Title: "Vigilance orange : vents violents", Path: "/alertes",
			Summary: "Évitez les abords du parc et des bois.", Published: now.Add(-time.Hour)},
	}
}
