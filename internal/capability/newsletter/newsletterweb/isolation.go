package newsletterweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
	"guichet/internal/publishing"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the town's campaigns,
// subscribers, lists, links, archive, pictures, counters and bounce
// address, tried from the village.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("open a town newsletter", admin, "GET", nil, c.townCampaign(""), http.StatusNotFound, nil),
		row("preview a town newsletter", admin, "GET", nil, c.townCampaign("/apercu/courriel"), http.StatusNotFound, nil),
		row("edit a town newsletter", admin, "POST", url.Values{"subject": {"Piratée"}}, c.townCampaign(""), http.StatusNotFound, c.townDraftIntact),
		row("send a town newsletter", admin, "POST", nil, c.townCampaign("/envoyer"), http.StatusNotFound, c.townDraftIntact),
		row("delete a town newsletter", admin, "POST", nil, c.townCampaign("/supprimer"), http.StatusNotFound, c.townDraftIntact),
		row("read a town subscriber", admin, "GET", nil, c.townSubscriber(""), http.StatusNotFound, nil),
		row("delete a town subscriber", admin, "POST", nil, c.townSubscriber("/supprimer"), http.StatusNotFound, c.townSubscriberIntact),
		row("delete a town list", admin, "POST", nil, c.townList, http.StatusNotFound, c.townListIntact),
		row("the village's subscriber export", admin, "GET", nil, c.villageExport, http.StatusOK, nil),
		row("unsubscribe a town subscriber", anon, "POST", nil, c.townUnsubscribe, http.StatusOK, c.townSubscriberIntact),
		row("confirm a town subscription", anon, "POST", nil, c.townConfirm, http.StatusNotFound, c.townSubscriptionPending),
		row("read a town newsletter of the archive", anon, "GET", nil, c.townArchived, http.StatusNotFound, nil),
		row("follow a town newsletter's link", anon, "GET", nil, c.townClick, http.StatusNotFound, nil),
		row("report a town address with the town's bounce address", anon, "POST", url.Values{"email": {townReader}, "type": {"hard"}},
			c.townBounce, http.StatusNotFound, c.townSubscriberIntact),
	}
}

// The town's reader the rows act upon.
const (
	townReader  = "lecteur-isolation@courriel.localhost"
	townPending = "lecteur-en-attente@courriel.localhost"
	townToken   = "jeton-de-lettre-de-montclair-0123456789"
)

func (c *Capability) townDraft(ctx context.Context, town *tenant.Tenant) (*newsletter.Campaign, error) {
	list, err := c.Store.Campaigns(ctx, town.ID, newsletter.CampaignFilter{Status: newsletter.CampaignDraft})
	if err != nil || len(list) == 0 {
		return nil, fmt.Errorf("no town draft: %v", err)
	}
	return list[len(list)-1], nil
}

func (c *Capability) townCampaign(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		d, err := c.townDraft(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return "/gestion/lettre/campagnes/" + d.ID + suffix, []string{d.French.Subject}, nil
	}
}

func (c *Capability) townDraftIntact(ctx context.Context, town *tenant.Tenant) error {
	d, err := c.townDraft(ctx, town)
	if err != nil {
		return err
	}
	if d.French.Subject == "Piratée" {
		return errors.New("the town's draft was changed from the village")
	}
	return nil
}

// reader subscribes the town's reader (confirmed) and returns it.
func (c *Capability) reader(ctx context.Context, town *tenant.Tenant) (*newsletter.Subscriber, error) {
	page, _, err := c.Store.Subscribers(ctx, town.ID, newsletter.Filter{Query: townReader})
	if err != nil {
		return nil, err
	}
	if len(page) == 1 {
		return page[0], nil
	}
	lists, err := c.Store.Lists(ctx, town.ID, true)
	if err != nil || len(lists) == 0 {
		return nil, fmt.Errorf("no public town list: %v", err)
	}
	if err := c.Store.Subscribe(ctx, town.ID, newsletter.Subscription{Email: townReader, Lists: []string{lists[0].ID}}, "http://montclair.localhost"); err != nil {
		return nil, err
	}
	if _, err := c.k.DB.Exec(ctx, `UPDATE newsletter_subscribers SET status = ? WHERE tenant_id = ? AND email = ?`,
		newsletter.SubscriberActive, town.ID, townReader); err != nil {
		return nil, err
	}
	page, _, err = c.Store.Subscribers(ctx, town.ID, newsletter.Filter{Query: townReader})
	if err != nil || len(page) != 1 {
		return nil, fmt.Errorf("town reader: %v", err)
	}
	return page[0], nil
}

func (c *Capability) townSubscriber(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		sub, err := c.reader(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return "/gestion/lettre/abonnes/" + sub.ID + suffix, []string{townReader}, nil
	}
}

func (c *Capability) townSubscriberIntact(ctx context.Context, town *tenant.Tenant) error {
	sub, err := c.reader(ctx, town)
	if err != nil {
		return err
	}
	if sub.Status != newsletter.SubscriberActive {
		return fmt.Errorf("the town's reader is %s", sub.Status)
	}
	return nil
}

func (c *Capability) townUnsubscribe(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	sub, err := c.reader(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/lettre/desabonnement/" + sub.UnsubscribeToken, []string{townReader}, nil
}

func (c *Capability) townConfirm(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	lists, err := c.Store.Lists(ctx, town.ID, true)
	if err != nil || len(lists) == 0 {
		return "", nil, fmt.Errorf("no public town list: %v", err)
	}
	if err := c.Store.Subscribe(ctx, town.ID, newsletter.Subscription{Email: townPending, Lists: []string{lists[0].ID}}, "http://montclair.localhost"); err != nil {
		return "", nil, err
	}
	if _, err := c.k.DB.Exec(ctx, `UPDATE newsletter_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
		tokens.Hash(townToken), town.ID, townPending); err != nil {
		return "", nil, err
	}
	return "/lettre/confirmer/" + townToken, []string{townPending}, nil
}

func (c *Capability) townSubscriptionPending(ctx context.Context, town *tenant.Tenant) error {
	page, _, err := c.Store.Subscribers(ctx, town.ID, newsletter.Filter{Query: townPending})
	if err != nil || len(page) != 1 || page[0].Status != newsletter.SubscriberPending {
		return fmt.Errorf("the town's subscription was confirmed from the village: %v", err)
	}
	return nil
}

func (c *Capability) townListOf(ctx context.Context, town *tenant.Tenant) (*newsletter.List, error) {
	lists, err := c.Store.Lists(ctx, town.ID, false)
	if err != nil || len(lists) == 0 {
		return nil, fmt.Errorf("no town list: %v", err)
	}
	return lists[0], nil
}

func (c *Capability) townList(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	l, err := c.townListOf(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/gestion/lettre/listes/" + l.ID + "/supprimer", nil, nil
}

func (c *Capability) townListIntact(ctx context.Context, town *tenant.Tenant) error {
	_, err := c.townListOf(ctx, town)
	return err
}

func (c *Capability) townArchivedCampaign(ctx context.Context, town *tenant.Tenant) (*newsletter.Campaign, error) {
	list, _, err := c.Store.Archive(ctx, town.ID, publishing.Cursor{}, 1)
	if err != nil || len(list) == 0 {
		return nil, fmt.Errorf("no town archive: %v", err)
	}
	return list[0], nil
}

func (c *Capability) townArchived(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	a, err := c.townArchivedCampaign(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/lettre/numeros/" + a.Slug, []string{a.French.Subject}, nil
}

func (c *Capability) townClick(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	a, err := c.townArchivedCampaign(ctx, town)
	if err != nil {
		return "", nil, err
	}
	sub, err := c.reader(ctx, town)
	if err != nil {
		return "", nil, err
	}
	if _, err := c.k.DB.Exec(ctx, `INSERT INTO newsletter_links (campaign_id, n, url) VALUES (?, 1, ?) ON CONFLICT (campaign_id, n) DO NOTHING`,
		a.ID, "https://montclair.example/secret"); err != nil {
		return "", nil, err
	}
	return "/lettre/c/" + c.Store.MeasureTokenFor(a.ID, sub.ID) + "/1", []string{"montclair.example"}, nil
}

func (c *Capability) townBounce(_ context.Context, town *tenant.Tenant) (string, []string, error) {
	return "/lettre/retours/" + bounceSecret(c.Module.bounceKey, town.ID), nil, nil
}

// villageExport is the village's own export, which must not hold the
// town's reader.
func (c *Capability) villageExport(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	if _, err := c.reader(ctx, town); err != nil {
		return "", nil, err
	}
	return "/gestion/lettre/abonnes/export.csv", []string{townReader}, nil
}
