package oidcweb

import (
	"context"
	"net/http"
	"net/url"

	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// start sends the browser to FranceConnect, binding the sign-in to it with
// a short-lived cookie that only the callback path receives.
func (m *Module) start(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	next := web.SafeNext(r.URL.Query().Get("suite"), defaultLanding)
	st, err := m.svc.Begin(r.Context(), t.ID, oidc.FranceConnect, m.s.SiteURL(r, t)+CallbackPath, next)
	if err != nil {
		m.logRefusal(r, err)
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: browserCookie, Value: st.BrowserSecret, Path: CallbackPath,
		MaxAge: 600, HttpOnly: true, Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, st.URL, http.StatusSeeOther)
	return nil
}

// callback checks the provider's answer and opens a session.
func (m *Module) callback(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query()
	cb := oidc.Callback{State: q.Get("state"), Code: q.Get("code"), Error: q.Get("error"),
		RedirectURL: m.s.SiteURL(r, t) + CallbackPath}
	if c, err := r.Cookie(browserCookie); err == nil {
		cb.BrowserSecret = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: browserCookie, Path: CallbackPath, MaxAge: -1, HttpOnly: true,
		Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", "no-store")
	res, err := m.svc.Finish(r.Context(), t.ID, cb)
	if err != nil {
		m.logRefusal(r, err)
		return err
	}
	opt := account.SignInOptions{Provider: res.Provider, IDToken: res.IDToken}
	if err := m.sessions.SignIn(w, r, res.User, opt); err != nil {
		return err
	}
	m.s.Log().InfoContext(r.Context(), "oidc sign-in", "tenant", t.Slug, "provider", res.Provider,
		"user", res.User.ID, "created", res.Created, "linked", res.Linked)
	next := web.SafeNext(res.Next, defaultLanding)
	// Staff signing in this way still owe their second factor before any role.
	if owe, err := m.sessions.NeedsSecondFactor(r.Context(), res.User, opt); err != nil {
		return err
	} else if owe {
		next = account.SecondFactorPath + "?suite=" + url.QueryEscape(next)
	}
	return web.Redirect(w, r, next)
}

func (m *Module) logRefusal(r *http.Request, err error) {
	m.s.Log().WarnContext(r.Context(), "oidc sign-in refused", "err", err)
}

// signedOut is where the provider sends people back after its logout.
func (m *Module) signedOut(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("oidc.signed_out.title")
	m.s.Render.Page(w, r, http.StatusOK, "oidc/signed_out", p)
	return nil
}

// LogoutURL implements account.LogoutRedirector: after a FranceConnect
// session ends here, the browser goes on to end it at FranceConnect, then
// comes back to the signed-out page.
func (m *Module) LogoutURL(ctx context.Context, r *http.Request, s *account.Session) (string, error) {
	t := tenant.FromContext(ctx)
	if s == nil || s.Provider == "" || t == nil || t.ID != s.TenantID {
		return "", nil
	}
	return m.svc.EndSessionURL(ctx, s.TenantID, s.Provider, s.IDToken, m.s.SiteURL(r, t)+SignedOutPath)
}

var _ account.LogoutRedirector = (*Module)(nil)
