package queueweb

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public pages and boards, the
// tickets' and kiosks' addresses (their secret is the credential), the
// agents' console and the administrators' settings.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	agent, admin := access.StaffOnly(account.RoleAgent), access.StaffOnly(account.RoleAdmin)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	site := named("site", "queue-site")
	ticket, kiosk := named("handle", "queue-ticket"), named("kiosk", "queue-kiosk")
	counter := named("id", "queue-counter")
	with := func(params func(access.Fixtures) access.Params, form url.Values) access.Build {
		return func(f access.Fixtures) access.Call {
			values := url.Values{}
			for k, v := range form {
				if len(v) == 1 && v[0] == "*" { // the town's first service
					v = []string{f.Get("queue-service")}
				}
				values[k] = v
			}
			return access.Call{Params: params(f), Form: values}
		}
	}
	return []access.Row{
		access.For("site GET /file-attente", public, nil),
		access.For("site GET /file-attente/{site}", public, fixed(site)),
		access.For("site POST /file-attente/{site}/tickets", public, with(site, url.Values{"service": {"*"}})),
		access.For("site GET /file-attente/{site}/ecran", public, fixed(site)),
		access.For("site GET /file-attente/{site}/ecran/etat", public, fixed(site)),
		access.For("site GET /file-attente/{site}/direct", public, fixed(site)),
		access.For("site GET /ticket/{handle}", holders, fixed(ticket)).Secret("handle"),
		access.For("site GET /ticket/{handle}/etat", holders, fixed(ticket)).Secret("handle"),
		access.For("site GET /ticket/{handle}/direct", holders, fixed(ticket)).Secret("handle"),
		access.For("site POST /ticket/{handle}/annuler", holders, taken("handle", "queue-ticket")).Renewed().Secret("handle"),
		// A kiosk's address is set once on the device, never mailed: its
		// pages note when the kiosk was last seen.
		access.For("site GET /borne/{kiosk}", holders, fixed(kiosk)).Secret("kiosk").WritesOnGET(),
		access.For("site POST /borne/{kiosk}/tickets", holders, with(kiosk, url.Values{"service": {"*"}})).Secret("kiosk"),
		access.For("site GET /borne/{kiosk}/rendez-vous", holders, fixed(kiosk)).Secret("kiosk").WritesOnGET(),
		access.For("site POST /borne/{kiosk}/rendez-vous", holders, with(kiosk, url.Values{"reference": {"RDV-2026-INCONNU"}})).Secret("kiosk"),
		access.For("site GET /borne/{kiosk}/informations", holders, fixed(kiosk)).Secret("kiosk").WritesOnGET(),
		access.For("site GET /gestion/accueil", agent, nil),
		access.For("site GET /gestion/accueil/statistiques", agent, nil),
		access.For("site GET /gestion/accueil/guichets/{id}", agent, fixed(counter)),
		access.For("site POST /gestion/accueil/guichets/{id}/ouvrir", agent, with(counter, url.Values{"services": {"*"}})),
		access.For("site POST /gestion/accueil/guichets/{id}/appeler", agent, posting(counter, nil)),
		access.For("site POST /gestion/accueil/guichets/{id}/rappeler", agent, posting(counter, nil)),
		access.For("site POST /gestion/accueil/guichets/{id}/terminer", agent, posting(counter, url.Values{"outcome": {"traite"}})),
		access.For("site POST /gestion/accueil/guichets/{id}/absent", agent, posting(counter, nil)),
		access.For("site POST /gestion/accueil/guichets/{id}/transferer", agent, posting(counter, url.Values{"to": {""}})),
		access.For("site POST /gestion/accueil/guichets/{id}/pause", agent, posting(counter, nil)),
		access.For("site POST /gestion/accueil/guichets/{id}/fermer", agent, posting(counter, nil)),
		access.For("site GET /gestion/accueil/sites", admin, nil),
		access.For("site POST /gestion/accueil/sites", admin, posting(nil, url.Values{"name": {""}})),
		access.For("site GET /gestion/accueil/sites/{id}", admin, fixed(named("id", "queue-site-id"))),
		access.For("site POST /gestion/accueil/sites/{id}", admin, posting(named("id", "queue-site-id"), url.Values{"name": {""}})),
		access.For("site POST /gestion/accueil/sites/{id}/services", admin, posting(named("id", "queue-site-id"), url.Values{"letter": {""}})),
		access.For("site POST /gestion/accueil/sites/{id}/guichets", admin, posting(named("id", "queue-site-id"), url.Values{"counter": {""}})),
		access.For("site POST /gestion/accueil/sites/{id}/bornes", admin, posting(named("id", "queue-site-id"), url.Values{"kiosk": {""}})),
		access.For("site POST /gestion/accueil/bornes/{id}/renouveler", admin, taken("id", "queue-kiosk-id")).Renewed(),
		access.For("site POST /gestion/accueil/bornes/{id}/supprimer", admin, taken("id", "queue-kiosk-id")).Renewed(),
	}
}

// AccessFixtures implements kernel.AccessFixtured: the town's demo site,
// a counter of its own, its kiosk's address, tickets to cancel, and kiosks
// to renew or remove.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	site, err := s.Site(ctx, town.ID, demoSite)
	if err != nil {
		return fmt.Errorf("queue fixtures: %w", err)
	}
	f.Set("queue-site", site.Slug)
	f.Set("queue-site-id", site.ID)
	f.Set("queue-service", site.Services[0].ID)
	counter, err := s.AddCounter(ctx, site, "Guichet de la matrice")
	if err != nil {
		return err
	}
	f.Set("queue-counter", counter.ID)
	kiosks, err := s.Kiosks(ctx, town.ID)
	if err != nil || len(kiosks) == 0 {
		return fmt.Errorf("queue fixtures: no kiosk: %v", err)
	}
	f.Set("queue-kiosk", s.KioskHandle(kiosks[0]))
	take := func() (string, error) {
		t, err := s.Take(ctx, queue.TakeInput{Site: site, ServiceID: site.Services[0].ID, Source: queue.FromPhone, Loc: town.Location()})
		if err != nil {
			return "", err
		}
		return s.TicketHandle(t), nil
	}
	h, err := take()
	if err != nil {
		return err
	}
	f.Set("queue-ticket", h)
	if err := f.Fill("queue-ticket", f.Uses(), take); err != nil {
		return err
	}
	return f.Fill("queue-kiosk-id", 2*f.Uses(), func() (string, error) {
		k, err := s.AddKiosk(ctx, site, fmt.Sprintf("Borne de la matrice %d", f.Next()), time.Minute)
		if err != nil {
			return "", err
		}
		return k.ID, nil
	})
}
