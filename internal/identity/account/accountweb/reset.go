package accountweb

import (
	"errors"
	"net/http"
	"net/url"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

func (m *Module) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderForgot(w, r, http.StatusOK, url.Values{}, nil)
}

func (m *Module) renderForgot(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("accounts.forgot.title")
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "accounts/forgot", p)
	return nil
}

// forgot mails a reset link when the address has an account, and answers
// the same page either way.
func (m *Module) forgot(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	form := url.Values{"email": {r.PostFormValue("email")}}
	email, err := account.NormalizeEmail(form.Get("email"))
	if errs := guichet.FieldErrors(err); errs != nil {
		return m.renderForgot(w, r, http.StatusUnprocessableEntity, form, errs)
	}
	if err := m.s.Limit(r, abuse.PasswordReset, email); err != nil {
		return err
	}
	u, err := m.store.ByEmail(r.Context(), t.ID, email)
	switch {
	case errors.Is(err, account.ErrNotFound):
	case err != nil:
		return err
	default:
		if err := m.mails.SendReset(r.Context(), u, m.site(r)); err != nil {
			return err
		}
	}
	return m.message(w, r, http.StatusOK, "accounts.forgot.sent_title", "accounts.forgot.sent_body")
}

func (m *Module) resetForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("jeton")
	if _, err := m.store.CheckToken(r.Context(), tenant.FromContext(r.Context()).ID, account.PurposeReset, token); err != nil {
		return m.badLink(w, r, err)
	}
	return m.renderReset(w, r, http.StatusOK, token, nil)
}

func (m *Module) renderReset(w http.ResponseWriter, r *http.Request, status int, token string, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Token": token})
	p.Title = p.T("accounts.reset.title")
	p.Errors = errs
	m.s.Render.Page(w, r, status, "accounts/reset", p)
	return nil
}

// reset validates the new password before spending the link, so that a
// refused password does not cost the person their link.
func (m *Module) reset(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	token, password := r.PostFormValue("jeton"), r.PostFormValue("password")
	userID, err := m.store.CheckToken(r.Context(), t.ID, account.PurposeReset, token)
	if err != nil {
		return m.badLink(w, r, err)
	}
	u, err := m.store.Get(r.Context(), t.ID, userID)
	if err != nil {
		return err
	}
	errs := guichet.FieldErrors(m.store.ValidateNewPassword(r.Context(), t.ID, password, u.Email, u.Name))
	if password != r.PostFormValue("password_confirm") {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["password_confirm"] = m.s.Render.T(web.LangOf(r), "accounts.password.mismatch")
	}
	if errs != nil {
		return m.renderReset(w, r, http.StatusUnprocessableEntity, token, errs)
	}
	used, err := m.store.UseToken(r.Context(), t.ID, account.PurposeReset, token)
	if err == nil && used != userID {
		err = account.ErrBadToken
	}
	if err != nil {
		return m.badLink(w, r, err)
	}
	if err := m.store.SetPassword(r.Context(), t.ID, userID, password); err != nil {
		return err
	}
	// The link reached the mailbox: that proves the address too.
	if err := m.store.MarkEmailVerified(r.Context(), t.ID, userID); err != nil {
		return err
	}
	// SetPassword ended every session, this browser's included.
	if _, err := m.sessions.SignOut(w, r); err != nil {
		return err
	}
	// The link proved the mailbox: this browser signs in even while others
	// hammer the account.
	m.s.RememberDevice(w, r, u.Email)
	return web.Redirect(w, r, SignInPath+"?ok=mot-de-passe")
}
