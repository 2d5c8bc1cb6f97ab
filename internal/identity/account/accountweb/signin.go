package accountweb

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// home is where people land after signing in without a "suite".
func home(r *http.Request) string {
	if tenant.FromContext(r.Context()).IsPlatform() {
		return "/console"
	}
	return ProfilePath
}

func (m *Module) signInForm(w http.ResponseWriter, r *http.Request) error {
	form := url.Values{"suite": {web.SafeNext(r.URL.Query().Get("suite"), "")}}
	return m.renderSignIn(w, r, http.StatusOK, form, nil, noticeOf(r))
}

func (m *Module) renderSignIn(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string, notice string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("accounts.signin.title")
	p.Form, p.Errors = form, errs
	if notice != "" {
		p.Notice = p.T(notice)
	}
	m.s.Render.Page(w, r, status, "accounts/signin", p)
	return nil
}

// signIn checks the password; failures are limited per client address,
// per email from that address and per email from everywhere except the
// account's own browsers (abuse.SignIn), which a right password marks.
// The messages are the same whether or not the address has an account.
func (m *Module) signIn(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	email, password := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	next := web.SafeNext(r.PostFormValue("suite"), home(r))
	form := url.Values{"email": {email}, "suite": {r.PostFormValue("suite")}}
	p := m.s.Render.NewPage(r, "", nil)
	at := m.s.Attempt(r, email)
	if err := m.s.Limits.Check(r.Context(), abuse.SignIn, at); err != nil {
		retryAfter(w, err)
		return m.renderSignIn(w, r, http.StatusTooManyRequests, form,
			map[string]string{"email": p.T("accounts.signin.throttled")}, "")
	}
	u, err := m.store.Authenticate(r.Context(), t.ID, email, password)
	if errors.Is(err, account.ErrBadCredentials) {
		m.s.Limits.Count(abuse.SignIn, at)
		return m.renderSignIn(w, r, http.StatusUnauthorized, form,
			map[string]string{"email": p.T("accounts.signin.failed")}, "")
	}
	if err != nil {
		return err
	}
	// This address's failures for the account were the owner's typos; the
	// failures from elsewhere stay counted.
	m.s.Limits.Forget(abuse.SignIn, abuse.ByEmailFromAddress, at)
	m.s.RememberDevice(w, r, u.Email)
	opt := account.SignInOptions{}
	if err := m.sessions.SignIn(w, r, u, opt); err != nil {
		return err
	}
	need, err := m.sessions.NeedsSecondFactor(r.Context(), u, opt)
	if err != nil {
		return err
	}
	if need {
		return web.Redirect(w, r, account.SecondFactorPath+"?suite="+url.QueryEscape(next))
	}
	return web.Redirect(w, r, next)
}

// signOut ends the session, then, for people who came through an identity
// provider, goes on to log out there.
func (m *Module) signOut(w http.ResponseWriter, r *http.Request) error {
	s, err := m.sessions.SignOut(w, r)
	if err != nil {
		return err
	}
	if s != nil && s.Provider != "" && m.Logout != nil {
		target, err := m.Logout.LogoutURL(r.Context(), r, s)
		if err != nil {
			m.s.Log().ErrorContext(r.Context(), "logout at provider", "err", err, "provider", s.Provider)
		} else if target != "" {
			http.Redirect(w, r, target, http.StatusSeeOther)
			return nil
		}
	}
	return web.Redirect(w, r, "/")
}

// noticeOf turns the "ok" query parameter of a redirect into a message key.
func noticeOf(r *http.Request) string {
	switch r.URL.Query().Get("ok") {
	case "verifie":
		return "accounts.notice.verified"
	case "mot-de-passe":
		return "accounts.notice.password_changed"
	case "profil":
		return "accounts.notice.profile_saved"
	case "envoye":
		return "accounts.notice.verification_sent"
	}
	return ""
}
