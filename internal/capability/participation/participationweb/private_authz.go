package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// privateCorrespondent is the town resident the demo resident writes to
// in the rows: she accepts private messages.
const privateCorrespondent = "association@courriel.localhost"

// privateSubject is the subject of the rows' conversation.
const privateSubject = "Conversation privée de la matrice"

// privateRows are the access rows of the private messages: a person's
// own list and forms, the conversation of its two participants only
// (anyone else gets 404), the moderators' form.
func (c *Capability) privateRows() []access.Row {
	signedIn, owner, moderators := access.SignedInOnly(), access.OwnerOnly(), access.StaffOnly(account.RoleModerator)
	conv := access.Named("id", "participation-conversation")
	to := func(name string) access.Build {
		return func(f access.Fixtures) access.Call { return access.Call{Query: url.Values{"a": {f.Get(name)}}} }
	}
	empty := func(name string) access.Build {
		return func(f access.Fixtures) access.Call {
			return access.Call{Query: url.Values{"a": {f.Get(name)}}, Form: url.Values{"subject": {""}, "body": {""}}}
		}
	}
	return []access.Row{
		access.For("site GET "+ConversationsPath, signedIn, nil),
		access.For("site POST "+PrivateSettingsPath, signedIn, access.Posting(nil, url.Values{"accepter": {"1"}})),
		access.For("site GET "+NewPrivatePath, signedIn, to("participation-pm-recipient")),
		access.For("site POST "+NewPrivatePath, signedIn, empty("participation-pm-recipient")),
		access.For("site GET "+ConversationsPath+"/{id}", owner, access.Fixed(conv)),
		access.For("site POST "+ConversationsPath+"/{id}", owner, access.Posting(conv, url.Values{"body": {""}})),
		access.For("site POST "+ConversationsPath+"/{id}/refuser", owner, access.Posting(conv, url.Values{"refuser": {"0"}})),
		access.For("site GET "+StaffPrivatePath, moderators, to("participation-pm-resident")),
		access.For("site POST "+StaffPrivatePath, moderators, empty("participation-pm-resident")),
	}
}

// privateFixtures: the correspondent accepts private messages, and the
// demo resident's conversation with her.
func (c *Capability) privateFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	owner, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return err
	}
	other, err := c.k.Accounts.ByEmail(ctx, town.ID, privateCorrespondent)
	if err != nil {
		return err
	}
	if err := c.Store.SetAcceptsPrivate(ctx, town.ID, other.ID, true); err != nil {
		return err
	}
	conv, err := c.Store.StartConversation(ctx, town.ID, participation.Author{ID: owner.ID, Name: owner.Name}, other.ID,
		privateSubject, "Bonjour, voici un message de la matrice.")
	if err != nil {
		return err
	}
	f.Set("participation-conversation", conv.ID)
	f.Set("participation-pm-recipient", other.ID)
	f.Set("participation-pm-resident", owner.ID)
	return nil
}

// privateIsolation: from the village's site, nobody reads, answers or
// refuses in a town conversation, nor writes to a town resident.
func (c *Capability) privateIsolation() []kernel.IsolationRow {
	admin, session := kernel.AsVillageAdmin, kernel.AsTownSession
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	write := url.Values{"subject": {"Message pirate"}, "body": {"Texte pirate."}}
	return []kernel.IsolationRow{
		row("a town conversation on the village's site", admin, "GET", nil, c.townConversation(""), http.StatusNotFound, nil),
		row("answer a town conversation from the village's site", admin, "POST", url.Values{"body": {"Texte pirate."}},
			c.townConversation(""), http.StatusNotFound, c.townPrivateIntact),
		row("refuse a town resident from the village's site", admin, "POST", url.Values{"refuser": {"1"}},
			c.townConversation("/refuser"), http.StatusNotFound, c.townPrivateIntact),
		row("the form to write to a town resident on the village's site", admin, "GET", nil, c.townRecipient(NewPrivatePath),
			http.StatusNotFound, nil),
		row("write to a town resident from the village's site", admin, "POST", write, c.townRecipient(NewPrivatePath),
			http.StatusNotFound, c.townPrivateIntact),
		row("the moderators' form to a town resident on the village's site", admin, "GET", nil, c.townRecipient(StaffPrivatePath),
			http.StatusNotFound, nil),
		row("the mairie's message to a town resident from the village's site", admin, "POST", write,
			c.townRecipient(StaffPrivatePath), http.StatusNotFound, c.townPrivateIntact),
		row("the town resident's messages on the village's site", session, "GET", nil,
			kernel.Path(ConversationsPath, "Comité de quartier des Tilleuls"), http.StatusSeeOther, nil),
	}
}

// townClaire is the town's demo resident.
func (c *Capability) townClaire(ctx context.Context, town *tenant.Tenant) (*account.User, error) {
	return c.k.Accounts.ByEmail(ctx, town.ID, demo.Resident)
}

// townConversation is the demo resident's conversation with Françoise
// Lemoine, its subject the marker.
func (c *Capability) townConversation(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		u, err := c.townClaire(ctx, town)
		if err != nil {
			return "", nil, err
		}
		list, err := c.Store.Conversations(ctx, town.ID, u.ID)
		if err != nil {
			return "", nil, err
		}
		for _, cv := range list {
			if !cv.ByStaff {
				return ConversationsPath + "/" + cv.ID + suffix, []string{cv.Subject}, nil
			}
		}
		return "", nil, fmt.Errorf("the town's demo resident has no conversation")
	}
}

// townRecipient is the form path to write to the demo resident.
func (c *Capability) townRecipient(path string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		u, err := c.townClaire(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return path + "?a=" + u.ID, []string{u.Name}, nil
	}
}

// townPrivateIntact checks that the demo resident's conversations and
// their messages are as many as before, none of them pirate, and that she
// refuses nobody.
func (c *Capability) townPrivateIntact(ctx context.Context, town *tenant.Tenant) error {
	u, err := c.townClaire(ctx, town)
	if err != nil {
		return err
	}
	var pirate, refused int
	if err := c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM participation_private_messages WHERE body = ?`, "Texte pirate.").
		Scan(&pirate); err != nil {
		return err
	}
	if err := c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM participation_pm_blocks WHERE tenant_id = ? AND user_id = ?`,
		town.ID, u.ID).Scan(&refused); err != nil {
		return err
	}
	if pirate > 0 || refused > 0 {
		return fmt.Errorf("the village wrote %d private messages, and the town's resident refuses %d people", pirate, refused)
	}
	return nil
}
