package content

import (
	"context"
	"net/http"
	"time"

	"guichet/internal/content"
	"guichet/internal/tenant"
)

// Home is what the home page shows of local information.
type Home struct {
	Alerts []alertView
	News   []newsView
	Events []dateView
}

type homeData struct {
	news   []*content.News
	events []content.Dated
}

// Home returns the latest news, the next events and the active alerts,
// cached for a few seconds: three queries at most, whatever the size of
// the collectivité's archive.
func (m *Module) Home(r *http.Request) (*Home, error) {
	t := tenant.FromContext(r.Context())
	v, err := m.cache.get(t.ID+"/home", func() (any, error) {
		news, _, err := m.store.ListPublicNews(r.Context(), t.ID, content.NewsFilter{Limit: 3})
		if err != nil {
			return nil, err
		}
		events, _, err := m.store.ListEvents(r.Context(), t.ID, content.EventFilter{From: time.Now().UTC(), Limit: 4})
		return &homeData{news: news, events: events}, err
	})
	if err != nil {
		return nil, err
	}
	alerts, err := m.activeAlerts(r, t)
	if err != nil {
		return nil, err
	}
	d := v.(*homeData)
	h := &Home{Alerts: m.alertViews(r, alerts), News: m.newsViews(r, d.news)}
	for _, e := range d.events {
		h.Events = append(h.Events, m.dateView(r, e.Event, e.Occurrence))
	}
	return h, nil
}

// DisableCache makes every page read the database (tests counting queries).
func (m *Module) DisableCache() { m.cache.disable() }

// sitemap lists the public pages of local information (the latest 500
// news and the practical pages; lists link to the rest).
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	paths := []string{"/actualites", "/agenda", "/agenda/archives", "/vie-pratique", "/alertes", "/questions", "/questions/poser", "/recherche"}
	menu, err := m.store.Menu(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range menu {
		paths = append(paths, p.URL())
	}
	return paths, nil
}

// HomeDigest implements portal.Digest.
func (m *Module) HomeDigest(r *http.Request) (any, error) { return m.Home(r) }
