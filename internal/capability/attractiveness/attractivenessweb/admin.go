package attractivenessweb

import (
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/attractiveness"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// admin is the back office's page: the premises, the aids and the
// economic service's contacts form.
func (m *Module) admin(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdmin(w, r, http.StatusOK, nil, nil)
}

func (m *Module) renderAdmin(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, form *attractiveness.Contacts) error {
	t := tenant.FromContext(r.Context())
	ctx := r.Context()
	premises, err := m.store.Premises(ctx, t.ID)
	if err != nil {
		return err
	}
	aids, err := m.store.Aids(ctx, t.ID)
	if err != nil {
		return err
	}
	contacts := form
	if contacts == nil {
		if contacts, err = m.store.Contacts(ctx, t.ID); err != nil {
			return err
		}
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("attractiveness.admin.title")
	views := make([]premiseView, len(premises))
	for i, pr := range premises {
		views[i] = m.premiseView(p, t.Location(), pr)
	}
	aidViews := make([]aidView, len(aids))
	for i, a := range aids {
		aidViews[i] = aidView{Aid: a, FunderLabel: p.T("attractiveness.funder." + a.Funder)}
	}
	p.Data = map[string]any{"Premises": views, "Aids": aidViews, "Contacts": contacts}
	p.Errors = errs
	if r.URL.Query().Get("fait") != "" && len(errs) == 0 {
		p.Notice = p.T("attractiveness.admin.saved")
	}
	m.s.Render.Page(w, r, status, "attractiveness/admin", p)
	return nil
}

func (m *Module) saveContacts(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	c := &attractiveness.Contacts{TenantID: t.ID, Service: f.Get("service"), Person: f.Get("person"), Email: f.Get("email"),
		Phone: f.Get("phone"), Address: f.Get("address"), Hours: f.Get("hours")}
	err := m.store.SaveContacts(r.Context(), c)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdmin(w, r, http.StatusUnprocessableEntity, fields, c)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.contacts_saved", t.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}

// options returns values with their labels under prefix.
func options(p *web.Page, prefix string, values []string) []publishingweb.Option {
	out := make([]publishingweb.Option, len(values))
	for i, v := range values {
		out[i] = publishingweb.Option{Value: v, Label: p.T(prefix + v)}
	}
	return out
}

// premiseForm reads a premise from the form.
func premiseForm(r *http.Request, t *tenant.Tenant) *attractiveness.Premise {
	f := r.PostForm
	p := &attractiveness.Premise{TenantID: t.ID, Title: f.Get("title"), Kind: f.Get("kind"), Address: f.Get("address"),
		Deal: f.Get("deal"), Unit: f.Get("unit"), Tax: f.Get("tax"), AvailableFrom: f.Get("available_from"),
		Description: f.Get("description"), ContactName: f.Get("contact_name"), ContactEmail: f.Get("contact_email"),
		ContactPhone: f.Get("contact_phone"), Published: f.Get("published") != ""}
	if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f.Get("surface")), "m²"))); err == nil {
		p.Surface = n
	} else {
		p.Surface = -1
	}
	if c, ok := attractiveness.ParseEuros(f.Get("price")); ok {
		p.PriceCents = c
	}
	return p
}

// renderPremiseForm shows the form of a new premise (id "") or of one.
func (m *Module) renderPremiseForm(w http.ResponseWriter, r *http.Request, status int, pr *attractiveness.Premise, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	if pr.ID == "" {
		p.Title = p.T("attractiveness.premise.new")
	} else {
		p.Title = p.T("attractiveness.premise.edit", pr.Title)
	}
	price := ""
	if pr.PriceCents > 0 {
		price = strings.ReplaceAll(attractiveness.Euros(pr.PriceCents), "\u202f", "")
	}
	surface := ""
	if pr.Surface > 0 {
		surface = strconv.Itoa(pr.Surface)
	}
	if errs != nil { // as typed
		p.Errors, p.Form = errs, r.PostForm
		price, surface = r.PostForm.Get("price"), r.PostForm.Get("surface")
	}
	p.Data = map[string]any{"Premise": pr, "Price": price, "Surface": surface,
		"Kinds": options(p, "attractiveness.kind.", attractiveness.Kinds), "Deals": options(p, "attractiveness.deal.", attractiveness.Deals),
		"Units": options(p, "attractiveness.unit.", attractiveness.Units), "Taxes": options(p, "attractiveness.tax_long.", attractiveness.Taxes)}
	m.s.Render.Page(w, r, status, "attractiveness/premise_form", p)
	return nil
}

func (m *Module) newPremise(w http.ResponseWriter, r *http.Request) error {
	return m.renderPremiseForm(w, r, http.StatusOK, &attractiveness.Premise{Kind: attractiveness.Shop,
		Deal: attractiveness.Rent, Unit: attractiveness.PerMonth, Tax: attractiveness.BeforeTax}, nil)
}

func (m *Module) addPremise(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	pr := premiseForm(r, t)
	err := m.store.AddPremise(r.Context(), pr)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderPremiseForm(w, r, http.StatusUnprocessableEntity, pr, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.premise_added", pr.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}

func (m *Module) editPremise(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pr, err := m.store.Premise(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderPremiseForm(w, r, http.StatusOK, pr, nil)
}

func (m *Module) updatePremise(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	old, err := m.store.Premise(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	pr := premiseForm(r, t)
	pr.ID, pr.Slug = old.ID, old.Slug
	err = m.store.UpdatePremise(r.Context(), pr)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderPremiseForm(w, r, http.StatusUnprocessableEntity, pr, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.premise_saved", pr.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}

func (m *Module) deletePremise(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.DeletePremise(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.premise_deleted", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}

func aidForm(r *http.Request, t *tenant.Tenant) *attractiveness.Aid {
	f := r.PostForm
	return &attractiveness.Aid{TenantID: t.ID, Name: f.Get("name"), Funder: f.Get("funder"), Eligible: f.Get("eligible"),
		Amount: f.Get("amount"), Link: f.Get("link")}
}

func (m *Module) renderAidForm(w http.ResponseWriter, r *http.Request, status int, a *attractiveness.Aid, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	if a.ID == "" {
		p.Title = p.T("attractiveness.aid.new")
	} else {
		p.Title = p.T("attractiveness.aid.edit", a.Name)
	}
	p.Data = map[string]any{"Aid": a, "Funders": options(p, "attractiveness.funder.", attractiveness.Funders)}
	p.Errors = errs
	if errs != nil {
		p.Form = r.PostForm
	}
	m.s.Render.Page(w, r, status, "attractiveness/aid_form", p)
	return nil
}

func (m *Module) newAid(w http.ResponseWriter, r *http.Request) error {
	return m.renderAidForm(w, r, http.StatusOK, &attractiveness.Aid{}, nil)
}

func (m *Module) addAid(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a := aidForm(r, t)
	err := m.store.AddAid(r.Context(), a)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAidForm(w, r, http.StatusUnprocessableEntity, a, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.aid_added", a.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}

func (m *Module) editAid(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	a, err := m.store.Aid(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderAidForm(w, r, http.StatusOK, a, nil)
}

func (m *Module) updateAid(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	old, err := m.store.Aid(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a := aidForm(r, t)
	a.ID = old.ID
	err = m.store.UpdateAid(r.Context(), a)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAidForm(w, r, http.StatusUnprocessableEntity, a, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.aid_saved", a.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}

func (m *Module) deleteAid(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.DeleteAid(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "attractiveness.aid_deleted", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, AdminPath+"?fait=1")
}
