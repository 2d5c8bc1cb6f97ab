// Package eventsweb serves a collectivité's agenda: the next and past
// dates, each event with its registration form and .ics file, the
// iCalendar feeds, the JSON API, the cancellation links mailed to those
// registered, and the editors' pages.
package eventsweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

//go:embed all:templates messages api
var assets embed.FS

// Module is the agenda's web module.
type Module struct {
	s     *web.Server
	desk  publishingweb.Desk
	store *events.Store
	cache *publishingweb.Cache
	// lists keeps the first page of the agenda, its archive, the API's
	// and the iCalendar feeds: the busiest answers of a town site.
	lists *publishingweb.Cache
}

// homeTTL bounds how long another process's change to the home page's
// next events may go unseen.
const homeTTL = 5 * time.Second

// New returns the module.
func New(store *events.Store) *Module {
	return &Module{store: store, cache: publishingweb.NewCache("events-home", homeTTL, store.Changes()),
		lists: publishingweb.NewCache("events-lists", homeTTL, store.Changes())}
}

// Name implements web.Module.
func (m *Module) Name() string { return "events" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// DisableCache makes every page read the database (tests counting queries).
func (m *Module) DisableCache() { m.cache.Disable(); m.lists.Disable() }

// datesPage is one page of dates and the cursor of the next.
type datesPage struct {
	list []events.Dated
	next publishing.Cursor
}

// dates lists the dates f asks for; the first page of an unfiltered list
// from now is shared for homeTTL by every visitor (it is named name).
func (m *Module) dates(r *http.Request, f events.Filter, name string) ([]events.Dated, publishing.Cursor, error) {
	load := func() (datesPage, error) {
		list, next, err := m.store.List(r.Context(), tenant.FromContext(r.Context()).ID, f)
		return datesPage{list, next}, err
	}
	if name == "" {
		p, err := load()
		return p.list, p.next, err
	}
	p, err := invalidate.Memoized(m.lists, tenant.FromContext(r.Context()).ID, name, load)
	return p.list, p.next, err
}

// Routes lists every URL of the agenda.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	m.desk = publishingweb.Desk{Server: s, Now: func() time.Time { return m.store.Now() }, Module: "events"}
	s.Render.AddNav(web.NavItem{Key: "events.nav", Path: "/agenda", Order: 20})
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) {
		return []string{"/agenda", "/agenda/archives"}, nil
	})

	s.Site("GET /agenda", m.agenda)
	s.Site("GET /agenda/archives", m.archive)
	s.Site("GET /agenda/flux.ics", m.agendaFeed)
	s.Site("GET /agenda/categorie/{cat}", m.agendaFeed)
	s.Site("GET /agenda/{slug}", m.event)
	s.Site("POST /agenda/{slug}/inscription", m.register)
	s.Site("GET /inscriptions/{token}", m.registrationForm)
	s.Site("POST /inscriptions/{token}", m.cancelRegistration)
	s.Site("GET /api/v1/events", m.apiEvents)
	s.Site("GET /api/v1/events/{id}", m.apiEvent)

	editor := s.Staff(account.RoleEditor)
	h, k := m.desk.History(m.store.Revisions, m.store.Revision), m.kind()
	s.Site("GET /gestion/agenda", m.adminEvents, editor)
	s.Site("GET /gestion/agenda/nouveau", m.eventForm, editor)
	s.Site("POST /gestion/agenda/nouveau", m.saveEvent, editor)
	s.Site("GET /gestion/agenda/{id}", m.eventForm, editor)
	s.Site("POST /gestion/agenda/{id}", m.saveEvent, editor)
	s.Site("POST /gestion/agenda/{id}/statut", m.eventStatus, editor)
	s.Site("GET /gestion/agenda/{id}/historique", h.Page(k), editor)
	s.Site("GET /gestion/agenda/{id}/historique/{rev}", h.Revision(k), editor)
	s.Site("POST /gestion/agenda/{id}/historique/{rev}/restaurer", h.Restore(k), editor)
}

// loc returns the request's collectivité's time zone.
func (m *Module) loc(r *http.Request) *time.Location {
	return tenant.FromContext(r.Context()).Location()
}

// baseURL is the collectivité's absolute address, for links in mail and feeds.
func (m *Module) baseURL(r *http.Request) string {
	return m.s.SiteURL(r, tenant.FromContext(r.Context()))
}
