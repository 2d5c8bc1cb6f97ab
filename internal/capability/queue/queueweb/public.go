package queueweb

import (
	"context"
	"errors"
	"html/template"
	"net/http"

	"guichet"
	"guichet/internal/capability/queue"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/qr"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// sitemap lists the sites' public pages.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	sites, err := m.store.Sites(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := []string{SitesPath}
	for _, s := range sites {
		out = append(out, SitesPath+"/"+s.Slug)
	}
	return out, nil
}

// serviceView is a service with its queue now, for pages.
type serviceView struct {
	ID, Letter, Name, Description, Pictogram string
	Waiting, Wait                            int
}

// serviceViews returns the site's services with their waiting people and
// a new arrival's wait.
func (m *Module) serviceViews(r *http.Request, site *queue.Site) ([]serviceView, error) {
	b, err := m.store.BoardOf(r.Context(), site, web.LangOf(r), loc(r))
	if err != nil {
		return nil, err
	}
	out := make([]serviceView, len(site.Services))
	for i, svc := range site.Services {
		out[i] = serviceView{ID: svc.ID, Letter: svc.Letter, Name: svc.Title(web.LangOf(r)), Description: svc.Description,
			Pictogram: svc.Pictogram, Waiting: b.Services[i].Waiting, Wait: b.Services[i].Wait}
	}
	return out, nil
}

// siteOf returns the site the path's {site} names.
func (m *Module) siteOf(r *http.Request) (*queue.Site, error) {
	return m.store.Site(r.Context(), tenantID(r), r.PathValue("site"))
}

// sites lists the collectivité's reception sites.
func (m *Module) sites(w http.ResponseWriter, r *http.Request) error {
	sites, err := m.store.Sites(r.Context(), tenantID(r))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Sites": sites})
	p.Title = p.T("queue.sites.title")
	m.s.Render.Page(w, r, http.StatusOK, "queue/sites", p)
	return nil
}

// site shows a site's services, their waits, and the form to join the
// queue from a phone.
func (m *Module) site(w http.ResponseWriter, r *http.Request) error {
	return m.renderSite(w, r, http.StatusOK, nil)
}

func (m *Module) renderSite(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	site, err := m.siteOf(r)
	if err != nil {
		return err
	}
	services, err := m.serviceViews(r, site)
	if err != nil {
		return err
	}
	options := make([]publishingweb.Option, len(services))
	for i, v := range services {
		options[i] = publishingweb.Option{Value: v.ID, Label: v.Name}
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Site": site, "Services": services, "Options": options})
	p.Title = site.Name
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "queue/site", p)
	return nil
}

// takeRemote gives a ticket to a phone and sends it to the ticket's page.
func (m *Module) takeRemote(w http.ResponseWriter, r *http.Request) error {
	site, err := m.siteOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, abuse.QueueTicket, r.PostForm.Get("email")); err != nil {
		return err
	}
	prio := queue.Normal
	if r.PostForm.Get("priority") == "1" {
		prio = queue.Priority
	}
	t, err := m.store.Take(r.Context(), queue.TakeInput{Site: site, ServiceID: r.PostForm.Get("service"), Source: queue.FromPhone,
		Priority: prio, Email: r.PostForm.Get("email"), Lang: web.LangOf(r), Loc: loc(r)})
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderSite(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/ticket/"+m.store.TicketHandle(t))
}

// ticketOf returns the ticket the path's {handle} names, and its site.
func (m *Module) ticketOf(r *http.Request) (*queue.Ticket, *queue.Site, error) {
	t, err := m.store.TicketByHandle(r.Context(), tenantID(r), r.PathValue("handle"))
	if err != nil {
		return nil, nil, err
	}
	site, err := m.store.Site(r.Context(), t.TenantID, t.SiteID)
	if errors.Is(err, queue.ErrNotFound) {
		return nil, nil, queue.ErrTicketNotFound
	}
	return t, site, err
}

// ticketCode draws the QR code of a ticket's address.
func (m *Module) ticketCode(r *http.Request, t *queue.Ticket, label string) (template.HTML, string, error) {
	link := m.s.SiteURL(r, tenant.FromContext(r.Context())) + "/ticket/" + m.store.TicketHandle(t)
	svg, err := qr.SVG(link, label)
	return template.HTML(svg), link, err //nolint:gosec // drawn here, text escaped
}

// ticketStatus returns the path's ticket, its site and where it stands.
func (m *Module) ticketStatus(r *http.Request) (*queue.Ticket, *queue.Site, *queue.Status, error) {
	t, site, err := m.ticketOf(r)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := m.store.StatusOf(r.Context(), site, t, web.LangOf(r))
	return t, site, st, err
}

// ticket shows a ticket's place in the queue, live.
func (m *Module) ticket(w http.ResponseWriter, r *http.Request) error {
	t, site, st, err := m.ticketStatus(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	code, link, err := m.ticketCode(r, t, p.T("queue.ticket.code_label", t.Label))
	if err != nil {
		return err
	}
	handle := m.store.TicketHandle(t)
	p.Data = map[string]any{"Ticket": t, "Status": st, "Site": site, "Code": code, "Link": link, "Handle": handle}
	p.Title = p.T("queue.ticket.title", t.Label)
	m.s.Render.Page(w, r, http.StatusOK, "queue/ticket", p)
	return nil
}

// ticketState is a ticket's status as JSON, which its page reads again at
// each change of the queue.
func (m *Module) ticketState(w http.ResponseWriter, r *http.Request) error {
	_, _, st, err := m.ticketStatus(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	web.WriteJSON(w, http.StatusOK, m.statusText(r, st))
	return nil
}

// statusSaid is a ticket's status in words, in the reader's language.
type statusSaid struct {
	State  string `json:"state"`
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"`
}

func (m *Module) statusText(r *http.Request, st *queue.Status) statusSaid {
	lang := web.LangOf(r)
	t := func(key string, args ...any) string { return m.s.Render.T(lang, key, args...) }
	out := statusSaid{State: st.State}
	switch st.State {
	case queue.Waiting:
		if st.Position == 0 {
			out.Text = t("queue.ticket.next")
		} else {
			out.Text = m.s.Render.Cat.N(lang, "queue.ticket.position", st.Position)
		}
		out.Detail = t("queue.ticket.wait") + " " + m.waitText(lang, st.Wait)
	case queue.Called:
		out.Text = t("queue.ticket.called", st.Counter)
	default:
		out.Text = t("queue.state." + st.State)
	}
	return out
}

// waitText says a wait in minutes (-1: unknown) as the pages do.
func (m *Module) waitText(lang string, wait int) string {
	switch {
	case wait < 0:
		return m.s.Render.T(lang, "queue.wait.unknown")
	case wait == 0:
		return m.s.Render.T(lang, "queue.wait.none")
	}
	return m.s.Render.Cat.N(lang, "queue.wait.minutes", wait)
}

// ticketLive streams the changes of a ticket's queue.
func (m *Module) ticketLive(w http.ResponseWriter, r *http.Request) error {
	t, _, err := m.ticketOf(r)
	if err != nil {
		return err
	}
	return m.stream(w, r, t.TenantID, t.SiteID)
}

// siteLive streams the changes of a site's queue, for its boards.
func (m *Module) siteLive(w http.ResponseWriter, r *http.Request) error {
	site, err := m.siteOf(r)
	if err != nil {
		return err
	}
	return m.stream(w, r, site.TenantID, site.ID)
}

func (m *Module) stream(w http.ResponseWriter, r *http.Request, tenantID, siteID string) error {
	if m.store.Live == nil {
		return queue.ErrNotFound
	}
	events, cancel, err := m.store.Live.Subscribe(tenantID, queue.Topic(siteID))
	if err != nil {
		return err
	}
	defer cancel()
	return live.Stream(w, r, events)
}

// cancel withdraws a ticket from the queue.
func (m *Module) cancel(w http.ResponseWriter, r *http.Request) error {
	t, site, err := m.ticketOf(r)
	if err != nil {
		return err
	}
	err = m.store.Cancel(r.Context(), site, t)
	if err != nil && !errors.Is(err, queue.ErrNotWaiting) {
		return err
	}
	return web.Redirect(w, r, "/ticket/"+r.PathValue("handle"))
}

// board is a site's display board, for a screen in its hall.
func (m *Module) board(w http.ResponseWriter, r *http.Request) error {
	site, err := m.siteOf(r)
	if err != nil {
		return err
	}
	b, err := m.store.BoardOf(r.Context(), site, web.LangOf(r), loc(r))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Site": site, "Board": b})
	p.Title = p.T("queue.board.title", site.Name)
	m.s.Render.Page(w, r, http.StatusOK, "queue/board", p)
	return nil
}

// boardState is the board as JSON: the board reads it again after each
// change and after a reconnection.
func (m *Module) boardState(w http.ResponseWriter, r *http.Request) error {
	site, err := m.siteOf(r)
	if err != nil {
		return err
	}
	b, err := m.store.BoardOf(r.Context(), site, web.LangOf(r), loc(r))
	if err != nil {
		return err
	}
	type line struct {
		queue.ServiceLine
		WaitText string `json:"wait_text"`
	}
	lines := make([]line, len(b.Services))
	for i, l := range b.Services {
		lines[i] = line{l, m.waitText(web.LangOf(r), l.Wait)}
	}
	w.Header().Set("Cache-Control", "no-store")
	web.WriteJSON(w, http.StatusOK, map[string]any{"calls": b.Calls, "recent": b.Recent, "services": lines})
	return nil
}
