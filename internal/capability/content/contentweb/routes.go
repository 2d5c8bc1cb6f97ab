package contentweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
	"time"
)

// Routes lists every URL of local information.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	m.desk = publishingweb.Desk{Server: s, Now: func() time.Time { return m.store.Now() }, Module: "content"}
	s.Render.AddNav(
		web.NavItem{Key: "content.nav.news", Path: "/actualites", Order: 10},
		web.NavItem{Key: "content.nav.agenda", Path: "/agenda", Order: 20},
	)
	s.AddSitemap(m.sitemap)

	s.Site("GET /actualites", m.newsList)
	s.Site("GET /actualites/flux.atom", m.newsFeed)
	s.Site("GET /actualites/{slug}", m.newsItem)
	s.Site("GET /agenda", m.agenda)
	s.Site("GET /agenda/archives", m.archive)
	s.Site("GET /agenda/flux.ics", m.agendaFeed)
	s.Site("GET /agenda/categorie/{cat}", m.agendaFeed)
	s.Site("GET /agenda/{slug}", m.event)
	s.Site("POST /agenda/{slug}/inscription", m.register)
	s.Site("GET /inscriptions/{token}", m.registrationForm)
	s.Site("POST /inscriptions/{token}", m.cancelRegistration)
	s.Site("GET /medias/{id}", m.media)

	s.Site("GET /api/v1/news", m.apiNews)
	s.Site("GET /api/v1/news/{id}", m.apiNewsItem)
	s.Site("GET /api/v1/events", m.apiEvents)
	s.Site("GET /api/v1/events/{id}", m.apiEvent)

	editor := s.Staff(account.RoleEditor)
	news, events := m.newsKind(), m.eventKind()
	h := m.desk.History(m.store.Revisions, m.store.Revision)
	s.Site("GET /gestion/actualites", m.adminNews, editor)
	s.Site("GET /gestion/actualites/nouvelle", m.newsForm, editor)
	s.Uploads(newsFormBody).Site("POST /gestion/actualites/nouvelle", m.saveNews, editor)
	s.Site("GET /gestion/actualites/{id}", m.newsForm, editor)
	s.Uploads(newsFormBody).Site("POST /gestion/actualites/{id}", m.saveNews, editor)
	s.Site("POST /gestion/actualites/{id}/statut", m.newsStatus, editor)
	s.Site("GET /gestion/actualites/{id}/historique", h.Page(news), editor)
	s.Site("GET /gestion/actualites/{id}/historique/{rev}", h.Revision(news), editor)
	s.Site("POST /gestion/actualites/{id}/historique/{rev}/restaurer", h.Restore(news), editor)
	s.Site("GET /gestion/agenda", m.adminEvents, editor)
	s.Site("GET /gestion/agenda/nouveau", m.eventForm, editor)
	s.Site("POST /gestion/agenda/nouveau", m.saveEvent, editor)
	s.Site("GET /gestion/agenda/{id}", m.eventForm, editor)
	s.Site("POST /gestion/agenda/{id}", m.saveEvent, editor)
	s.Site("POST /gestion/agenda/{id}/statut", m.eventStatus, editor)
	s.Site("GET /gestion/agenda/{id}/historique", h.Page(events), editor)
	s.Site("GET /gestion/agenda/{id}/historique/{rev}", h.Revision(events), editor)
	s.Site("POST /gestion/agenda/{id}/historique/{rev}/restaurer", h.Restore(events), editor)
}
