package oidcweb

import (
	"errors"
	"net/http"
	"net/url"

	"guichet"
	"guichet/internal/identity/oidc"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// adminData is what the configuration page shows beside the form.
type adminData struct {
	HasSecret     bool
	SecretHint    string // message key of the secret field's hint
	CallbackURL   string
	SignedOutURL  string
	DefaultScopes string
}

// adminForm shows FranceConnect's configuration for this collectivité.
func (m *Module) adminForm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	p, err := m.current(r, t)
	if err != nil {
		return err
	}
	form := url.Values{"issuer": {p.Issuer}, "client_id": {p.ClientID}, "scopes": {p.Scopes}, "acr": {p.ACR}}
	if p.Enabled {
		form.Set("enabled", "1")
	}
	if p.SignedUserinfo {
		form.Set("signed_userinfo", "1")
	}
	page := m.s.Render.NewPage(r, "", m.adminData(r, t, p.ClientSecret != ""))
	page.Title = page.T("oidc.admin.title")
	page.Form = form
	if r.URL.Query().Get("enregistre") == "1" {
		page.Notice = page.T("oidc.admin.saved")
	}
	m.s.Render.Page(w, r, http.StatusOK, "oidc/admin", page)
	return nil
}

// adminSave stores the configuration; when it is enabled the issuer must
// answer its discovery document, so that a typo shows here and not on the
// residents' sign-in page.
func (m *Module) adminSave(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	p, err := m.current(r, t)
	if err != nil {
		return err
	}
	hadSecret := p.ClientSecret != ""
	f := r.PostForm
	p.Issuer, p.ClientID, p.Scopes, p.ACR = f.Get("issuer"), f.Get("client_id"), f.Get("scopes"), f.Get("acr")
	p.Enabled, p.SignedUserinfo = f.Get("enabled") == "1", f.Get("signed_userinfo") == "1"
	if s := f.Get("client_secret"); s != "" {
		p.ClientSecret = s // an empty field keeps the secret already stored
	}
	err = p.Validate()
	if err == nil && p.Enabled {
		err = m.svc.Check(r.Context(), p)
	}
	if err == nil {
		err = m.svc.SaveProvider(r.Context(), p)
	}
	var invalid *guichet.Error
	if errors.As(err, &invalid) && invalid.Code == guichet.EInvalid {
		page := m.s.Render.NewPage(r, "", m.adminData(r, t, hadSecret))
		page.Title = page.T("oidc.admin.title")
		page.Errors, page.Form = invalid.Fields, f
		page.Form.Del("client_secret")
		m.s.Render.Page(w, r, http.StatusUnprocessableEntity, "oidc/admin", page)
		return nil
	}
	if err != nil {
		return err
	}
	action := "oidc.provider_disabled"
	if p.Enabled {
		action = "oidc.provider_enabled"
	}
	m.s.Record(r, action, p.Name+" "+p.Issuer)
	return web.Redirect(w, r, AdminPath+"?enregistre=1")
}

// current returns the stored configuration, or FranceConnect's defaults.
func (m *Module) current(r *http.Request, t *tenant.Tenant) (*oidc.Provider, error) {
	p, err := m.svc.Store.Provider(r.Context(), t.ID, oidc.FranceConnect)
	if errors.Is(err, oidc.ErrNoProvider) {
		np := oidc.NewProvider(t.ID, oidc.FranceConnect)
		return &np, nil
	}
	return p, err
}

func (m *Module) adminData(r *http.Request, t *tenant.Tenant, hasSecret bool) adminData {
	base := m.s.SiteURL(r, t)
	hint := "oidc.admin.client_secret_hint"
	if hasSecret {
		hint = "oidc.admin.client_secret_keep"
	}
	return adminData{HasSecret: hasSecret, SecretHint: hint, CallbackURL: base + CallbackPath, SignedOutURL: base + SignedOutPath,
		DefaultScopes: oidc.DefaultScopes}
}
