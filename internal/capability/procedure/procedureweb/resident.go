package procedureweb

import (
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	procs, err := m.store.PublishedProcedures(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.list.title"), map[string]any{"Procedures": procs})
	m.s.Render.PageData(w, r, "procedure/list", p)
	return nil
}

func (m *Module) published(r *http.Request) (*procedure.Procedure, error) {
	t := tenant.FromContext(r.Context())
	return m.store.PublishedBySlug(r.Context(), t.ID, r.PathValue("slug"))
}

func (m *Module) show(w http.ResponseWriter, r *http.Request) error {
	p, err := m.published(r)
	if err != nil {
		return err
	}
	return m.renderShow(w, r, p, http.StatusOK, nil)
}

func (m *Module) renderShow(w http.ResponseWriter, r *http.Request, p *procedure.Procedure, status int, errs map[string]string) error {
	form, err := m.store.Form(r.Context(), p.TenantID, p.ID, p.Version)
	if err != nil {
		return err
	}
	var steps []string
	for _, pg := range form.Pages {
		steps = append(steps, pg.Title)
	}
	parcel := strings.ToUpper(r.FormValue(procedure.ParcelField))
	if !procedure.ValidParcel(parcel) {
		parcel = ""
	}
	suite := r.URL.Path
	if parcel != "" {
		suite += "?" + procedure.ParcelField + "=" + url.QueryEscape(parcel)
	}
	data := map[string]any{"Procedure": p, "Steps": steps, "SignIn": "/connexion?suite=" + url.QueryEscape(suite), "Parcel": parcel}
	if p.Application != "" {
		kind, err := m.store.ApplicationKind(p.Application)
		if err != nil {
			return err
		}
		data["Kind"] = kind
	}
	page := m.s.Render.NewPage(r, p.Title, data)
	page.Errors, page.Form = errs, r.PostForm
	if status != http.StatusOK {
		m.s.Render.Page(w, r, status, "procedure/show", page)
		return nil
	}
	m.s.Render.PageData(w, r, "procedure/show", page)
	return nil
}

// guestErrors are the messages of the guest's fields procedure.CheckGuest
// refuses.
var guestErrors = map[string]string{
	procedure.GuestName:  "procedure.start.name_error",
	procedure.GuestEmail: "procedure.start.email_error",
}

func (m *Module) start(w http.ResponseWriter, r *http.Request) error {
	p, err := m.published(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if id := account.FromContext(r.Context()); id != nil {
		if err := m.s.Limit(r, abuse.CaseStart, ""); err != nil {
			return err
		}
		c, err := m.svc.Start(r.Context(), p, procedure.Applicant{UserID: id.UserID, Email: id.Email, Name: id.Name,
			Lang: web.LangOf(r), Parcel: r.PostForm.Get(procedure.ParcelField)}, m.site(r))
		if err != nil {
			return err
		}
		return web.Redirect(w, r, stepPath(c.ID, 1))
	}
	if !p.Anonymous {
		return web.Redirect(w, r, "/connexion?suite="+url.QueryEscape("/demarches/"+p.Slug))
	}
	guest, bad := procedure.CheckGuest(r.PostForm.Get("name"), r.PostForm.Get("email"), web.LangOf(r))
	if len(bad) > 0 {
		errs := map[string]string{}
		for _, f := range bad {
			errs[f] = m.s.Render.T(web.LangOf(r), guestErrors[f])
		}
		return m.renderShow(w, r, p, http.StatusUnprocessableEntity, errs)
	}
	guest.Parcel = r.PostForm.Get(procedure.ParcelField)
	if err := m.s.Limit(r, abuse.CaseStart, guest.Email); err != nil {
		return err
	}
	if _, err := m.svc.Start(r.Context(), p, guest, m.site(r)); err != nil {
		return err
	}
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.verify.title"), map[string]any{"Email": guest.Email, "Procedure": p})
	m.s.Render.Page(w, r, http.StatusOK, "procedure/check_mail", page)
	return nil
}

// access opens a case without account from its emailed link. The first
// time, a page asks for a click that proves the address (POST): mail
// scanners open links and must not prove it. Once proven, the link opens
// the case at once; the browser keeps the token in a cookie.
func (m *Module) access(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	c, err := m.store.CaseByLink(r.Context(), t.ID, r.PathValue("id"), r.PathValue("token"))
	if err != nil {
		return err
	}
	if !c.EmailVerified {
		p, err := m.store.Procedure(r.Context(), t.ID, c.ProcedureID)
		if err != nil {
			return err
		}
		page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.access.title"), map[string]any{
			"Procedure": p, "Email": c.Email, "Action": procedure.AccessPath(c.ID, r.PathValue("token"))})
		m.s.Render.Page(w, r, http.StatusOK, "procedure/access", page)
		return nil
	}
	return m.openCase(w, r, c)
}

// confirmAccess proves the case's address by the link's button, then
// opens the case.
func (m *Module) confirmAccess(w http.ResponseWriter, r *http.Request) error {
	c, err := m.store.VerifyEmail(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"), r.PathValue("token"))
	if err != nil {
		return err
	}
	return m.openCase(w, r, c)
}

// openCase keeps the link's token in the browser and goes to the case.
func (m *Module) openCase(w http.ResponseWriter, r *http.Request, c *procedure.Case) error {
	m.setAccess(w, c.ID, r.PathValue("token"))
	if c.State == procedure.Draft {
		return web.Redirect(w, r, stepPath(c.ID, c.Page+1))
	}
	return web.Redirect(w, r, casePath(c.ID))
}

// forget removes the case's access cookie from this browser, for a shared
// computer; the emailed link opens the case again.
func (m *Module) forget(w http.ResponseWriter, r *http.Request) error {
	m.forgetAccess(w, r.PathValue("id"))
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.forget.done_title"), nil)
	m.s.Render.Page(w, r, http.StatusOK, "procedure/forgotten", page)
	return nil
}

func stepPath(id string, n int) string { return procedure.CasePath(id) + "/etape/" + itoa(n) }
func casePath(id string) string        { return procedure.CasePath(id) }

// mineRow is one line of "Mes démarches".
type mineRow struct {
	Case      *procedure.Case
	Title     string
	Next      string
	Reference string
}

func (m *Module) mine(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	id := account.FromContext(r.Context())
	cases, err := m.store.MyCases(r.Context(), t.ID, id.UserID)
	if err != nil {
		return err
	}
	procs, err := m.store.Procedures(r.Context(), t.ID)
	if err != nil {
		return err
	}
	byID := map[string]*procedure.Procedure{}
	for _, p := range procs {
		byID[p.ID] = p
	}
	var rows []mineRow
	for _, c := range cases {
		p := byID[c.ProcedureID]
		if p == nil {
			continue
		}
		rows = append(rows, mineRow{Case: c, Title: p.Title, Next: m.nextStep(r, c, p, t), Reference: c.Reference})
	}
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.mine.title"), map[string]any{"Rows": rows})
	m.s.Render.Page(w, r, http.StatusOK, "procedure/mine", page)
	return nil
}

// nextStep says, in one sentence, what happens next for the resident.
func (m *Module) nextStep(r *http.Request, c *procedure.Case, p *procedure.Procedure, t *tenant.Tenant) string {
	lang, loc := web.LangOf(r), t.Location()
	switch c.State {
	case procedure.Draft:
		return m.s.Render.T(lang, "procedure.next.draft")
	case procedure.Filed, procedure.Instruction:
		return procedure.DeadlineText(p, c, loc)
	case procedure.Waiting:
		return m.s.Render.T(lang, "procedure.next.waiting")
	}
	if c.DeleteAfter != nil {
		return m.s.Render.T(lang, "procedure.next.closed", procedure.FrenchDate(*c.DeleteAfter, loc))
	}
	return ""
}
