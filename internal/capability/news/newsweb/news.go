package newsweb

import (
	"html/template"
	"net/http"
	"slices"

	"guichet"
	"guichet/internal/capability/news"
	"guichet/internal/kernel"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// newsList shows published news, newest first, by category, with keyset
// pages (?apres=cursor).
func (m *Module) newsList(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	cat := r.URL.Query().Get("categorie")
	if !slices.Contains(news.Categories, cat) {
		cat = ""
	}
	after := publishing.ParseCursor(r.URL.Query().Get("apres"))
	list, next, err := m.store.ListPublic(r.Context(), t.ID, publishing.ListFilter{Category: cat, After: after, Limit: 12})
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"News": m.newsViews(r, list), "Next": next.String(), "Category": cat,
		"Categories": m.desk.CategoryOptions(r, news.Categories), "Later": after.ID != ""})
	p.Title = p.T("news.title")
	if cat != "" {
		p.Title += " – " + p.T("publishing.cat."+cat)
	}
	if after.ID != "" {
		p.Title += " – " + p.T("news.older")
	}
	m.s.Render.PageData(w, r, "news/news_list", p)
	return nil
}

// newsView is a news item with what its page needs.
type newsView struct {
	*news.News
	Local    string // publication date in the collectivité's zone, French style
	ISO      string
	HTML     any
	EasyHTML any
}

func (m *Module) newsViews(r *http.Request, list []*news.News) []newsView {
	out := make([]newsView, len(list))
	for i, n := range list {
		out[i] = m.newsView(r, n, false)
	}
	return out
}

func (m *Module) newsView(r *http.Request, n *news.News, body bool) newsView {
	v := newsView{News: n}
	if n.PublishAt != nil {
		at := n.PublishAt.In(m.loc(r))
		v.Local, v.ISO = guichet.Date(at, web.LangOf(r)), at.Format("2006-01-02T15:04:05-07:00")
	}
	if body {
		src := n.Body
		if web.LangOf(r) == "en" && n.BodyEN != "" {
			src = n.BodyEN
		}
		v.HTML = publishing.HTML(src)
		if n.EasyRead != "" {
			v.EasyHTML = publishing.HTML(n.EasyRead)
		}
	}
	return v
}

// article is what a news item's page shows of it in one language.
type article struct {
	view   newsView
	jsonld template.JS
	url    string
}

func (m *Module) newsItem(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	// What every visitor sees of the item, in their language, shared for
	// homeTTL; a missing item is not kept, so a scheduled one shows on time.
	slug, base, lang := r.PathValue("slug"), m.baseURL(r), web.LangOf(r)
	a, err := invalidate.Memoized(m.cache, t.ID, "news|"+lang+"|"+base+"|"+slug, func() (article, error) {
		n, err := m.store.Public(r.Context(), t.ID, slug)
		if err != nil {
			return article{}, err
		}
		return article{view: m.newsView(r, n, true), jsonld: m.newsJSONLD(r, n), url: base + n.URL()}, nil
	})
	if err != nil {
		return err
	}
	title := a.view.Title
	if lang == "en" && a.view.TitleEN != "" {
		title = a.view.TitleEN
	}
	p := m.s.Render.NewPage(r, title, map[string]any{"Item": a.view, "Title": title,
		"JSONLD": a.jsonld, "URL": a.url, "Easy": r.URL.Query().Get("version") == "facile",
		"Replies": m.repliesTo(r, t.ID, a.view.ID)})
	m.s.Render.PageData(w, r, "news/news", p)
	return nil
}

// media serves a cover image: sniffed at upload, served with its type,
// cached, never run as anything else.
func (m *Module) media(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	data, ct, err := m.store.Image(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(data)
	return err
}

// replyView is an approved reply as the item's page shows it.
type replyView struct {
	kernel.Reply
	Date, ISO string
}

// repliesTo lists the item's approved replies from elsewhere (the
// fediverse), when a capability receives them; none when that fails.
func (m *Module) repliesTo(r *http.Request, tenantID, id string) []replyView {
	if m.replies == nil {
		return nil
	}
	list, err := m.replies(r.Context(), tenantID, news.Kind, id)
	if err != nil {
		m.s.Log().WarnContext(r.Context(), "news: replies", "err", err)
		return nil
	}
	out := make([]replyView, len(list))
	for i, rp := range list {
		at := rp.Published.In(m.loc(r))
		out[i] = replyView{Reply: rp, Date: guichet.Date(at, web.LangOf(r)), ISO: at.Format("2006-01-02T15:04:05-07:00")}
	}
	return out
}
