package newsweb

import (
	"html/template"
	"net/http"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/publishingweb"
)

func (m *Module) newsJSONLD(r *http.Request, n *news.News) template.JS {
	t := tenant.FromContext(r.Context())
	base := m.baseURL(r)
	v := map[string]any{"@context": "https://schema.org", "@type": "NewsArticle", "headline": n.Title,
		"url": base + n.URL(), "dateModified": n.UpdatedAt.UTC().Format(time.RFC3339), "inLanguage": "fr",
		"publisher": map[string]any{"@type": "GovernmentOrganization", "name": t.Name},
		"author":    map[string]any{"@type": "GovernmentOrganization", "name": t.Name}}
	if n.PublishAt != nil {
		v["datePublished"] = n.PublishAt.UTC().Format(time.RFC3339)
	}
	if n.Summary != "" {
		v["description"] = n.Summary
	}
	if n.ImageID != "" {
		v["image"] = base + "/medias/" + n.ImageID
	}
	return publishingweb.JSONLD(v)
}
