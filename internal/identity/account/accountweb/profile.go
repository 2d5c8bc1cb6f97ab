package accountweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// current returns the signed-in person's account.
func (m *Module) current(r *http.Request) (*account.User, error) {
	id := account.FromContext(r.Context())
	return m.store.Get(r.Context(), id.TenantID, id.UserID)
}

func (m *Module) profile(w http.ResponseWriter, r *http.Request) error {
	u, err := m.current(r)
	if err != nil {
		return err
	}
	form := url.Values{"name": {u.Name}, "lang": {u.Lang}, "text_size": {u.Prefs.TextSize},
		"line_spacing": {u.Prefs.LineSpacing}}
	if u.Prefs.HighContrast {
		form.Set("high_contrast", "1")
	}
	return m.renderProfile(w, r, http.StatusOK, u, form, nil)
}

func (m *Module) renderProfile(w http.ResponseWriter, r *http.Request, status int, u *account.User, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"User": u, "TextSizes": account.TextSizes,
		"LineSpacings": account.LineSpacings})
	p.Title = p.T("accounts.profile.title")
	p.Form, p.Errors = form, errs
	if n := noticeOf(r); n != "" {
		p.Notice = p.T(n)
	}
	m.s.Render.Page(w, r, status, "accounts/profile", p)
	return nil
}

func (m *Module) saveProfile(w http.ResponseWriter, r *http.Request) error {
	u, err := m.current(r)
	if err != nil {
		return err
	}
	form := url.Values{}
	for _, k := range []string{"name", "lang", "text_size", "line_spacing", "high_contrast"} {
		form.Set(k, r.PostFormValue(k))
	}
	prefs := account.Preferences{TextSize: form.Get("text_size"), LineSpacing: form.Get("line_spacing"),
		HighContrast: form.Get("high_contrast") != ""}
	err = m.store.UpdateProfile(r.Context(), u.TenantID, u.ID, form.Get("name"), form.Get("lang"), prefs)
	if errs := guichet.FieldErrors(err); errs != nil {
		return m.renderProfile(w, r, http.StatusUnprocessableEntity, u, form, errs)
	}
	if err != nil {
		return err
	}
	// The language switch's cookie would hide the new choice: follow it.
	http.SetCookie(w, &http.Cookie{Name: web.LangCookie, Value: form.Get("lang"), Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode})
	return web.Redirect(w, r, ProfilePath+"?ok=profil")
}

// download sends everything Guichet holds about the person as a JSON file.
func (m *Module) download(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	data, err := m.store.Export(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	m.recordExport(r, id)
	name := fmt.Sprintf("mes-donnees-%s.json", tenant.FromContext(r.Context()).Slug)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	web.WriteJSON(w, http.StatusOK, data)
	return nil
}

func (m *Module) deleteForm(w http.ResponseWriter, r *http.Request) error {
	u, err := m.current(r)
	if err != nil {
		return err
	}
	return m.renderDelete(w, r, http.StatusOK, u, nil)
}

func (m *Module) renderDelete(w http.ResponseWriter, r *http.Request, status int, u *account.User, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"User": u, "Effects": m.effects(web.LangOf(r))})
	p.Title = p.T("accounts.delete.title")
	p.Errors = errs
	m.s.Render.Page(w, r, status, "accounts/delete", p)
	return nil
}

// effects says, capability by capability, what deleting the account does
// to the person's records, and on which legal basis some are kept.
func (m *Module) effects(lang string) []string {
	out := []string{m.s.Render.T(lang, "accounts.delete.effect_account")}
	for _, e := range m.store.Erasers() {
		out = append(out, m.s.Render.T(lang, e.Effect))
	}
	return out
}

// deleteAccount asks for the password again (or, for an account without
// one, an explicit confirmation), then deletes the account and signs out.
func (m *Module) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	u, err := m.current(r)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	at := m.s.Attempt(r, u.Email)
	if u.HasPassword {
		if err := m.s.Limits.Check(r.Context(), abuse.SignIn, at); err != nil {
			retryAfter(w, err)
			return m.renderDelete(w, r, http.StatusTooManyRequests, u,
				map[string]string{"password": m.s.Render.T(lang, "accounts.signin.throttled")})
		}
		if _, err := m.store.Authenticate(r.Context(), u.TenantID, u.Email, r.PostFormValue("password")); err != nil {
			if !errors.Is(err, account.ErrBadCredentials) {
				return err
			}
			m.s.Limits.Count(abuse.SignIn, at)
			return m.renderDelete(w, r, http.StatusUnprocessableEntity, u,
				map[string]string{"password": m.s.Render.T(lang, "accounts.delete.wrong_password")})
		}
	} else if r.PostFormValue("confirm") == "" {
		return m.renderDelete(w, r, http.StatusUnprocessableEntity, u,
			map[string]string{"confirm": m.s.Render.T(lang, "accounts.delete.confirm_missing")})
	}
	t := tenant.FromContext(r.Context())
	if err := m.store.DeleteAccount(r.Context(), u, m.s.SiteURL(r, t), t.Location()); err != nil {
		return err
	}
	if _, err := m.sessions.SignOut(w, r); err != nil {
		return err
	}
	// The page is rendered for a visitor now signed out.
	r = r.WithContext(account.NewContext(r.Context(), nil))
	return m.message(w, r, http.StatusOK, "accounts.delete.done_title", "accounts.delete.done_body")
}
