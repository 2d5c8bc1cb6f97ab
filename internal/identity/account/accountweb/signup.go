package accountweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

func (m *Module) signUpForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderSignUp(w, r, http.StatusOK, url.Values{}, nil)
}

func (m *Module) renderSignUp(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("accounts.signup.title")
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "accounts/signup", p)
	return nil
}

// signUp creates the account and mails a verification link. When the
// address already has an account, its owner is told by email instead, and
// the page is the same: it never reveals who has an account.
func (m *Module) signUp(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	form := url.Values{"name": {r.PostFormValue("name")}, "email": {r.PostFormValue("email")}}
	password := r.PostFormValue("password")
	p := m.s.Render.NewPage(r, "", nil)
	errs := guichet.FieldErrors(m.store.ValidateSignUp(r.Context(), t.ID, form.Get("email"), form.Get("name"), password))
	if password != r.PostFormValue("password_confirm") {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["password_confirm"] = p.T("accounts.password.mismatch")
	}
	if errs != nil {
		return m.renderSignUp(w, r, http.StatusUnprocessableEntity, form, errs)
	}
	if err := m.s.Limit(r, abuse.SignUp, form.Get("email")); err != nil {
		return err
	}
	u, err := m.store.Register(r.Context(), t.ID, form.Get("email"), form.Get("name"), password)
	switch {
	case errors.Is(err, account.ErrEmailTaken):
		existing, err := m.store.ByEmail(r.Context(), t.ID, form.Get("email"))
		if err != nil {
			return err
		}
		if err := m.mails.SendAlreadyRegistered(r.Context(), existing, m.site(r)); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if err := m.sendVerification(r, u); err != nil {
			return err
		}
	}
	return m.message(w, r, http.StatusOK, "accounts.signup.check_title", "accounts.signup.check_body")
}

// sendVerification mails u a link proving they own their address.
func (m *Module) sendVerification(r *http.Request, u *account.User) error {
	return m.mails.SendVerification(r.Context(), u, m.site(r))
}

// site is the collectivité's address as the request reached it, for the
// links of the emails.
func (m *Module) site(r *http.Request) string {
	return m.s.SiteURL(r, tenant.FromContext(r.Context()))
}

// retryAfter sets the Retry-After header of a refusal of the abuse limits
// on a page that answers it itself.
func retryAfter(w http.ResponseWriter, err error) {
	var refused *abuse.Refused
	if errors.As(err, &refused) {
		w.Header().Set("Retry-After", strconv.Itoa(refused.RetryAfterSeconds()))
	}
}

// message renders a page made of a title and one paragraph.
func (m *Module) message(w http.ResponseWriter, r *http.Request, status int, titleKey, bodyKey string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T(titleKey)
	p.Data = map[string]any{"Body": p.T(bodyKey)}
	m.s.Render.Page(w, r, status, "accounts/message", p)
	return nil
}

func (m *Module) verifyForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("jeton")
	if _, err := m.store.CheckToken(r.Context(), tenant.FromContext(r.Context()).ID, account.PurposeVerify, token); err != nil {
		return m.badLink(w, r, err)
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Token": token})
	p.Title = p.T("accounts.verify.title")
	m.s.Render.Page(w, r, http.StatusOK, "accounts/verify", p)
	return nil
}

// verify spends the link's token: a POST, so that mail scanners fetching
// the link do not use it up.
func (m *Module) verify(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	userID, err := m.store.UseToken(r.Context(), t.ID, account.PurposeVerify, r.PostFormValue("jeton"))
	if err != nil {
		return m.badLink(w, r, err)
	}
	if err := m.store.MarkEmailVerified(r.Context(), t.ID, userID); err != nil {
		return err
	}
	if account.FromContext(r.Context()) != nil {
		return web.Redirect(w, r, ProfilePath+"?ok=verifie")
	}
	return web.Redirect(w, r, SignInPath+"?ok=verifie")
}

// badLink answers an unknown, used or expired link.
func (m *Module) badLink(w http.ResponseWriter, r *http.Request, err error) error {
	if !errors.Is(err, account.ErrBadToken) {
		return err
	}
	return m.message(w, r, http.StatusGone, "accounts.link.invalid_title", "accounts.link.invalid_body")
}

func (m *Module) resendVerification(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	u, err := m.store.Get(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	if u.Verified() {
		return web.Redirect(w, r, ProfilePath)
	}
	if err := m.s.Limit(r, abuse.VerificationResend, ""); err != nil {
		return err
	}
	if err := m.sendVerification(r, u); err != nil {
		return err
	}
	return web.Redirect(w, r, ProfilePath+"?ok=envoye")
}
