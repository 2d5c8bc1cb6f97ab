package a11yweb

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/a11y"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// auditView feeds the audit form.
type auditView struct {
	Themes   []a11y.Theme
	Statuses []option
}

// textFields are the statement's free texts, by form field name.
var textFields = []string{"non_conformities", "derogations", "exempt", "pages", "tools", "contact",
	"schema_plan", "action_plan"}

const dateLayout = "2006-01-02"

func (m *Module) auditForm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	a, err := m.audits.Latest(r.Context(), t.ID)
	if err != nil && !errors.Is(err, a11y.ErrNoAudit) {
		return err
	}
	form := url.Values{}
	if a != nil {
		form = auditValues(a)
	}
	return m.renderAudit(w, r, http.StatusOK, form, nil)
}

func (m *Module) renderAudit(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("a11y.audit_title")
	p.Data = auditView{Themes: a11y.Themes(), Statuses: []option{
		{string(a11y.Conforme), p.T("a11y.status_C")}, {string(a11y.NonConforme), p.T("a11y.status_NC")},
		{string(a11y.NonApplicable), p.T("a11y.status_NA")}}}
	p.Form, p.Errors = form, errs
	if r.URL.Query().Get("enregistre") == "1" && errs == nil {
		p.Notice = p.T("a11y.audit_saved")
	}
	m.s.Render.Page(w, r, status, "a11yweb/audit_form", p)
	return nil
}

func (m *Module) saveAudit(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a, dateErr := auditFrom(r.PostForm)
	a.TenantID = tenant.FromContext(r.Context()).ID
	if id := account.FromContext(r.Context()); id != nil {
		a.RecordedBy = id.Email
	}
	err := m.audits.Save(r.Context(), a)
	var e *guichet.Error
	if errors.As(err, &e) && e.Code == guichet.EInvalid || dateErr != "" {
		errs := map[string]string{}
		if e != nil {
			for k, v := range e.Fields {
				errs[k] = v
			}
		}
		if dateErr != "" {
			errs["audited_on"] = dateErr
		}
		return m.renderAudit(w, r, http.StatusUnprocessableEntity, r.PostForm, errs)
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/gestion/accessibilite?enregistre=1")
}

// auditFrom reads the form; the second result explains an unreadable date.
func auditFrom(f url.Values) (*a11y.Audit, string) {
	a := &a11y.Audit{Auditor: strings.TrimSpace(f.Get("auditor")), Results: map[string]a11y.Status{}}
	dateErr := ""
	if s := strings.TrimSpace(f.Get("audited_on")); s != "" {
		d, err := time.Parse(dateLayout, s)
		if err != nil {
			dateErr = "Date de l'audit au format AAAA-MM-JJ."
		}
		a.AuditedOn = d
	}
	for _, c := range a11y.Criteria() {
		if v := f.Get(a11y.FieldName(c.ID)); v != "" {
			a.Results[c.ID] = a11y.Status(v)
		}
	}
	texts := []*string{&a.NonConformities, &a.Derogations, &a.Exempt, &a.Pages, &a.Tools, &a.Contact,
		&a.SchemaPlan, &a.ActionPlan}
	for i, name := range textFields {
		*texts[i] = strings.TrimSpace(f.Get(name))
	}
	return a, dateErr
}

// auditValues fills the form from a recorded audit.
func auditValues(a *a11y.Audit) url.Values {
	f := url.Values{"auditor": {a.Auditor}, "audited_on": {a.AuditedOn.Format(dateLayout)}}
	for id, s := range a.Results {
		f.Set(a11y.FieldName(id), string(s))
	}
	texts := []string{a.NonConformities, a.Derogations, a.Exempt, a.Pages, a.Tools, a.Contact, a.SchemaPlan, a.ActionPlan}
	for i, name := range textFields {
		f.Set(name, texts[i])
	}
	return f
}
