package privacyweb

import (
	"errors"
	"net/http"
	"net/url"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// option is a radio button of the request form.
type option struct{ Value, Label string }

func (m *Module) requestForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderRequest(w, r, http.StatusOK, url.Values{"kind": {r.URL.Query().Get("droit")}}, nil)
}

func (m *Module) renderRequest(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	kinds := make([]option, 0, len(privacy.Kinds))
	for _, k := range privacy.Kinds {
		kinds = append(kinds, option{Value: k, Label: p.T("privacy.kind_choice." + k)})
	}
	p.Data = map[string]any{"Kinds": kinds}
	p.Title = p.T("privacy.request.title")
	p.Form, p.Errors = form, errs
	if status != http.StatusOK {
		m.s.Render.Page(w, r, status, "privacyweb/request", p)
		return nil
	}
	m.s.Render.PageData(w, r, "privacyweb/request", p)
	return nil
}

// fileRequest records a request: received at once from an account whose
// address is proven, after the emailed link is followed otherwise.
func (m *Module) fileRequest(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	form := url.Values{}
	for _, k := range []string{"kind", "name", "email", "details"} {
		form.Set(k, r.PostForm.Get(k))
	}
	f := privacy.Filing{Kind: form.Get("kind"), Name: form.Get("name"), Email: form.Get("email"), Details: form.Get("details"),
		Lang: web.LangOf(r), SiteURL: m.s.SiteURL(r, t)}
	if id := account.FromContext(r.Context()); id != nil {
		u, err := m.accounts.Get(r.Context(), id.TenantID, id.UserID)
		if err != nil {
			return err
		}
		f.UserID, f.Name, f.Email, f.Verified = u.ID, u.Name, u.Email, u.Verified()
	}
	// Without an account the form mails the address typed in it.
	typed := f.Email
	if f.UserID != "" {
		typed = ""
	}
	if err := m.s.Limit(r, abuse.PrivacyRequest, typed); err != nil {
		return err
	}
	req, err := m.requests.File(r.Context(), t.ID, f)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderRequest(w, r, http.StatusUnprocessableEntity, form, fields)
	}
	if err != nil {
		return err
	}
	if req.State == privacy.Unconfirmed {
		return m.message(w, r, "privacy.request.check_title", m.s.Render.T(web.LangOf(r), "privacy.request.check", privacy.ConfirmDays))
	}
	return m.received(w, r, req)
}

// confirmForm is the page of the emailed link: what confirming does, and
// the button that does it. Opening the link changes nothing, since mail
// scanners open links in the recipient's stead.
func (m *Module) confirmForm(w http.ResponseWriter, r *http.Request) error {
	req, err := m.requests.ByConfirmLink(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	if req.State != privacy.Unconfirmed {
		return m.alreadyConfirmed(w, r, req)
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("privacy.confirm.title")
	data := map[string]any{"Action": RequestPath + "/confirmer/" + r.PathValue("token"), "Reference": req.Reference,
		"Kind": p.T("privacy.kind." + req.Kind), "Email": req.Email,
		"Text":   p.T("privacy.confirm.text", tenant.FromContext(r.Context()).Name),
		"NotYou": p.T("privacy.confirm.not_you", privacy.ConfirmDays)}
	if req.Kind == privacy.Erasure {
		data["Warning"] = p.T("privacy.confirm.erasure")
	}
	p.Data = data
	m.s.Render.Page(w, r, http.StatusOK, "privacyweb/confirm", p)
	return nil
}

// confirmRequest receives the request of a confirmation link; a second
// use says it is already received.
func (m *Module) confirmRequest(w http.ResponseWriter, r *http.Request) error {
	req, err := m.requests.Confirm(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("token"))
	if errors.Is(err, privacy.ErrAlreadyConfirmed) {
		return m.alreadyConfirmed(w, r, req)
	}
	if err != nil {
		return err
	}
	return m.received(w, r, req)
}

// alreadyConfirmed answers a link followed again.
func (m *Module) alreadyConfirmed(w http.ResponseWriter, r *http.Request, req *privacy.Request) error {
	lang := web.LangOf(r)
	return m.message(w, r, "privacy.confirm.already_title",
		m.s.Render.T(lang, "privacy.request.received", req.Reference, guichet.Date(*req.DueAt, lang)))
}

// received tells the person their request is recorded, with its
// reference and the date of the answer at the latest.
func (m *Module) received(w http.ResponseWriter, r *http.Request, req *privacy.Request) error {
	lang := web.LangOf(r)
	return m.message(w, r, "privacy.request.received_title",
		m.s.Render.T(lang, "privacy.request.received", req.Reference, guichet.Date(*req.DueAt, lang)))
}

// message shows a page made of a title and one paragraph.
func (m *Module) message(w http.ResponseWriter, r *http.Request, titleKey, text string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Text": text})
	p.Title = p.T(titleKey)
	m.s.Render.Page(w, r, http.StatusOK, "privacyweb/message", p)
	return nil
}
