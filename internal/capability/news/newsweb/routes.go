package newsweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
	"time"
)

// Routes lists every URL of local information.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	m.desk = publishingweb.Desk{Server: s, Now: func() time.Time { return m.store.Now() }, Module: "news"}
	s.Render.AddNav(web.NavItem{Key: "news.nav.news", Path: "/actualites", Order: 10})
	s.AddSitemap(m.sitemap)

	s.Site("GET /actualites", m.newsList)
	s.Site("GET /actualites/flux.atom", m.newsFeed)
	s.Site("GET /actualites/{slug}", m.newsItem)
	s.Site("GET /medias/{id}", m.media)

	s.Site("GET /api/v1/news", m.apiNews)
	s.Site("GET /api/v1/news/{id}", m.apiNewsItem)

	editor := s.Staff(account.RoleEditor)
	items := m.newsKind()
	h := m.desk.History(m.store.Revisions, m.store.Revision)
	s.Site("GET /gestion/actualites", m.adminNews, editor)
	s.Site("GET /gestion/actualites/nouvelle", m.newsForm, editor)
	s.Uploads(newsFormBody).Site("POST /gestion/actualites/nouvelle", m.saveNews, editor)
	s.Site("GET /gestion/actualites/{id}", m.newsForm, editor)
	s.Uploads(newsFormBody).Site("POST /gestion/actualites/{id}", m.saveNews, editor)
	s.Site("POST /gestion/actualites/{id}/statut", m.newsStatus, editor)
	s.Site("GET /gestion/actualites/{id}/historique", h.Page(items), editor)
	s.Site("GET /gestion/actualites/{id}/historique/{rev}", h.Revision(items), editor)
	s.Site("POST /gestion/actualites/{id}/historique/{rev}/restaurer", h.Restore(items), editor)
}
