package newsweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/news"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: news and images.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("read a town news item", anon, "GET", nil, c.townNews(func(n *news.News) string { return n.URL() }), http.StatusNotFound, nil),
		row("read a town news item by API", anon, "GET", nil, c.townNews(func(n *news.News) string { return "/api/v1/news/" + n.ID }), http.StatusNotFound, nil),
		row("edit a town news item", admin, "GET", nil, c.townNews(func(n *news.News) string { return "/gestion/actualites/" + n.ID }), http.StatusNotFound, nil),
		row("change a town news item", admin, "POST", url.Values{"title": {"Piraté"}, "category": {"travaux"}, "body": {"x"}, "action": {"save"}},
			c.townNews(func(n *news.News) string { return "/gestion/actualites/" + n.ID }), http.StatusNotFound, c.townNewsIntact),
		row("unpublish a town news item", admin, "POST", url.Values{"status": {"unpublished"}},
			c.townNews(func(n *news.News) string { return "/gestion/actualites/" + n.ID + "/statut" }), http.StatusNotFound, c.townNewsIntact),
		row("read a town news item's history", admin, "GET", nil, c.townNews(func(n *news.News) string { return "/gestion/actualites/" + n.ID + "/historique" }), http.StatusNotFound, nil),
		row("read a town news revision", admin, "GET", nil, c.townNewsRevision(""), http.StatusNotFound, nil),
		row("restore a town news revision", admin, "POST", nil, c.townNewsRevision("/restaurer"), http.StatusNotFound, publishingweb.NotRestored(c.Store.Desk, c.newsID)),
		row("see a town image", anon, "GET", nil, c.townImage, http.StatusNotFound, nil),
	}
}

// townOnly marks records that exist in the town alone (the demo gives
// both collectivités the same pages and slugs).
const townOnly = "réservé à Montclair"

func (c *Capability) townNews(p func(*news.News) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		n, err := c.firstTownNews(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return p(n), []string{townOnly}, nil
	}
}

func (c *Capability) firstTownNews(ctx context.Context, town *tenant.Tenant) (*news.News, error) {
	list, _, err := c.Store.List(ctx, town.ID, publishing.ListFilter{Query: townOnly})
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return list[0], nil
	}
	n := &news.News{TenantID: town.ID, Category: "culture", Title: "Article " + townOnly, Body: "Texte " + townOnly,
		Status: publishing.StatusPublished}
	return n, c.Store.Save(ctx, n, "test", "published")
}

func (c *Capability) townNewsIntact(ctx context.Context, town *tenant.Tenant) error {
	n, err := c.firstTownNews(ctx, town)
	if err != nil {
		return err
	}
	if n.Title == "Piraté" || n.Status != publishing.StatusPublished {
		return fmt.Errorf("the town's news item changed: %q %s", n.Title, n.Status)
	}
	return nil
}

func (c *Capability) newsID(ctx context.Context, town *tenant.Tenant) (string, error) {
	n, err := c.firstTownNews(ctx, town)
	if err != nil {
		return "", err
	}
	return n.ID, nil
}

func (c *Capability) townNewsRevision(suffix string) kernel.IsolationTarget {
	return publishingweb.RevisionTarget(c.Store.Desk, "/gestion/actualites/", c.newsID, suffix)
}

// pngPixel is the smallest valid PNG image.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func (c *Capability) townImage(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	id, err := c.Store.SaveImage(ctx, town.ID, pngPixel)
	if err != nil {
		return "", nil, err
	}
	return "/medias/" + id, nil, nil
}
