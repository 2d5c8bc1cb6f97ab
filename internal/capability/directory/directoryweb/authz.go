package directoryweb

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"guichet/internal/capability/directory"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public directory, an
// entry's managers' own pages (the rows' entry is managed by the demo
// resident) and the staff's pages, for the administrators and the
// agents of the vie-locale service.
func (c *Capability) AccessRows() []access.Row {
	public, owner := access.Public(), access.OwnerOnly()
	staff := access.OfService(Service, account.RoleAgent)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	entry, managed, proposal := named("id", "directory-entry"), named("id", "directory-managed"), named("id", "directory-proposal")
	return []access.Row{
		access.For("site GET /annuaire", public, nil),
		access.For("site GET /annuaire/equipements.csv", public, nil),
		access.For("site GET /annuaire/{slug}", public, fixed(named("slug", "directory-slug"))),

		access.For("site GET /compte/annuaire", access.SignedInOnly(), nil),
		access.For("site GET /compte/annuaire/{id}", owner, fixed(managed)),
		// A telephone number that does not read: the proposal is refused
		// on its form, nothing is recorded.
		access.For("site POST /compte/annuaire/{id}", owner, posting(managed, url.Values{"phone": {"pas un numéro"}})),

		access.For("site GET /gestion/annuaire", staff, nil),
		access.For("site GET /gestion/annuaire/nouvelle", staff, nil),
		access.For("site POST /gestion/annuaire/nouvelle", staff, posting(nil, url.Values{"name": {""}})),
		access.For("site GET /gestion/annuaire/{id}", staff, fixed(entry)),
		access.For("site POST /gestion/annuaire/{id}", staff, posting(entry, url.Values{"name": {""}})),
		access.For("site POST /gestion/annuaire/{id}/publication", staff, posting(entry, url.Values{"published": {"1"}})),
		access.For("site POST /gestion/annuaire/{id}/supprimer", staff, access.Taken("id", "directory-deletable")).Renewed(),
		access.For("site POST /gestion/annuaire/{id}/gestionnaires", staff,
			posting(entry, url.Values{"manager_email": {"personne@nulle-part.localhost"}})),
		access.For("site POST /gestion/annuaire/{id}/gestionnaires/{account}/retirer", staff, func(f access.Fixtures) access.Call {
			id, acc, _ := strings.Cut(f.Take("directory-managers"), " ")
			return access.Call{Params: access.Params{"id": id, "account": acc}}
		}).Renewed(),
		access.For("site GET /gestion/annuaire/moderation", staff, nil),
		access.For("site GET /gestion/annuaire/moderation/{id}", staff, fixed(proposal)),
		access.For("site POST /gestion/annuaire/moderation/{id}/valider", staff, access.Taken("id", "directory-pending")).Renewed(),
		access.For("site POST /gestion/annuaire/moderation/{id}/refuser", staff, posting(proposal, url.Values{"reason": {""}})),
	}
}

// AccessFixtures implements kernel.AccessFixtured: an entry of the
// town's managed by its demo resident with a proposal waiting, entries
// to delete, managers to withdraw and proposals to approve.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return fmt.Errorf("directory fixtures: the resident: %w", err)
	}
	mairie, err := c.Store.BySlug(ctx, town.ID, "mairie")
	if err != nil {
		return err
	}
	f.Set("directory-slug", mairie.Slug)
	f.Set("directory-entry", mairie.ID)
	managed, err := c.fixtureEntry(ctx, town, f.Next(), u.ID)
	if err != nil {
		return err
	}
	f.Set("directory-managed", managed.ID)
	p, err := c.fixtureProposal(ctx, town, u.ID, f.Next())
	if err != nil {
		return err
	}
	f.Set("directory-proposal", p.ID)
	if err := f.Fill("directory-deletable", f.Uses(), func() (string, error) {
		e, err := c.fixtureEntry(ctx, town, f.Next(), "")
		if err != nil {
			return "", err
		}
		return e.ID, nil
	}); err != nil {
		return err
	}
	if err := f.Fill("directory-managers", f.Uses(), func() (string, error) {
		e, err := c.fixtureEntry(ctx, town, f.Next(), u.ID)
		if err != nil {
			return "", err
		}
		return e.ID + " " + u.ID, nil
	}); err != nil {
		return err
	}
	return f.Fill("directory-pending", f.Uses(), func() (string, error) {
		p, err := c.fixtureProposal(ctx, town, u.ID, f.Next())
		if err != nil {
			return "", err
		}
		return p.ID, nil
	})
}

// fixtureEntry is an unpublished entry of the town, managed by manager
// when given.
func (c *Capability) fixtureEntry(ctx context.Context, town *tenant.Tenant, n int, manager string) (*directory.Entry, error) {
	e := &directory.Entry{TenantID: town.ID, Name: fmt.Sprintf("Association de la matrice %d", n), Category: "association",
		Organisation: true, Postcode: "86990", City: "Montclair-sur-Vienne"}
	if err := c.Store.Save(ctx, e, directory.CheckHours); err != nil {
		return nil, err
	}
	if manager != "" {
		if err := c.Store.AddManager(ctx, town.ID, e.ID, manager, "Matrice"); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// fixtureProposal is a proposal waiting on an entry of its own, by the
// entry's manager (a manager's second proposal on one entry would
// replace the first).
func (c *Capability) fixtureProposal(ctx context.Context, town *tenant.Tenant, manager string, n int) (*directory.Proposal, error) {
	e, err := c.fixtureEntry(ctx, town, n, manager)
	if err != nil {
		return nil, err
	}
	ch := directory.ChangesOf(e)
	ch.Summary = fmt.Sprintf("Résumé proposé %d", n)
	return c.Store.Propose(ctx, town.ID, e.ID, manager, "Habitante de la matrice", ch, directory.CheckHours, directory.Site{})
}
