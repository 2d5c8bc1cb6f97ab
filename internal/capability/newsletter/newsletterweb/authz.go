package newsletterweb

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"guichet/internal/capability/newsletter"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
	"guichet/internal/publishing"
)

// AccessRows implements kernel.Guarded: the newsletter's page and archive,
// the links mailed to subscribers, the counters, the sending service's
// reports, and the editors' pages.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	editor := access.StaffOnly(account.RoleEditor)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	draft := named("id", "nl-draft")
	return []access.Row{
		access.For("site GET /lettre", public, nil),
		access.For("site POST /lettre/abonnement", public, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		// The confirmation link's page shows what the button does; the button does it.
		access.For("site GET /lettre/confirmer/{token}", holders, taken("token", "nl-confirm")).Renewed().Secret("token"),
		access.For("site POST /lettre/confirmer/{token}", holders, taken("token", "nl-confirm")).Renewed().Secret("token"),
		// Unsubscribing answers the same to any link: it tells nobody who subscribed.
		access.For("site GET /lettre/desabonnement/{token}", holders, fixed(named("token", "nl-unsubscribe"))),
		access.For("site POST /lettre/desabonnement/{token}", holders, taken("token", "nl-unsubscribe")).Renewed(),
		access.For("site POST /lettre/desabonnement/{token}/listes", holders, taken("token", "nl-unsubscribe")).Renewed(),
		// The counters answer the same whatever the token; only a signed one counts.
		access.For("site GET /lettre/o/{token}", public, fixed(named("token", "nl-measure"))),
		access.For("site GET /lettre/c/{token}/{n}", public, fixed(func(f access.Fixtures) access.Params {
			return access.Params{"token": f.Get("nl-measure"), "n": "1"}
		})),
		access.For("site POST /lettre/retours/{secret}", holders, posting(named("secret", "nl-bounces"),
			url.Values{"email": {"inconnu@courriel.localhost"}, "type": {"hard"}})).Secret("secret"),
		access.For("site GET /lettre/images/{id}", public, fixed(named("id", "nl-image"))),
		access.For("site GET /lettre/numeros/{slug}", public, fixed(named("slug", "nl-archived"))),
		access.For("site GET /lettre/numeros/{slug}/courriel", public, fixed(named("slug", "nl-archived"))),

		access.For("site GET /gestion/lettre", editor, nil),
		access.For("site POST /gestion/lettre/campagnes", editor, posting(nil, url.Values{"subject": {""}})),
		access.For("site GET /gestion/lettre/campagnes/{id}", editor, fixed(draft)),
		access.For("site POST /gestion/lettre/campagnes/{id}", editor, posting(draft, url.Values{"subject": {""}})),
		access.For("site GET /gestion/lettre/campagnes/{id}/apercu", editor, fixed(draft)),
		access.For("site GET /gestion/lettre/campagnes/{id}/apercu/courriel", editor, fixed(draft)),
		access.For("site POST /gestion/lettre/campagnes/{id}/essai", editor, posting(draft, url.Values{"to": {"pas-une-adresse"}})),
		access.For("site POST /gestion/lettre/campagnes/{id}/envoyer", editor, posting(draft, url.Values{"send_date": {"pas-une-date"}})),
		access.For("site POST /gestion/lettre/campagnes/{id}/deprogrammer", editor, taken("id", "nl-scheduled")).Renewed(),
		access.For("site POST /gestion/lettre/campagnes/{id}/pause", editor, taken("id", "nl-sending")).Renewed(),
		access.For("site POST /gestion/lettre/campagnes/{id}/reprendre", editor, taken("id", "nl-paused")).Renewed(),
		access.For("site POST /gestion/lettre/campagnes/{id}/annuler", editor, taken("id", "nl-cancel")).Renewed(),
		access.For("site POST /gestion/lettre/campagnes/{id}/supprimer", editor, taken("id", "nl-delete")).Renewed(),
		access.For("site POST /gestion/lettre/campagnes/{id}/images", editor, posting(draft, url.Values{"image_alt": {""}})),
		access.For("site GET /gestion/lettre/campagnes/{id}/etat", editor, fixed(draft)),
		access.For("site GET /gestion/lettre/campagnes/{id}/direct", editor, fixed(draft)),
		access.For("site GET /gestion/lettre/abonnes", editor, nil),
		access.For("site GET /gestion/lettre/abonnes/export.csv", editor, nil),
		access.For("site GET /gestion/lettre/abonnes/{id}", editor, fixed(named("id", "nl-subscriber"))),
		access.For("site POST /gestion/lettre/abonnes/{id}", editor, posting(named("id", "nl-subscriber"), url.Values{"lists": {"liste-inconnue"}})),
		access.For("site POST /gestion/lettre/abonnes/{id}/supprimer", editor, taken("id", "nl-subscriber-pool")).Renewed(),
		access.For("site GET /gestion/lettre/listes", editor, nil),
		access.For("site POST /gestion/lettre/listes", editor, posting(nil, url.Values{"name": {""}})),
		access.For("site POST /gestion/lettre/listes/{id}", editor, posting(named("id", "nl-list"), url.Values{"name": {""}})),
		access.For("site POST /gestion/lettre/listes/{id}/supprimer", editor, taken("id", "nl-list-pool")).Renewed(),
		access.For("site GET /gestion/lettre/import", editor, nil),
		access.For("site POST /gestion/lettre/import", editor, posting(nil, url.Values{"consent": {"declared"}})),
		access.For("site GET /gestion/lettre/import/{id}", editor, fixed(named("id", "nl-import"))),
	}
}

// AccessFixtures implements kernel.AccessFixtured: campaigns in each
// state, subscribers and their links, lists, an image, an import.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	base, _, err := c.k.Links(ctx, town.ID)
	if err != nil {
		return err
	}
	list := &newsletter.List{TenantID: town.ID, Name: "Liste de la matrice", Kind: newsletter.KindTopic, Public: true}
	if err := s.SaveList(ctx, list); err != nil {
		return err
	}
	f.Set("nl-list", list.ID)
	if err := f.Fill("nl-list-pool", f.Uses(), func() (string, error) {
		l := &newsletter.List{TenantID: town.ID, Name: fmt.Sprintf("Liste %d", f.Next()), Kind: newsletter.KindTopic}
		return l.ID, s.SaveList(ctx, l)
	}); err != nil {
		return err
	}
	campaign := func(status string) func() (string, error) {
		return func() (string, error) {
			camp := &newsletter.Campaign{TenantID: town.ID, French: newsletter.Version{Subject: fmt.Sprintf("Lettre %d de la matrice", f.Next()),
				Blocks: []newsletter.Block{{Type: newsletter.BlockText, Text: "Bonjour."}}}}
			if err := s.SaveCampaign(ctx, camp); err != nil {
				return "", err
			}
			if status != newsletter.CampaignDraft {
				if _, err := s.DB().Exec(ctx, `UPDATE newsletter_campaigns SET status = ?, scheduled_at = ? WHERE id = ?`,
					status, s.Stamp().AddDate(0, 1, 0), camp.ID); err != nil {
					return "", err
				}
			}
			return camp.ID, nil
		}
	}
	id, err := campaign(newsletter.CampaignDraft)()
	if err != nil {
		return err
	}
	f.Set("nl-draft", id)
	for pool, status := range map[string]string{"nl-scheduled": newsletter.CampaignScheduled, "nl-sending": newsletter.CampaignSending,
		"nl-paused": newsletter.CampaignPaused, "nl-cancel": newsletter.CampaignDraft, "nl-delete": newsletter.CampaignDraft} {
		if err := f.Fill(pool, f.Uses(), campaign(status)); err != nil {
			return fmt.Errorf("%s: %w", pool, err)
		}
	}
	archive, _, err := s.Archive(ctx, town.ID, publishing.Cursor{}, 1)
	if err != nil || len(archive) == 0 {
		return fmt.Errorf("no archived newsletter in the demo: %v", err)
	}
	f.Set("nl-archived", archive[0].Slug)
	if _, err := s.DB().Exec(ctx, `INSERT INTO newsletter_links (campaign_id, n, url) VALUES (?, 1, ?) ON CONFLICT (campaign_id, n) DO NOTHING`,
		archive[0].ID, base+"/lettre"); err != nil {
		return err
	}
	subscribe := func() (*newsletter.Subscriber, error) {
		email := fmt.Sprintf("lecteur-%d@courriel.localhost", f.Next())
		if err := s.Subscribe(ctx, town.ID, newsletter.Subscription{Email: email, Lists: []string{list.ID}}, base); err != nil {
			return nil, err
		}
		page, _, err := s.Subscribers(ctx, town.ID, newsletter.Filter{Query: email})
		if err != nil || len(page) != 1 {
			return nil, fmt.Errorf("subscriber %s: %v", email, err)
		}
		return page[0], nil
	}
	if err := f.Fill("nl-confirm", 2*f.Uses(), func() (string, error) {
		sub, err := subscribe()
		if err != nil {
			return "", err
		}
		tok := fmt.Sprintf("jeton-de-lettre-%d-de-la-matrice", f.Next())
		_, err = s.DB().Exec(ctx, `UPDATE newsletter_subscribers SET confirm_hash = ? WHERE id = ?`, tokens.Hash(tok), sub.ID)
		return tok, err
	}); err != nil {
		return err
	}
	unsubscribeToken := func() (string, error) {
		sub, err := subscribe()
		if err != nil {
			return "", err
		}
		return sub.UnsubscribeToken, nil
	}
	tok, err := unsubscribeToken()
	if err != nil {
		return err
	}
	f.Set("nl-unsubscribe", tok)
	if err := f.Fill("nl-unsubscribe", 2*f.Uses(), unsubscribeToken); err != nil {
		return err
	}
	sub, err := subscribe()
	if err != nil {
		return err
	}
	f.Set("nl-subscriber", sub.ID)
	if err := f.Fill("nl-subscriber-pool", f.Uses(), func() (string, error) {
		sub, err := subscribe()
		if err != nil {
			return "", err
		}
		return sub.ID, nil
	}); err != nil {
		return err
	}
	f.Set("nl-measure", s.MeasureTokenFor(archive[0].ID, sub.ID))
	f.Set("nl-bounces", bounceSecret(c.Module.bounceKey, town.ID))
	img, err := s.SaveImage(ctx, town.ID, matrixPNG, nil)
	if err != nil {
		return err
	}
	f.Set("nl-image", strings.TrimPrefix(img, "/lettre/images/"))
	imp, err := s.StartImport(ctx, newsletter.ImportRequest{TenantID: town.ID, Name: "matrice.csv", Body: strings.NewReader("email\nmatrice@courriel.localhost\n"),
		ConsentSource: "fichier de la matrice", BaseURL: base})
	if err != nil {
		return err
	}
	f.Set("nl-import", imp.ID)
	return nil
}

// matrixPNG is a picture of four pixels by four, for the fixtures.
var matrixPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGOQ8u+GIwbiOACFsw9BYDxZIQAAAABJRU5ErkJggg==")
