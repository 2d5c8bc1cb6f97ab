package privacyweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// requestView is a request as the administrators' pages show it.
type requestView struct {
	*privacy.Request
	KindLabel, StateLabel string
	Received, Due, Closed string
	Overdue               bool
}

func (m *Module) view(lang string, r *privacy.Request, now time.Time) requestView {
	v := requestView{Request: r, KindLabel: m.s.Render.T(lang, "privacy.kind."+r.Kind),
		StateLabel: m.s.Render.T(lang, "privacy.state."+r.State), Overdue: r.Overdue(now)}
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return guichet.Date(*t, lang)
	}
	v.Received, v.Due, v.Closed = date(r.ReceivedAt), date(r.DueAt), date(r.ClosedAt)
	return v
}

// adminList lists the open requests by due date, those overdue flagged,
// then the last answered ones.
func (m *Module) adminList(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	open, closed, err := m.requests.List(r.Context(), t.ID)
	if err != nil {
		return err
	}
	lang, now := web.LangOf(r), m.requests.Now()
	var openViews, closedViews []requestView
	overdue := 0
	for _, q := range open {
		v := m.view(lang, q, now)
		if v.Overdue {
			overdue++
		}
		openViews = append(openViews, v)
	}
	for _, q := range closed {
		closedViews = append(closedViews, m.view(lang, q, now))
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Open": openViews, "Closed": closedViews, "Overdue": overdue})
	p.Title = p.T("privacy.admin.title")
	m.s.Render.Page(w, r, http.StatusOK, "privacyweb/admin_requests", p)
	return nil
}

// adminRequest shows one request with what the administrator can do.
func (m *Module) adminRequest(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminRequest(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminRequest(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	q, err := m.requests.Get(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	v := m.view(p.Lang, q, m.requests.Now())
	p.Data = map[string]any{"R": v, "Erasure": q.Kind == privacy.Erasure, "Access": q.Kind == privacy.Access}
	p.Title = p.T("privacy.admin.request_title", q.Reference)
	p.Form, p.Errors = r.PostForm, errs
	if key := "privacy.admin.done_" + r.URL.Query().Get("fait"); errs == nil && m.s.Render.Cat.Has(p.Lang, key) {
		p.Notice = p.T(key)
	}
	m.s.Render.Page(w, r, status, "privacyweb/admin_request", p)
	return nil
}

// adminAct moves a request on (work started, answered, refused with its
// reason); the requester is mailed and the audit log records it.
func (m *Module) adminAct(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	step := privacy.Step{To: r.PostForm.Get("action"), Text: r.PostForm.Get("text"), By: handler(r)}
	q, err := m.requests.Act(r.Context(), t.ID, r.PathValue("id"), step)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminRequest(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	if err := m.record(r, "privacy.request."+q.State, q); err != nil {
		return err
	}
	return web.Redirect(w, r, AdminPath+"/"+q.ID+"?fait="+url.QueryEscape(q.State))
}

// adminExport downloads everything held about the request's person, to
// answer a request of access.
func (m *Module) adminExport(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q, err := m.requests.Get(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := m.personOf(r, q)
	if err != nil {
		return err
	}
	data, err := m.accounts.ExportPerson(r.Context(), p)
	if err != nil {
		return err
	}
	if err := m.record(r, "privacy.request.exported", q); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+fmt.Sprintf("donnees-%s.json", strings.ToLower(q.Reference))+`"`)
	w.Header().Set("Cache-Control", "no-store")
	web.WriteJSON(w, http.StatusOK, data)
	return nil
}

// adminErase erases the request's person from every capability (their
// account too, when they have one), as the deletion of an account does,
// to answer a request of erasure; the request itself is answered next.
func (m *Module) adminErase(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q, err := m.requests.Get(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if q.Kind != privacy.Erasure || !q.Open() {
		return guichet.Errorf(guichet.EConflict, "Seule une demande d'effacement en cours permet d'effacer des données.")
	}
	p, err := m.personOf(r, q)
	if err != nil {
		return err
	}
	if err := m.accounts.Erase(r.Context(), p); err != nil {
		return err
	}
	if p.UserID != "" {
		if err := m.accounts.Delete(r.Context(), t.ID, p.UserID); err != nil && !errors.Is(err, account.ErrNotFound) {
			return err
		}
	}
	if err := m.record(r, "privacy.request.erased", q); err != nil {
		return err
	}
	return web.Redirect(w, r, AdminPath+"/"+q.ID+"?fait=erased")
}

// personOf is whom a request is about: its address, proven when it was
// filed, and the account holding that address or the one it came from.
func (m *Module) personOf(r *http.Request, q *privacy.Request) (account.Person, error) {
	t := tenant.FromContext(r.Context())
	p := account.Person{TenantID: t.ID, Email: strings.ToLower(q.Email), SiteURL: m.s.SiteURL(r, t), Loc: t.Location()}
	u, err := m.accounts.ByEmail(r.Context(), t.ID, q.Email)
	switch {
	case err == nil:
		p.UserID = u.ID
	case !errors.Is(err, account.ErrNotFound):
		return p, err
	case q.UserID != "":
		if u, err := m.accounts.Get(r.Context(), t.ID, q.UserID); err == nil {
			p.UserID = u.ID
		}
	}
	return p, nil
}

// record writes an administrator's action on a request to the audit log.
func (m *Module) record(r *http.Request, action string, q *privacy.Request) error {
	return m.s.Audit().Record(r.Context(), action, q.Reference)
}

// handler names the administrator acting, for the request's record.
func handler(r *http.Request) string {
	if id := account.FromContext(r.Context()); id != nil {
		return id.Email
	}
	return ""
}
