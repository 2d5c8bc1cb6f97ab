package networkweb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

var _ kernel.DemoContent = (*Capability)(nil)

// DemoManager is the demo's manager of the Amicale des Tilleuls (the
// directory's demo gives her the entry), who proposed a tie.
const DemoManager = "association@courriel.localhost"

// SeedDemo implements kernel.DemoContent: the town's network of about
// thirty organisations in three clusters, two brokers and an isolated
// pair, contacts of half of them, a proposal waiting and a past
// campaign; the village's few ties. It reads the organisations the
// directory's demo published, by slug: without a directory it seeds
// nothing.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	if town, ok := tenants[demo.Town]; ok {
		if err := c.seed(ctx, town, townTies, townContacts, true); err != nil {
			return fmt.Errorf("network demo, town: %w", err)
		}
	}
	if village, ok := tenants[demo.Village]; ok {
		if err := c.seed(ctx, village, villageTies, villageContacts, false); err != nil {
			return fmt.Errorf("network demo, village: %w", err)
		}
	}
	return nil
}

func (c *Capability) seed(ctx context.Context, t *tenant.Tenant, ties []demoTie, contacts []demoContact, town bool) error {
	orgs, err := c.organisations(ctx, t.ID)
	if err != nil {
		return err
	}
	bySlug := map[string]network.DirectoryEntry{}
	for _, o := range orgs {
		bySlug[o.Slug] = o
	}
	if len(bySlug) == 0 {
		return nil
	}
	for _, d := range ties {
		if _, err := c.tie(ctx, t, bySlug, d, ""); err != nil {
			return err
		}
	}
	now := c.Store.Now()
	for _, d := range contacts {
		o, ok := bySlug[d.slug]
		if !ok {
			continue
		}
		ct := &network.Contact{TenantID: t.ID, EntryID: o.ID, Name: d.name, Role: d.role, Email: d.email, Phone: d.phone,
			Leader: d.leader, ConsentSource: d.source, ConsentAt: now.AddDate(0, -d.months, -3)}
		if err := c.Store.AddContact(ctx, ct); err != nil {
			return fmt.Errorf("contact %s: %w", d.name, err)
		}
	}
	if !town {
		return nil
	}
	if err := c.seedProposal(ctx, t, bySlug); err != nil {
		return err
	}
	return c.seedCampaign(ctx, t, bySlug, now)
}

// tie adds a demo tie between two entries found by slug; nothing when
// one is missing.
func (c *Capability) tie(ctx context.Context, t *tenant.Tenant, bySlug map[string]network.DirectoryEntry, d demoTie,
	proposer string) (*network.Tie, error) {
	from, okFrom := bySlug[d.from]
	to, okTo := bySlug[d.to]
	if !okFrom || !okTo {
		return nil, nil
	}
	tie := &network.Tie{TenantID: t.ID, From: from.ID, To: to.ID, Kind: d.kind, SinceYear: d.since, Note: d.note}
	if proposer != "" {
		tie.ProposedBy, tie.ProposedFor = proposer, from.ID
	}
	if err := c.Store.AddTie(ctx, tie); err != nil {
		return nil, fmt.Errorf("tie %s – %s: %w", d.from, d.to, err)
	}
	return tie, nil
}

// seedProposal has the Amicale's president propose a tie.
func (c *Capability) seedProposal(ctx context.Context, t *tenant.Tenant, bySlug map[string]network.DirectoryEntry) error {
	u, err := c.k.Accounts.ByEmail(ctx, t.ID, DemoManager)
	if errors.Is(err, account.ErrNotFound) || guichet.ErrorCode(err) == guichet.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = c.tie(ctx, t, bySlug, townProposal, u.ID)
	return err
}

// seedCampaign records the invitation the vie-locale service sent three
// weeks ago to the cluster of the solidarity organisations.
func (c *Capability) seedCampaign(ctx context.Context, t *tenant.Tenant, bySlug map[string]network.DirectoryEntry, now time.Time) error {
	v, err := c.Store.View(ctx, t.ID)
	if err != nil {
		return err
	}
	epicerie, ok := bySlug["epicerie-solidaire"]
	if !ok {
		return nil
	}
	i, _ := v.Index(epicerie.ID)
	cluster := v.Measures.Nodes[i].Cluster
	if cluster < 0 {
		return nil
	}
	var orgs []network.DirectoryEntry
	for _, j := range v.Measures.Clusters[cluster] {
		orgs = append(orgs, v.Orgs[j])
	}
	to, err := c.Store.Recipients(ctx, t.ID, orgs)
	if err != nil {
		return err
	}
	sent := now.AddDate(0, 0, -21)
	meeting := time.Date(sent.Year(), sent.Month(), sent.Day()+9, 18, 30, 0, 0, t.Location())
	campaign := &network.Campaign{TenantID: t.ID, Kind: network.Invitation, TargetKind: network.TargetCluster,
		TargetLabel: "Groupe de l'Épicerie solidaire et des services de santé",
		Subject:     "Plan grand froid : réunion des acteurs de la solidarité",
		Body: "Madame, Monsieur,\n\nAvant l'hiver, la Ville réunit les associations et services qui viennent en aide aux personnes " +
			"isolées, pour recenser qui peut faire quoi pendant un épisode de grand froid : visites, portage de courses, " +
			"accueil de jour.\n\nNous comptons sur votre présence ou celle d'un membre de votre organisation.\n\n" +
			"Le service vie locale",
		EventAt: &meeting, Place: "Hôtel de ville, salle du conseil", Author: "Service vie locale"}
	return c.Store.Record(ctx, campaign, to, sent)
}
