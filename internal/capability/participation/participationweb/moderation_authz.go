package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// moderationRows are the access rows of the moderation routes: the
// charter for anyone, reports for the signed-in, an appeal for its
// author, the queue, blocks and spaces for the moderators. Forms that
// would write are sent incomplete (refused on a field, nothing written),
// but the queue's decisions, which take a record each.
func (c *Capability) moderationRows() []access.Row {
	public, signedIn, owner, mod := access.Public(), access.SignedInOnly(), access.OwnerOnly(), access.StaffOnly(account.RoleModerator)
	visible := access.Named("id", "participation-moderation-visible")
	hidden := access.Named("id", "participation-moderation-hidden")
	space := access.Named("id", "participation-moderation-space")
	return []access.Row{
		access.For("site GET "+CharterPath, public, nil),
		access.For("site GET "+MessagesPath+"/{id}/signaler", signedIn, access.Fixed(visible)),
		access.For("site POST "+MessagesPath+"/{id}/signaler", signedIn, access.Posting(visible, url.Values{"reason": {""}})),
		access.For("site GET "+MessagesPath+"/{id}/appel", owner, access.Fixed(hidden)),
		access.For("site POST "+MessagesPath+"/{id}/appel", owner, access.Posting(hidden, url.Values{"text": {""}})),
		access.For("site GET "+QueuePath, mod, nil),
		access.For("site POST "+QueuePath+"/messages/{id}", mod, func(f access.Fixtures) access.Call {
			return access.Call{Params: access.Params{"id": f.Take("participation-moderation-held")},
				Form: url.Values{"action": {"approuver"}}}
		}).Renewed(),
		access.For("site POST "+QueuePath+"/appels/{id}", mod, func(f access.Fixtures) access.Call {
			return access.Call{Params: access.Params{"id": f.Take("participation-moderation-appeals")},
				Form: url.Values{"decision": {participation.Upheld}, "answer": {"Le masquage est maintenu."}}}
		}).Renewed(),
		access.For("site GET "+BlocksPath, mod, nil),
		access.For("site POST "+BlocksPath, mod, access.Posting(nil, url.Values{"action": {"bloquer"}, "email": {""}})),
		access.For("site GET "+SpacesAdminPath, mod, nil),
		access.For("site GET "+spaceNewURL, mod, nil),
		access.For("site POST "+spaceNewURL, mod, access.Posting(nil, url.Values{"name": {""}})),
		access.For("site GET "+SpacesAdminPath+"/{id}", mod, access.Fixed(space)),
		access.For("site POST "+SpacesAdminPath+"/{id}", mod, access.Posting(space, url.Values{"name": {""}})),
	}
}

// moderationFixtures makes the records the moderation rows read: two
// spaces of the town (one premoderated), a visible message of an author
// no visitor is, the demo resident's hidden message, and held messages
// and appeals for the decisions.
func (c *Capability) moderationFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	open := &participation.Space{TenantID: town.ID, Slug: "matrice-moderation", Name: "Espace de la matrice",
		Rules: participation.Rules{LinksAllowed: true}, Position: 900}
	reviewed := &participation.Space{TenantID: town.ID, Slug: "matrice-moderation-relue", Name: "Espace relu de la matrice",
		Rules: participation.Rules{PremoderateNew: true, LinksAllowed: true}, Position: 901}
	for _, sp := range []*participation.Space{open, reviewed} {
		if err := c.Store.CreateSpace(ctx, sp); err != nil {
			return fmt.Errorf("moderation fixtures: space: %w", err)
		}
	}
	f.Set("participation-moderation-space", open.ID)
	u, err := c.k.Accounts.CreateVerified(ctx, town.ID, "auteur.moderation.matrice@courriel.localhost", "Auteur de la matrice")
	if err != nil {
		return fmt.Errorf("moderation fixtures: author: %w", err)
	}
	// A new account: published in the open space, held in the other.
	author := participation.Author{ID: u.ID, Name: u.Name, Since: u.CreatedAt}
	th := &participation.Thread{Kind: participation.Discussion, Title: "Discussion de la matrice"}
	first, err := c.Store.StartThread(ctx, open, th, author, "Un message de la matrice à signaler.")
	if err != nil {
		return fmt.Errorf("moderation fixtures: thread: %w", err)
	}
	if first.State != participation.Visible {
		return fmt.Errorf("moderation fixtures: the message to report is %s", first.State)
	}
	f.Set("participation-moderation-visible", first.ID)

	owner, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return err
	}
	mine, err := c.Store.Reply(ctx, open, th, participation.Author{ID: owner.ID, Name: owner.Name, Since: owner.CreatedAt}, "",
		"La réponse de la matrice, à masquer.")
	if err != nil {
		return fmt.Errorf("moderation fixtures: the owner's reply: %w", err)
	}
	if _, err := c.Store.Hide(ctx, town.ID, mine.ID, "Masqué pour la matrice.", ""); err != nil {
		return err
	}
	f.Set("participation-moderation-hidden", mine.ID)

	rth := &participation.Thread{Kind: participation.Discussion, Title: "Discussion relue de la matrice"}
	if _, err := c.Store.StartThread(ctx, reviewed, rth, participation.Author{ID: owner.ID, Name: owner.Name, Since: owner.CreatedAt},
		"Une discussion relue de la matrice."); err != nil {
		return fmt.Errorf("moderation fixtures: reviewed thread: %w", err)
	}
	held := func() (*participation.Message, error) {
		m, err := c.Store.Reply(ctx, reviewed, rth, author, "", "Message retenu de la matrice numéro "+strconv.Itoa(f.Next()))
		if err == nil && m.State != participation.Pending {
			err = fmt.Errorf("moderation fixtures: a held message is %s", m.State)
		}
		return m, err
	}
	if err := f.Fill("participation-moderation-held", f.Uses(), func() (string, error) {
		m, err := held()
		if err != nil {
			return "", err
		}
		return m.ID, nil
	}); err != nil {
		return err
	}
	return f.Fill("participation-moderation-appeals", f.Uses(), func() (string, error) {
		m, err := held()
		if err != nil {
			return "", err
		}
		if _, err := c.Store.Hide(ctx, town.ID, m.ID, "Masqué pour la matrice.", ""); err != nil {
			return "", err
		}
		a, err := c.Store.Appeal(ctx, town.ID, m.ID, author.ID, "Appel de la matrice.")
		if err != nil {
			return "", err
		}
		return a.ID, nil
	})
}

// moderationIsolation are the isolation rows of the moderation routes:
// from the village, its moderators (its administrator) neither see nor
// act on the town's queue, messages, appeals, blocks and spaces.
func (c *Capability) moderationIsolation() []kernel.IsolationRow {
	admin := kernel.AsVillageAdmin
	row := func(name, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: admin, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	message := func(body, suffix string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			id, err := c.modDemoMessage(ctx, town, body)
			return MessagesPath + "/" + id + suffix, nil, err
		}
	}
	queued := func(body string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			id, err := c.modDemoMessage(ctx, town, body)
			return QueuePath + "/messages/" + id, nil, err
		}
	}
	appeal := func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		id, err := c.modDemoMessage(ctx, town, modDemoHidden)
		if err != nil {
			return "", nil, err
		}
		a, err := c.Store.AppealOf(ctx, town.ID, id)
		if err != nil {
			return "", nil, err
		}
		return QueuePath + "/appels/" + a.ID, nil, nil
	}
	townSpace := func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		sp, err := c.Store.SpaceBySlug(ctx, town.ID, "se-deplacer")
		if err != nil {
			return "", nil, err
		}
		return SpacesAdminPath + "/" + sp.ID, []string{"Se déplacer à Montclair"}, nil
	}
	return []kernel.IsolationRow{
		row("the village's moderation queue shows none of the town's messages", "GET", nil,
			kernel.Path(QueuePath, "Trottinettes", "trottiloc-promo", "Encore une fête pour rien", "haie déborder"), http.StatusOK, nil),
		row("report a town message", "POST", url.Values{"reason": {participation.ReasonSpam}}, message(modDemoReported, "/signaler"),
			http.StatusNotFound, c.modTownIntact),
		row("the page of a town resident's hidden message", "GET", nil, message(modDemoHidden, "/appel"), http.StatusNotFound, nil),
		row("appeal for a town resident's hidden message", "POST", url.Values{"text": {"Appel pirate."}}, message(modDemoHidden, "/appel"),
			http.StatusNotFound, c.modTownIntact),
		row("publish a town's held message", "POST", url.Values{"action": {"approuver"}}, queued(modDemoHeldArgument),
			http.StatusNotFound, c.modTownIntact),
		row("hide a town's reported message", "POST", url.Values{"action": {"masquer"}, "reason": {"Masqué par le village."}},
			queued(modDemoReported), http.StatusNotFound, c.modTownIntact),
		row("restore a town's hidden message", "POST", url.Values{"action": {"retablir"}}, queued(modDemoHidden),
			http.StatusNotFound, c.modTownIntact),
		row("decide a town's appeal", "POST", url.Values{"decision": {participation.Restored}, "answer": {"Rétabli par le village."}},
			appeal, http.StatusNotFound, c.modTownIntact),
		row("the village's blocked residents show none of the town's", "GET", nil,
			kernel.Path(BlocksPath, "Marc Dupuis", modDemoBlockedEmail), http.StatusOK, nil),
		row("block a town resident from the village", "POST", url.Values{"action": {"bloquer"}, "email": {"habitant@courriel.localhost"},
			"reason": {"Blocage pirate."}, "days": {"30"}}, kernel.Path(BlocksPath), http.StatusUnprocessableEntity, c.modTownIntact),
		row("the village's spaces show none of the town's", "GET", nil,
			kernel.Path(SpacesAdminPath, "Se déplacer à Montclair", "Débats de la commune"), http.StatusOK, nil),
		row("a town space's settings", "GET", nil, townSpace, http.StatusNotFound, nil),
		row("change a town space's rules", "POST", url.Values{"name": {"Piraté"}, "links": {"1"}}, townSpace,
			http.StatusNotFound, c.modTownIntact),
	}
}

// modDemoMessage finds a message of the town's demo by its text.
func (c *Capability) modDemoMessage(ctx context.Context, town *tenant.Tenant, body string) (string, error) {
	var id string
	err := c.Store.DB().QueryRow(ctx, `SELECT id FROM participation_messages WHERE tenant_id = ? AND body = ?`, town.ID, body).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("the town's demo message %q: %w", body[:20], err)
	}
	return id, nil
}

// modTownIntact checks the town's moderation: the held message still
// held, the reported one visible with its two open reports, the demo
// resident's message hidden with its appeal open, the blocked resident
// blocked, no other resident blocked by the village, the space
// unchanged.
func (c *Capability) modTownIntact(ctx context.Context, town *tenant.Tenant) error {
	state := func(body, want string) error {
		id, err := c.modDemoMessage(ctx, town, body)
		if err != nil {
			return err
		}
		m, err := c.Store.Message(ctx, town.ID, id)
		if err != nil {
			return err
		}
		if m.State != want {
			return fmt.Errorf("the town's message %q is %s, not %s", body[:20], m.State, want)
		}
		return nil
	}
	for body, want := range map[string]string{modDemoHeldArgument: participation.Pending, modDemoReported: participation.Visible,
		modDemoHidden: participation.Hidden} {
		if err := state(body, want); err != nil {
			return err
		}
	}
	q, err := c.Store.Queue(ctx, town.ID)
	if err != nil {
		return err
	}
	reports := 0
	for _, it := range q.Reported {
		if it.Message.Body == modDemoReported {
			reports = len(it.Reports)
		}
	}
	if reports != 2 {
		return fmt.Errorf("the town's reported message has %d open reports", reports)
	}
	id, err := c.modDemoMessage(ctx, town, modDemoHidden)
	if err != nil {
		return err
	}
	if a, err := c.Store.AppealOf(ctx, town.ID, id); err != nil || !a.Open() || strings.Contains(a.Text, "pirate") {
		return fmt.Errorf("the town's appeal changed: %v", err)
	}
	blocks, err := c.Store.Blocks(ctx, town.ID)
	if err != nil {
		return err
	}
	marc := false
	for _, b := range blocks {
		if b.Email == "habitant@courriel.localhost" {
			return fmt.Errorf("the village blocked a town resident")
		}
		marc = marc || b.Email == modDemoBlockedEmail
	}
	if !marc {
		return fmt.Errorf("the town's blocked resident was unblocked")
	}
	sp, err := c.Store.SpaceBySlug(ctx, town.ID, "se-deplacer")
	if err != nil {
		return err
	}
	if sp.Name != "Se déplacer à Montclair" {
		return fmt.Errorf("the town's space was renamed %q", sp.Name)
	}
	return nil
}
