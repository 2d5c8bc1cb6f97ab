package alertsweb

import (
	"context"
	"fmt"
	"guichet/internal/capability/alerts"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
	"net/url"
	"strings"
	"time"
)

// AccessRows implements kernel.Guarded: the alerts' page, feed and API,
// the subscription links mailed to people without an account, and the
// editors' page.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	editor := access.StaffOnly(account.RoleEditor)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	return []access.Row{
		access.For("site GET /alertes", public, nil),
		access.For("site GET /alertes/flux.atom", public, nil),
		access.For("site POST /alertes/abonnement", public, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		// The confirmation links' pages show what the button does; the button does it.
		access.For("site GET /alertes/confirmer/{token}", holders, taken("token", "subscription")).Renewed().Secret("token"),
		access.For("site POST /alertes/confirmer/{token}", holders, taken("token", "subscription")).Renewed().Secret("token"),
		// Unsubscribing answers the same to any link: it tells nobody who subscribed.
		access.For("site GET /alertes/desabonnement/{token}", holders, fixed(named("token", "unsubscribe"))),
		access.For("site POST /alertes/desabonnement/{token}", holders, taken("token", "unsubscribe")).Renewed(),
		access.For("site GET /api/v1/alerts", public, nil),
		access.For("site GET /gestion/alertes", editor, nil),
		access.For("site POST /gestion/alertes", editor, posting(nil, url.Values{"title": {""}})),
		access.For("site POST /gestion/alertes/quartiers", editor, func(f access.Fixtures) access.Call {
			return access.Call{Form: url.Values{"areas": {f.Get("areas")}}}
		}),
		access.For("site POST /gestion/alertes/{id}/retirer", editor, taken("id", "alert")).Renewed(),
	}
}

// matrixWho signs the fixtures' changes.
const matrixWho = "Matrice"

// AccessFixtures implements kernel.AccessFixtured: neighbourhoods, alerts
// to withdraw, and subscribers' links.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	if err := c.alertFixtures(ctx, town, f); err != nil {
		return err
	}
	return c.subscriberFixtures(ctx, town, f)
}

// alertFixtures names the town's areas and publishes alerts to withdraw.
func (c *Capability) alertFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	areas, err := s.Areas(ctx, town.ID)
	if err != nil {
		return fmt.Errorf("areas: %w", err)
	}
	f.Set("areas", strings.Join(areas, "\n"))
	return f.Fill("alert", f.Uses(), func() (string, error) {
		a := &alerts.Alert{TenantID: town.ID, Title: fmt.Sprintf("Alerte %d de la matrice", f.Next()),
			Severity: alerts.SeverityInfo, Topic: "autre", Expires: s.Now().UTC().Add(48 * time.Hour), Author: matrixWho}
		return a.ID, s.Publish(ctx, a, "")
	})
}

// subscriberFixtures subscribes addresses to the alerts. The confirmation
// links are mailed: the fixtures put their own token's hash where the
// mailed one's was.
func (c *Capability) subscriberFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	subscribe := func() (string, error) {
		email := fmt.Sprintf("abonne-%d@courriel.localhost", f.Next())
		return email, s.Subscribe(ctx, town.ID, email, []string{"eau"}, nil, "", "fr")
	}
	err := f.Fill("subscription", 2*f.Uses(), func() (string, error) {
		tok := fmt.Sprintf("jeton-de-confirmation-%d-de-la-matrice", f.Next())
		email, err := subscribe()
		if err != nil {
			return "", err
		}
		_, err = s.DB().Exec(ctx, `UPDATE content_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
			tokens.Hash(tok), town.ID, email)
		return tok, err
	})
	if err != nil {
		return fmt.Errorf("subscription: %w", err)
	}
	unsubscribeToken := func() (string, error) {
		email, err := subscribe()
		if err != nil {
			return "", err
		}
		var tok string
		err = s.DB().QueryRow(ctx, `SELECT unsubscribe_token FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
			town.ID, email).Scan(&tok)
		return tok, err
	}
	tok, err := unsubscribeToken()
	if err != nil {
		return fmt.Errorf("subscription: %w", err)
	}
	f.Set("unsubscribe", tok)
	return f.Fill("unsubscribe", f.Uses(), unsubscribeToken)
}
