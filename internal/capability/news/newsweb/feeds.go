package newsweb

import (
	"net/http"
	"time"

	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// feedSize is how many entries a feed holds.
const feedSize = 50

// newsFeed is the Atom feed of the latest news.
func (m *Module) newsFeed(w http.ResponseWriter, r *http.Request) error {
	t, base := tenant.FromContext(r.Context()), m.baseURL(r)
	// Read by feed readers every few minutes: shared for homeTTL by every
	// reader of the same address.
	doc, err := invalidate.Memoized(m.cache, t.ID, "atom|"+base, func() ([]byte, error) { return m.feed(r, t, base) })
	if err != nil {
		return err
	}
	return publishingweb.WriteAtomBytes(w, doc)
}

// feed is the Atom document of the latest news.
func (m *Module) feed(r *http.Request, t *tenant.Tenant, base string) ([]byte, error) {
	list, err := m.store.FeedPublic(r.Context(), t.ID, feedSize)
	if err != nil {
		return nil, err
	}
	f := &publishingweb.AtomFeed{Lang: "fr", ID: base + "/actualites", Title: t.Name + " – " + m.s.Render.T("fr", "news.title"),
		Author: publishingweb.AtomPerson{Name: t.Name}, Updated: publishingweb.RFC3339(t.UpdatedAt),
		Links: []publishingweb.AtomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/actualites/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/actualites"}}}
	for i, n := range list {
		if i == 0 || n.UpdatedAt.After(parseRFC(f.Updated)) {
			f.Updated = publishingweb.RFC3339(maxTime(n.UpdatedAt, *n.PublishAt))
		}
		e := publishingweb.AtomEntry{ID: "urn:uuid:" + n.ID, Title: n.Title, Updated: publishingweb.RFC3339(maxTime(n.UpdatedAt, *n.PublishAt)),
			Published: publishingweb.RFC3339(*n.PublishAt), Link: publishingweb.AtomLink{Rel: "alternate", Type: "text/html", Href: base + n.URL()},
			Category: &publishingweb.AtomCategory{Term: n.Category, Label: m.s.Render.T("fr", "publishing.cat."+n.Category)},
			Content:  &publishingweb.AtomText{Type: "html", Body: string(publishing.HTML(n.Body))}}
		if n.Summary != "" {
			e.Summary = &publishingweb.AtomText{Type: "text", Body: n.Summary}
		}
		f.Entries = append(f.Entries, e)
	}
	return publishingweb.AtomBytes(f)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func parseRFC(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
