package newsweb

import (
	"net/http"
	"slices"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// apiNewsItem is a news item in the JSON API.
type apiNewsItem struct {
	ID          string    `json:"id"`
	Slug        string    `json:"slug"`
	URL         string    `json:"url"`
	Category    string    `json:"category"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary"`
	BodyHTML    string    `json:"body_html,omitempty"`
	Image       string    `json:"image,omitempty"`
	ImageAlt    string    `json:"image_alt,omitempty"`
	PublishedAt time.Time `json:"published_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (m *Module) apiNewsOf(r *http.Request, n *news.News, body bool) apiNewsItem {
	base := m.baseURL(r)
	v := apiNewsItem{ID: n.ID, Slug: n.Slug, URL: base + n.URL(), Category: n.Category, Title: n.Title, Summary: n.Summary,
		PublishedAt: *n.PublishAt, UpdatedAt: n.UpdatedAt.UTC()}
	if n.ImageID != "" {
		v.Image, v.ImageAlt = base+"/medias/"+n.ImageID, n.ImageAlt
	}
	if body {
		v.BodyHTML = string(publishing.HTML(n.Body))
	}
	return v
}

// apiNews lists published news, newest first (?category=&after=cursor).
func (m *Module) apiNews(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query()
	cat := q.Get("category")
	if cat != "" && !slices.Contains(news.Categories, cat) {
		return publishing.ErrNotFound
	}
	list, next, err := m.store.ListPublic(r.Context(), t.ID, publishing.ListFilter{Category: cat,
		After: publishing.ParseCursor(q.Get("after")), Limit: 50})
	if err != nil {
		return err
	}
	items := make([]apiNewsItem, len(list))
	for i, n := range list {
		items[i] = m.apiNewsOf(r, n, false)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": next.String()})
	return nil
}

func (m *Module) apiNewsItem(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	n, err := m.store.ByID(r.Context(), t.ID, r.PathValue("id"))
	if err != nil || !n.Public(m.store.Now()) {
		return publishing.ErrNotFound
	}
	web.WriteJSON(w, http.StatusOK, m.apiNewsOf(r, n, true))
	return nil
}
