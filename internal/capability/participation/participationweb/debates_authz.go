package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// debateRows are the access rows of the debate routes: reading for
// anyone, arguing and supporting for whoever is signed in, opening and
// closing for the moderators.
func (c *Capability) debateRows() []access.Row {
	public, signedIn, mods := access.Public(), access.SignedInOnly(), access.StaffOnly(account.RoleModerator)
	debate := access.Named("id", "participation-debate")
	argument := func(f access.Fixtures) access.Params {
		return access.Params{"id": f.Get("participation-debate"), "arg": f.Get("participation-argument")}
	}
	closing := access.Named("id", "participation-debate-closing")
	return []access.Row{
		access.For("site GET "+DebatesPath, public, nil),
		access.For("site GET "+DebatesPath+"/{id}", public, access.Fixed(debate)),
		access.For("site GET "+DebatesPath+"/{id}/arguments/{arg}", public, access.Fixed(argument)),
		// An empty argument: refused on its field, nothing written.
		access.For("site POST "+DebatesPath+"/{id}/arguments", signedIn,
			access.Posting(debate, url.Values{"side": {participation.For}, "body": {""}})),
		// Each allowed visitor supports the mairie's argument (no one's own).
		access.For("site POST "+DebatesPath+"/{id}/arguments/{arg}/soutien", signedIn, access.Posting(argument, url.Values{})),
		access.For("site GET "+DebatesAdminPath+"/nouveau", mods, nil),
		access.For("site POST "+DebatesAdminPath+"/nouveau", mods, access.Posting(nil, url.Values{"title": {""}})),
		access.For("site GET "+DebatesAdminPath+"/{id}", mods, access.Fixed(debate)),
		// Closing again amends the summary: the debate is not used up.
		access.For("site POST "+DebatesAdminPath+"/{id}/synthese", mods,
			access.Posting(closing, url.Values{"summary": {"Synthèse du débat de la matrice."}})),
	}
}

// debateFixtures makes the records the debate rows name: an open debate
// of the town with an argument by the mairie (which every resident may
// support), and a debate to close.
func (c *Capability) debateFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	sp := &participation.Space{TenantID: town.ID, Slug: fmt.Sprintf("debats-de-la-matrice-%d", f.Next()), Name: "Débats de la matrice"}
	if err := c.Store.CreateSpace(ctx, sp); err != nil {
		return err
	}
	mairie := participation.Author{Staff: true, Name: "Mairie de la matrice"}
	open := func(title string) (*participation.Thread, error) {
		th := &participation.Thread{Kind: participation.Debate, Title: title}
		_, err := c.Store.StartThread(ctx, sp, th, mairie, "Le contexte du débat de la matrice.")
		return th, err
	}
	th, err := open("Débat de la matrice")
	if err != nil {
		return err
	}
	f.Set("participation-debate", th.ID)
	arg, err := c.Store.Reply(ctx, sp, th, mairie, participation.For, "L'argument de la matrice.")
	if err != nil {
		return err
	}
	f.Set("participation-argument", arg.ID)
	closing, err := open("Débat de la matrice à clore")
	if err != nil {
		return err
	}
	f.Set("participation-debate-closing", closing.ID)
	return nil
}

// The town's demo debate the isolation rows aim at.
const isolatedDebate = "Faut-il rendre la rue du Marché piétonne le samedi\u00a0?"

// debateIsolation are the isolation rows of the debate routes: from the
// village's host, nobody lists, reads, argues in, supports, manages or
// closes the town's debates.
func (c *Capability) debateIsolation() []kernel.IsolationRow {
	admin, anon := kernel.AsVillageAdmin, kernel.AsAnonymous
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("the village's debates list none of the town's", anon, "GET", nil,
			kernel.Path(DebatesPath, "rue du Marché", "éclairage public", "zone 30"), http.StatusOK, nil),
		row("a town debate's page", anon, "GET", nil, c.townDebate(""), http.StatusNotFound, nil),
		row("a town argument's page", anon, "GET", nil, c.townDebate("/arguments/{arg}"), http.StatusNotFound, nil),
		row("argue in a town debate", admin, "POST", url.Values{"side": {participation.For}, "body": {"Argument pirate."}},
			c.townDebate("/arguments"), http.StatusNotFound, c.townDebateIntact),
		row("support a town argument", admin, "POST", nil, c.townDebate("/arguments/{arg}/soutien"), http.StatusNotFound,
			c.townDebateIntact),
		row("a town debate's figures", admin, "GET", nil, c.townDebateAdmin(""), http.StatusNotFound, nil),
		row("close a town debate", admin, "POST", url.Values{"summary": {"Synthèse pirate."}}, c.townDebateAdmin("/synthese"),
			http.StatusNotFound, c.townDebateIntact),
		row("the village's form to open a debate offers none of the town's spaces", admin, "GET", nil,
			kernel.Path(DebatesAdminPath+"/nouveau", "Débats de la commune", "Se déplacer à Montclair"), http.StatusOK, nil),
	}
}

// townDebateRecords finds the town's demo debate and its most supported
// argument.
func (c *Capability) townDebateRecords(ctx context.Context, town *tenant.Tenant) (*participation.Thread, *participation.Message, error) {
	list, err := c.Store.Threads(ctx, town.ID, "", participation.Debate, 100)
	if err != nil {
		return nil, nil, err
	}
	for _, th := range list {
		if th.Title == isolatedDebate {
			arg, err := c.Store.Strongest(ctx, town.ID, th.ID, participation.For)
			if err != nil || arg == nil {
				return nil, nil, fmt.Errorf("the town's debate has no argument: %v", err)
			}
			return th, arg, nil
		}
	}
	return nil, nil, fmt.Errorf("the town's demo debate is missing")
}

// townDebate is the public path of the town's debate followed by suffix
// ({arg}: its strongest argument's id).
func (c *Capability) townDebate(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		th, arg, err := c.townDebateRecords(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return th.Path() + strings.ReplaceAll(suffix, "{arg}", arg.ID), []string{"rue du Marché"}, nil
	}
}

// townDebateAdmin is the moderators' path of the town's debate followed
// by suffix.
func (c *Capability) townDebateAdmin(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		th, _, err := c.townDebateRecords(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return DebatesAdminPath + "/" + th.ID + suffix, []string{"rue du Marché"}, nil
	}
}

// townDebateIntact checks the town's debate: still open, its arguments
// and their supports as the demo left them.
func (c *Capability) townDebateIntact(ctx context.Context, town *tenant.Tenant) error {
	th, arg, err := c.townDebateRecords(ctx, town)
	if err != nil {
		return err
	}
	if th.Closed() || th.Summary != "" {
		return fmt.Errorf("the village closed the town's debate")
	}
	args, err := c.Store.Arguments(ctx, town.ID, th.ID, "")
	if err != nil {
		return err
	}
	for _, m := range append(args.For, args.Against...) {
		if m.Body == "Argument pirate." {
			return fmt.Errorf("the village argued in the town's debate")
		}
	}
	if arg.Supports != 7 {
		return fmt.Errorf("the town's strongest argument has %d supports, not the demo's 7", arg.Supports)
	}
	return nil
}
