package networkweb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/capability/network"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: an organisation's managers' own
// pages (the rows' organisation is managed by the demo resident) and the
// engagement staff's pages, for the administrators and the agents of the
// vie-locale service.
func (c *Capability) AccessRows() []access.Row {
	owner, staff := access.OwnerOnly(), access.OfService(Service, account.RoleAgent)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	org, managed := named("entry", "network-org"), named("entry", "network-managed")
	return []access.Row{
		access.For("site GET /compte/reseau", access.SignedInOnly(), nil),
		access.For("site GET /compte/reseau/{entry}", owner, fixed(managed)),
		// The demo resident's organisation is not published: its manager
		// is told so (409), nothing is recorded.
		access.For("site POST /compte/reseau/{entry}/liens", owner, posting(managed, url.Values{"to": {""}, "kind": {"partenariat"}})),
		access.For("site POST /compte/reseau/{entry}/contacts", owner, posting(managed, url.Values{"name": {""}})),
		access.For("site POST /compte/reseau/{entry}/contacts/{id}/retirer", owner, func(f access.Fixtures) access.Call {
			entry, id, _ := strings.Cut(f.Take("network-managed-contact"), " ")
			return access.Call{Params: access.Params{"entry": entry, "id": id}}
		}).Renewed(),

		access.For("site GET /gestion/reseau", staff, nil),
		access.For("site GET /gestion/reseau/liens", staff, nil),
		access.For("site POST /gestion/reseau/liens", staff, posting(nil, url.Values{"from": {""}})),
		access.For("site POST /gestion/reseau/liens/{id}/confirmer", staff, access.Taken("id", "network-proposal")).Renewed(),
		// A reason too long: refused on its form, nothing changes.
		access.For("site POST /gestion/reseau/liens/{id}/refuser", staff, func(f access.Fixtures) access.Call {
			id := f.Get("network-proposal-kept")
			return access.Call{Params: access.Params{"id": id}, Form: url.Values{"reason-" + id: {strings.Repeat("Non. ", 120)}}}
		}),
		access.For("site POST /gestion/reseau/liens/{id}/terminer", staff, access.Taken("id", "network-tie")).Renewed(),
		access.For("site GET /gestion/reseau/organisations/{entry}", staff, fixed(org)),
		access.For("site POST /gestion/reseau/organisations/{entry}/liens", staff, posting(org, url.Values{"to": {""}})),
		access.For("site POST /gestion/reseau/organisations/{entry}/contacts", staff, posting(org, url.Values{"name": {""}})),
		access.For("site POST /gestion/reseau/contacts/{id}/confirmer", staff, fixed(named("id", "network-contact"))),
		access.For("site POST /gestion/reseau/contacts/{id}/retirer", staff, access.Taken("id", "network-contacts")).Renewed(),
		access.For("site GET /gestion/reseau/campagnes", staff, nil),
		access.For("site POST /gestion/reseau/campagnes/apercu", staff, posting(nil, url.Values{"subject": {""}})),
		access.For("site POST /gestion/reseau/campagnes", staff, posting(nil, url.Values{"subject": {""}})),
		access.For("site GET /gestion/reseau/campagnes/{id}", staff, fixed(named("id", "network-campaign"))),
	}
}

// matrixWho signs the fixtures' campaign.
const matrixWho = "Matrice"

// AccessFixtures implements kernel.AccessFixtured: an organisation of the
// town's network with a contact and a campaign; proposals to confirm,
// ties to end and contacts to withdraw; and the entry the demo resident
// manages (the directory's fixtures make it, unpublished) with contacts
// to withdraw.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	v, err := c.Store.View(ctx, town.ID)
	if err != nil {
		return err
	}
	if len(v.Orgs) < 4 {
		return errors.New("network fixtures: the town's directory has too few organisations")
	}
	org := v.Orgs[0]
	f.Set("network-org", org.ID)
	contact, err := c.fixtureContact(ctx, town, org.ID, f.Next())
	if err != nil {
		return err
	}
	f.Set("network-contact", contact)
	if err := f.Fill("network-contacts", f.Uses(), func() (string, error) { return c.fixtureContact(ctx, town, org.ID, f.Next()) }); err != nil {
		return err
	}
	pairs := c.freePairs(ctx, town, v, network.KindPremises)
	proposal := func() (string, error) {
		from, to, err := pairs()
		if err != nil {
			return "", err
		}
		t := &network.Tie{TenantID: town.ID, From: from, To: to, Kind: network.KindPremises, ProposedBy: "compte-de-la-matrice",
			ProposedFor: from}
		err = c.Store.AddTie(ctx, t)
		return t.ID, err
	}
	kept, err := proposal()
	if err != nil {
		return fmt.Errorf("network fixtures: proposal: %w", err)
	}
	f.Set("network-proposal-kept", kept)
	if err := f.Fill("network-proposal", f.Uses(), proposal); err != nil {
		return fmt.Errorf("network fixtures: proposals: %w", err)
	}
	if err := f.Fill("network-tie", f.Uses(), func() (string, error) {
		from, to, err := pairs()
		if err != nil {
			return "", err
		}
		t := &network.Tie{TenantID: town.ID, From: from, To: to, Kind: network.KindPremises}
		err = c.Store.AddTie(ctx, t)
		return t.ID, err
	}); err != nil {
		return fmt.Errorf("network fixtures: ties: %w", err)
	}
	campaign := &network.Campaign{TenantID: town.ID, Kind: network.Message, Subject: "Campagne de la matrice", Body: "Texte.",
		TargetKind: network.TargetSelection, TargetLabel: org.Name, Author: matrixWho}
	to := []network.Recipient{{EntryID: org.ID, EntryName: org.Name, Email: "matrice@courriel.localhost"}}
	if err := c.Store.Record(ctx, campaign, to, c.Store.Now()); err != nil {
		return fmt.Errorf("network fixtures: campaign: %w", err)
	}
	f.Set("network-campaign", campaign.ID)
	return c.managedFixtures(ctx, town, f)
}

// managedFixtures names the entry the demo resident manages, and
// contacts of it to withdraw. The entry is not published: the contacts
// go straight into the table, as a manager's would have before.
func (c *Capability) managedFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	// The directory's fixtures name the entry they give the demo
	// resident, which no row takes from them.
	entry := f.Get("directory-managed")
	f.Set("network-managed", entry)
	return f.Fill("network-managed-contact", f.Uses(), func() (string, error) {
		id, now := uuid.NewString(), c.Store.Now().UTC()
		_, err := c.Store.DB().Exec(ctx, `INSERT INTO network_contacts (id, tenant_id, entry_id, name, email, consent_at, consent_source,
			confirmed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, town.ID, entry,
			fmt.Sprintf("Contact de la matrice %d", f.Next()), "contact-matrice@courriel.localhost", now, network.ConsentEmail, now, now, now)
		return entry + " " + id, err
	})
}

// fixtureContact adds a contact to an organisation.
func (c *Capability) fixtureContact(ctx context.Context, town *tenant.Tenant, entry string, n int) (string, error) {
	ct := &network.Contact{TenantID: town.ID, EntryID: entry, Name: fmt.Sprintf("Contact de la matrice %d", n),
		Phone: "05 49 00 00 00", ConsentAt: c.Store.Now().Add(-time.Hour), ConsentSource: network.ConsentEmail}
	err := c.Store.AddContact(ctx, ct)
	return ct.ID, err
}

// freePairs hands out pairs of the network's organisations without a
// live tie of kind, one after the other.
func (c *Capability) freePairs(ctx context.Context, town *tenant.Tenant, v *network.View, kind string) func() (string, string, error) {
	i, j := 0, 0
	return func() (string, string, error) {
		for i < len(v.Orgs) {
			j++
			if j >= len(v.Orgs) {
				i++
				j = i
				continue
			}
			a, b := v.Orgs[i].ID, v.Orgs[j].ID
			ties, err := c.Store.TiesOf(ctx, town.ID, a)
			if err != nil {
				return "", "", err
			}
			taken := false
			for _, t := range ties {
				if t.Other(a) == b && t.Kind == kind && (t.State == network.Active || t.State == network.Proposed) {
					taken = true
				}
			}
			if !taken {
				return a, b, nil
			}
		}
		return "", "", errors.New("no pair of organisations left")
	}
}
