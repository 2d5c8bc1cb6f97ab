package alertsweb

import (
	"context"
	"database/sql"
	"fmt"
	"guichet/internal/capability/alerts"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
	"net/http"
	"net/url"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: alerts, their feed, and the
// subscriptions' links.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("withdraw a town alert", admin, "POST", nil, c.townAlert, http.StatusNotFound, c.townAlertIntact),
		row("unsubscribe a town subscriber", anon, "POST", nil, c.townSubscriber, http.StatusOK, c.townSubscriberIntact),
		row("open a town subscription's confirmation", anon, "GET", nil, c.townUnconfirmedSubscription, http.StatusNotFound, c.townSubscriptionUnconfirmed),
		row("confirm a town subscription", anon, "POST", nil, c.townUnconfirmedSubscription, http.StatusNotFound, c.townSubscriptionUnconfirmed),
		row("the village's alerts feed", anon, "GET", nil, c.townAlertFeed, http.StatusOK, nil),
	}
}

func (c *Capability) townActiveAlert(ctx context.Context, town *tenant.Tenant) (*alerts.Alert, error) {
	list, err := c.Store.Active(ctx, town.ID)
	if err != nil || len(list) == 0 {
		return nil, fmt.Errorf("no town alert: %v", err)
	}
	return list[0], nil
}

func (c *Capability) townAlert(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	a, err := c.townActiveAlert(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/gestion/alertes/" + a.ID + "/retirer", nil, nil
}

func (c *Capability) townAlertIntact(ctx context.Context, town *tenant.Tenant) error {
	_, err := c.townActiveAlert(ctx, town)
	return err
}

func (c *Capability) townAlertFeed(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	a, err := c.townActiveAlert(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/alertes/flux.atom", []string{a.ID}, nil
}

const townSubscriberEmail = "abonnee@courriel.localhost"

func (c *Capability) townSubscriber(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	if err := c.Store.Subscribe(ctx, town.ID, townSubscriberEmail, []string{"eau"}, nil, "http://montclair.localhost", "fr"); err != nil {
		return "", nil, err
	}
	var token string
	if err := c.k.DB.QueryRow(ctx, `SELECT unsubscribe_token FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		town.ID, townSubscriberEmail).Scan(&token); err != nil {
		return "", nil, err
	}
	return "/alertes/desabonnement/" + token, []string{townSubscriberEmail}, nil
}

func (c *Capability) townSubscriberIntact(ctx context.Context, town *tenant.Tenant) error {
	var n int
	if err := c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		town.ID, townSubscriberEmail).Scan(&n); err != nil || n != 1 {
		return fmt.Errorf("the town's subscriber is gone: %d, %v", n, err)
	}
	return nil
}

const townUnconfirmedEmail = "abonnement-en-attente@courriel.localhost"

// townUnconfirmedSubscription subscribes an address to the town's alerts
// and returns a confirmation link whose token is known (its hash planted).
func (c *Capability) townUnconfirmedSubscription(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	if err := c.Store.Subscribe(ctx, town.ID, townUnconfirmedEmail, []string{"eau"}, nil, "http://montclair.localhost", "fr"); err != nil {
		return "", nil, err
	}
	token := "jeton-d-abonnement-de-montclair-0123456789"
	if _, err := c.k.DB.Exec(ctx, `UPDATE content_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
		tokens.Hash(token), town.ID, townUnconfirmedEmail); err != nil {
		return "", nil, err
	}
	return "/alertes/confirmer/" + token, []string{townUnconfirmedEmail}, nil
}

func (c *Capability) townSubscriptionUnconfirmed(ctx context.Context, town *tenant.Tenant) error {
	var confirmed sql.NullTime
	if err := c.k.DB.QueryRow(ctx, `SELECT confirmed_at FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		town.ID, townUnconfirmedEmail).Scan(&confirmed); err != nil || confirmed.Valid {
		return fmt.Errorf("the town's subscription was confirmed from the village: %v, %v", confirmed, err)
	}
	return nil
}
