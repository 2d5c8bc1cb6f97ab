package tenantweb

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// tenantLink is a hosted collectivité with its address.
type tenantLink struct {
	*tenant.Tenant
	URL string
}

func (m *Module) links(r *http.Request, list []*tenant.Tenant) []tenantLink {
	out := make([]tenantLink, 0, len(list))
	for _, t := range list {
		out = append(out, tenantLink{Tenant: t, URL: m.s.SiteURL(r, t)})
	}
	return out
}

// directory lists the active collectivités with links to their sites.
func (m *Module) directory(w http.ResponseWriter, r *http.Request) error {
	list, err := m.tenants.List(r.Context())
	if err != nil {
		return err
	}
	active := list[:0]
	for _, t := range list {
		if t.Active() {
			active = append(active, t)
		}
	}
	p := m.s.Render.NewPage(r, "", m.links(r, active))
	p.Title = p.T("platform.directory")
	m.s.Render.Page(w, r, http.StatusOK, "platform/directory", p)
	return nil
}

func (m *Module) console(w http.ResponseWriter, r *http.Request) error {
	list, err := m.tenants.List(r.Context())
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", m.links(r, list))
	p.Title = p.T("platform.console")
	p.Notice = noticeOf(r, p)
	m.s.Render.Page(w, r, http.StatusOK, "platform/console", p)
	return nil
}

func noticeOf(r *http.Request, p *web.Page) string {
	switch r.URL.Query().Get("ok") {
	case "cree":
		return p.T("platform.created")
	case "modifie":
		return p.T("platform.updated")
	case "statut":
		return p.T("platform.status_changed")
	}
	return ""
}

func (m *Module) newTenant(w http.ResponseWriter, r *http.Request) error {
	form := url.Values{"time_zone": {"Europe/Paris"}, "kind": {tenant.KindCommune},
		"color_primary": {"#1d4f91"}, "color_accent": {"#8a2b0e"}, "languages": {"fr,en"}}
	return m.renderForm(w, r, http.StatusOK, "", form, nil)
}

func (m *Module) renderForm(w http.ResponseWriter, r *http.Request, status int, id string, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"ID": id, "Kinds": tenant.Kinds})
	p.Title = p.T("platform.new_tenant")
	if id != "" {
		p.Title = p.T("platform.edit_tenant")
	}
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "platform/tenant_form", p)
	return nil
}

func (m *Module) createTenant(w http.ResponseWriter, r *http.Request) error {
	logo, err := parseTenantForm(w, r)
	if err == nil && logo != nil {
		err = tenant.CheckLogo(logo)
	}
	if err != nil {
		return m.renderForm(w, r, http.StatusUnprocessableEntity, "", r.PostForm, guichet.FieldErrors(err))
	}
	created, err := m.tenants.Create(r.Context(), tenantFromForm(r.PostForm))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderForm(w, r, http.StatusUnprocessableEntity, "", r.PostForm, fields)
	}
	if err != nil {
		return err
	}
	if err := m.saveLogo(r, created.ID, logo); err != nil {
		return err
	}
	m.s.Record(r, "platform.tenant_created", created.Slug)
	return web.Redirect(w, r, "/console?ok=cree")
}

// tenantFormBody is the most the tenant form weighs: a logo and its fields.
const tenantFormBody = tenant.MaxLogoBytes + 64<<10

// parseTenantForm reads the tenant form, a multipart form when it carries
// a logo, refusing bodies larger than a logo and its fields need.
func parseTenantForm(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if err := web.ParseMultipart(w, r, tenantFormBody, tenantFormBody); err != nil {
		return nil, tenant.ErrLogo
	}
	f, _, err := r.FormFile("logo")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, tenant.ErrLogo
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, tenant.MaxLogoBytes+1))
	if err != nil || len(data) == 0 {
		return nil, nil
	}
	return data, nil
}

func (m *Module) saveLogo(r *http.Request, id string, logo []byte) error {
	if logo == nil {
		return nil
	}
	p, err := m.logos.Save(r.Context(), id, logo)
	if err != nil {
		return err
	}
	return m.tenants.SetLogo(r.Context(), id, p)
}

// logo serves the collectivité's logo; its URL changes with its content.
func (m *Module) logo(w http.ResponseWriter, r *http.Request) error {
	data, contentType, err := m.logos.Open(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err = w.Write(data)
	return err
}

func (m *Module) editTenant(w http.ResponseWriter, r *http.Request) error {
	t, err := m.tenants.Get(r.Context(), r.PathValue("id"))
	if err != nil || t.IsPlatform() {
		return tenant.ErrNotFound
	}
	return m.renderForm(w, r, http.StatusOK, t.ID, formFromTenant(t), nil)
}

func (m *Module) updateTenant(w http.ResponseWriter, r *http.Request) error {
	logo, err := parseTenantForm(w, r)
	if err != nil {
		return m.renderForm(w, r, http.StatusUnprocessableEntity, r.PathValue("id"), r.PostForm, guichet.FieldErrors(err))
	}
	old, err := m.tenants.Get(r.Context(), r.PathValue("id"))
	if err != nil || old.IsPlatform() {
		return tenant.ErrNotFound
	}
	t := tenantFromForm(r.PostForm)
	t.ID, t.LogoPath, t.Status = old.ID, old.LogoPath, old.Status
	_, err = m.tenants.Update(r.Context(), t)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderForm(w, r, http.StatusUnprocessableEntity, old.ID, r.PostForm, fields)
	}
	if err != nil {
		return err
	}
	if err := m.saveLogo(r, old.ID, logo); err != nil {
		if fields := guichet.FieldErrors(err); fields != nil {
			return m.renderForm(w, r, http.StatusUnprocessableEntity, old.ID, r.PostForm, fields)
		}
		return err
	}
	m.s.Record(r, "platform.tenant_updated", t.Slug)
	return web.Redirect(w, r, "/console?ok=modifie")
}

func (m *Module) setStatus(w http.ResponseWriter, r *http.Request) error {
	if err := m.tenants.SetStatus(r.Context(), r.PathValue("id"), r.FormValue("status")); err != nil {
		return err
	}
	m.s.Record(r, "platform.tenant_status", r.PathValue("id")+" "+r.FormValue("status"))
	return web.Redirect(w, r, "/console?ok=statut")
}

func tenantFromForm(f url.Values) tenant.Tenant {
	pop, _ := strconv.Atoi(strings.TrimSpace(f.Get("population")))
	var hosts []string // nil when none, as before
	hosts = append(hosts, strings.Fields(strings.ReplaceAll(f.Get("hosts"), ",", " "))...)
	var langs []string
	for _, l := range strings.Split(f.Get("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	return tenant.Tenant{Slug: f.Get("slug"), Name: strings.TrimSpace(f.Get("name")), Kind: f.Get("kind"),
		INSEE: strings.TrimSpace(f.Get("insee")), SIRET: f.Get("siret"), Address: f.Get("address"),
		Email: f.Get("email"), Phone: f.Get("phone"), OpeningHours: f.Get("opening_hours"),
		TimeZone: strings.TrimSpace(f.Get("time_zone")), ColorPrimary: f.Get("color_primary"),
		ColorAccent: f.Get("color_accent"), Languages: langs, Population: pop, Hosts: hosts}
}

func formFromTenant(t *tenant.Tenant) url.Values {
	return url.Values{"slug": {t.Slug}, "name": {t.Name}, "kind": {t.Kind}, "insee": {t.INSEE},
		"siret": {t.SIRET}, "address": {t.Address}, "email": {t.Email}, "phone": {t.Phone},
		"opening_hours": {t.OpeningHours}, "time_zone": {t.TimeZone}, "color_primary": {t.ColorPrimary},
		"color_accent": {t.ColorAccent}, "languages": {strings.Join(t.Languages, ",")},
		"population": {strconv.Itoa(t.Population)}, "hosts": {strings.Join(t.Hosts, " ")}}
}
