package alertsweb

import (
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/capability/alerts"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
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
	recent, _, err := m.store.Recent(r.Context(), t.ID, publishing.Cursor{}, 10)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	topics := make([]publishingweb.Option, len(alerts.Topics))
	for i, v := range alerts.Topics {
		topics[i] = publishingweb.Option{Value: v, Label: p.T("alerts.topic." + v)}
	}
	areaOpts := make([]publishingweb.Option, len(areas))
	for i, a := range areas {
		areaOpts[i] = publishingweb.Option{Value: a, Label: a}
	}
	p.Data = map[string]any{"Active": m.alertViews(r, active), "Recent": m.alertViews(r, recent), "Topics": topics, "Areas": areaOpts}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("alerts.title")
	if status != http.StatusOK {
		m.s.Render.Page(w, r, status, "alerts/alerts", p)
		return nil
	}
	m.s.Render.PageData(w, r, "alerts/alerts", p)
	return nil
}

// alertView is an alert with its times in the collectivité's zone.
type alertView struct {
	*alerts.Alert
	Since, Until string
}

func (m *Module) alertViews(r *http.Request, list []*alerts.Alert) []alertView {
	loc, lang := m.loc(r), web.LangOf(r)
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
		m.baseURL(r), web.LangOf(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAlerts(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "alerts.subscribe.sent_title", "alerts.subscribe.sent")
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
		return publishingweb.Message(m.s, w, r, "alerts.subscribe.already_title", "alerts.subscribe.confirmed")
	}
	p := m.s.Render.NewPage(r, "", nil)
	topics := make([]string, len(sub.Topics))
	for i, v := range sub.Topics {
		topics[i] = p.T("alerts.topic." + v)
	}
	p.Data = map[string]any{"Action": "/alertes/confirmer/" + r.PathValue("token"), "Email": sub.Email,
		"Topics": topics, "Areas": sub.Areas, "NotYou": p.T("alerts.subscribe.not_you", alerts.UnconfirmedSubscriberDays)}
	p.Title = p.T("alerts.subscribe.confirm_title")
	m.s.Render.Page(w, r, http.StatusOK, "alerts/subscribe_confirm", p)
	return nil
}

// confirm activates the subscription; a second use says it is active.
func (m *Module) confirm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	err := m.store.ConfirmSubscription(r.Context(), t.ID, r.PathValue("token"))
	if errors.Is(err, alerts.ErrSubscriptionConfirmed) {
		return publishingweb.Message(m.s, w, r, "alerts.subscribe.already_title", "alerts.subscribe.confirmed")
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "alerts.subscribe.confirmed_title", "alerts.subscribe.confirmed")
}

// unsubscribeForm asks for a click: mail scanners follow GET links, and
// must not unsubscribe anyone.
func (m *Module) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Token": r.PathValue("token")})
	p.Title = p.T("alerts.unsubscribe.title")
	m.s.Render.Page(w, r, http.StatusOK, "alerts/unsubscribe", p)
	return nil
}

// unsubscribe is the one-click unsubscription (RFC 8058): the form's
// button, or the mail client's POST of "List-Unsubscribe=One-Click".
func (m *Module) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.Unsubscribe(r.Context(), t.ID, r.PathValue("token")); err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "alerts.unsubscribe.done_title", "alerts.unsubscribe.done")
}
