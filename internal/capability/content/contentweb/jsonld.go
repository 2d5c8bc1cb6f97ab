package contentweb

import (
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
)

// jsonLD encodes schema.org data for a <script type="application/ld+json">
// element: json.Marshal escapes <, > and &, so no content can close it.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return template.JS(b) //nolint:gosec // escaped by json.Marshal
}

func (m *Module) newsJSONLD(r *http.Request, n *content.News) template.JS {
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
	return jsonLD(v)
}

func (m *Module) eventJSONLD(r *http.Request, e *content.Event) template.JS {
	t := tenant.FromContext(r.Context())
	loc := m.loc(r)
	status := "https://schema.org/EventScheduled"
	if e.Cancelled {
		status = "https://schema.org/EventCancelled"
	}
	v := map[string]any{"@context": "https://schema.org", "@type": "Event", "name": e.Title,
		"url": m.baseURL(r) + e.URL(), "eventStatus": status,
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
		"location":            map[string]any{"@type": "Place", "name": e.Place, "address": e.Address},
		"organizer":           map[string]any{"@type": "GovernmentOrganization", "name": t.Name, "url": m.baseURL(r)}}
	if e.AllDay {
		v["startDate"], v["endDate"] = e.Start.In(loc).Format("2006-01-02"), e.End.In(loc).Format("2006-01-02")
	} else {
		v["startDate"], v["endDate"] = e.Start.In(loc).Format(time.RFC3339), e.End.In(loc).Format(time.RFC3339)
	}
	if e.Summary != "" {
		v["description"] = e.Summary
	}
	return jsonLD(v)
}
