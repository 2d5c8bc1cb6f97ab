package contentweb

import (
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/capability/content"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// alerts shows the active alerts and the subscription form.
func (m *Module) alerts(w http.ResponseWriter, r *http.Request) error {
	return m.renderAlerts(w, r, http.StatusOK, nil)
}

func (m *Module) renderAlerts(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	active, err := m.activeAlerts(r, t)
	if err != nil {
		return err
	}
	areas, err := m.store.Areas(r.Context(), t.ID)
	if err != nil {
		return err
	}
	recent, _, err := m.store.RecentAlerts(r.Context(), t.ID, content.Cursor{}, 10)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	topics := make([]publishingweb.Option, len(content.Topics))
	for i, v := range content.Topics {
		topics[i] = publishingweb.Option{Value: v, Label: p.T("content.topic." + v)}
	}
	areaOpts := make([]publishingweb.Option, len(areas))
	for i, a := range areas {
		areaOpts[i] = publishingweb.Option{Value: a, Label: a}
	}
	p.Data = map[string]any{"Active": m.alertViews(r, active), "Recent": m.alertViews(r, recent), "Topics": topics, "Areas": areaOpts}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("content.alerts.title")
	m.s.Render.Page(w, r, status, "content/alerts", p)
	return nil
}

// alertView is an alert with its times in the collectivité's zone.
type alertView struct {
	*content.Alert
	Since, Until string
}

func (m *Module) alertViews(r *http.Request, list []*content.Alert) []alertView {
	loc, lang := m.loc(r), langOf(r)
	out := make([]alertView, len(list))
	for i, a := range list {
		s, u := a.Start.In(loc), a.Expires.In(loc)
		out[i] = alertView{a, guichet.Date(s, lang) + " " + s.Format("15:04"), guichet.Date(u, lang) + " " + u.Format("15:04")}
	}
	return out
}

// subscribe records a subscription and mails its confirmation link.
func (m *Module) subscribe(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, abuse.AlertSubscription, r.PostForm.Get("email")); err != nil {
		return err
	}
	err := m.store.Subscribe(r.Context(), t.ID, r.PostForm.Get("email"), r.PostForm["topics"], r.PostForm["areas"],
		m.baseURL(r), langOf(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAlerts(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return m.message(w, r, "content.subscribe.sent_title", "content.subscribe.sent")
}

// confirmForm is the page of the emailed link: the subscription, and the
// button that confirms it. Opening the link changes nothing, since mail
// scanners open links in the recipient's stead.
func (m *Module) confirmForm(w http.ResponseWriter, r *http.Request) error {
	sub, err := m.store.SubscriptionByLink(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	if sub.ConfirmedAt != nil {
		return m.message(w, r, "content.subscribe.already_title", "content.subscribe.confirmed")
	}
	p := m.s.Render.NewPage(r, "", nil)
	topics := make([]string, len(sub.Topics))
	for i, v := range sub.Topics {
		topics[i] = p.T("content.topic." + v)
	}
	p.Data = map[string]any{"Action": "/alertes/confirmer/" + r.PathValue("token"), "Email": sub.Email,
		"Topics": topics, "Areas": sub.Areas, "NotYou": p.T("content.subscribe.not_you", content.UnconfirmedSubscriberDays)}
	p.Title = p.T("content.subscribe.confirm_title")
	m.s.Render.Page(w, r, http.StatusOK, "content/subscribe_confirm", p)
	return nil
}

// confirm activates the subscription; a second use says it is active.
func (m *Module) confirm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	err := m.store.ConfirmSubscription(r.Context(), t.ID, r.PathValue("token"))
	if errors.Is(err, content.ErrSubscriptionConfirmed) {
		return m.message(w, r, "content.subscribe.already_title", "content.subscribe.confirmed")
	}
	if err != nil {
		return err
	}
	return m.message(w, r, "content.subscribe.confirmed_title", "content.subscribe.confirmed")
}

// unsubscribeForm asks for a click: mail scanners follow GET links, and
// must not unsubscribe anyone.
func (m *Module) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Token": r.PathValue("token")})
	p.Title = p.T("content.unsubscribe.title")
	m.s.Render.Page(w, r, http.StatusOK, "content/unsubscribe", p)
	return nil
}

// unsubscribe is the one-click unsubscription (RFC 8058): the form's
// button, or the mail client's POST of "List-Unsubscribe=One-Click".
func (m *Module) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.Unsubscribe(r.Context(), t.ID, r.PathValue("token")); err != nil {
		return err
	}
	return m.message(w, r, "content.unsubscribe.done_title", "content.unsubscribe.done")
}
