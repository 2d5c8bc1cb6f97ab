package reportsweb

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// Question rows of the category form: as many as the category has, and
// emptyQuestions more to fill; "add a question" posts the form back with
// one more, no script needed. maxQuestions bounds what a form may ask for.
const (
	emptyQuestions = 2
	maxQuestions   = 30
)

// categoryRow is a category as the administrators' list shows it.
type categoryRow struct {
	*reports.Category
	ServiceLabel string
}

// serviceLabel names a staff service as the team's pages do.
func serviceLabel(p *web.Page, service string) string {
	if service == "" {
		return p.T("reports.categories.no_service")
	}
	return p.T("backoffice.service." + service)
}

// categories lists every category, inactive ones too.
func (m *Module) categories(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Categories(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.categories.title")
	rows := make([]categoryRow, len(list))
	for i, c := range list {
		rows[i] = categoryRow{Category: c, ServiceLabel: serviceLabel(p, c.Service)}
	}
	p.Data = map[string]any{"Rows": rows}
	if r.URL.Query().Get("desactivee") != "" {
		p.Notice = p.T("reports.categories.deactivated")
	}
	m.s.Render.Page(w, r, http.StatusOK, "reports/staff_categories", p)
	return nil
}

func (m *Module) categoryNew(w http.ResponseWriter, r *http.Request) error {
	c := &reports.Category{Active: true}
	return m.renderCategory(w, r, http.StatusOK, c, categoryValues(c), nil)
}

func (m *Module) categoryEdit(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	c, err := m.store.Category(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderCategory(w, r, http.StatusOK, c, categoryValues(c), nil)
}

// questionRow is one question's fields on the form, named q<N>_….
type questionRow struct {
	N                                           int
	Code, Label, Datatype, Choices, Description string
	Required                                    bool
}

// field names a question row's field.
func (q questionRow) Field(name string) string { return fmt.Sprintf("q%d_%s", q.N, name) }

// categoryValues fills the form with a category.
func categoryValues(c *reports.Category) url.Values {
	v := url.Values{"code": {c.Code}, "name": {c.Name}, "description": {c.Description}, "group": {c.Group},
		"keywords": {strings.Join(c.Keywords, ", ")}, "service": {c.Service}, "contractor_email": {c.ContractorEmail},
		"position": {strconv.Itoa(c.Position)}}
	if c.Active {
		v.Set("active", "1")
	}
	for i, q := range c.Questions {
		set := func(name, value string) { v.Set(fmt.Sprintf("q%d_%s", i, name), value) }
		set("code", q.Code)
		set("label", q.Label)
		set("datatype", q.Datatype)
		set("description", q.Description)
		if q.Required {
			set("required", "1")
		}
		var lines []string
		for _, ch := range q.Values {
			lines = append(lines, ch.Key+" = "+ch.Name)
		}
		set("choices", strings.Join(lines, "\n"))
	}
	v.Set("questions", strconv.Itoa(len(c.Questions)+emptyQuestions))
	return v
}

// questionRows are the question rows the form shows, filled from v.
func questionRows(v url.Values) []questionRow {
	n, err := strconv.Atoi(v.Get("questions"))
	if err != nil || n < emptyQuestions {
		n = emptyQuestions
	}
	n = min(n, maxQuestions)
	rows := make([]questionRow, n)
	for i := range rows {
		get := func(name string) string { return v.Get(fmt.Sprintf("q%d_%s", i, name)) }
		rows[i] = questionRow{N: i, Code: get("code"), Label: get("label"), Datatype: get("datatype"),
			Choices: get("choices"), Description: get("description"), Required: get("required") != ""}
	}
	return rows
}

// categoryForm reads the form into c; errs gets what cannot be read.
func categoryForm(v url.Values, c *reports.Category, errs map[string]string) {
	c.Code, c.Name, c.Description, c.Group = v.Get("code"), v.Get("name"), v.Get("description"), v.Get("group")
	c.Keywords = []string{v.Get("keywords")}
	c.Service, c.ContractorEmail, c.Active = v.Get("service"), v.Get("contractor_email"), v.Get("active") != ""
	c.Position = 0
	if p := strings.TrimSpace(v.Get("position")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 9999 {
			errs["position"] = "Indiquez un nombre entier de 0 à 9999."
		}
		c.Position = n
	}
	if c.Service != "" && !isService(c.Service) {
		errs["service"] = "Choisissez un service de la liste."
	}
	c.Questions = nil
	for _, row := range questionRows(v) {
		if strings.TrimSpace(row.Code) == "" && strings.TrimSpace(row.Label) == "" && strings.TrimSpace(row.Choices) == "" {
			continue // an empty row
		}
		q := reports.Question{Code: row.Code, Label: row.Label, Datatype: row.Datatype, Required: row.Required,
			Description: row.Description, Order: len(c.Questions) + 1}
		for _, line := range strings.Split(row.Choices, "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			key, name, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(key) == "" || strings.TrimSpace(name) == "" {
				errs[row.Field("choices")] = "Écrivez un choix par ligne, sous la forme «\u00a0clé = libellé\u00a0»."
				continue
			}
			q.Values = append(q.Values, reports.Choice{Key: strings.TrimSpace(key), Name: strings.TrimSpace(name)})
		}
		c.Questions = append(c.Questions, q)
	}
}

func isService(s string) bool { return slices.Contains(staff.Services, s) }

func (m *Module) renderCategory(w http.ResponseWriter, r *http.Request, status int, c *reports.Category, form url.Values,
	errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.categories.new")
	if c.ID != "" {
		p.Title = p.T("reports.categories.edit", c.Name)
	}
	services := make([]publishingweb.Option, len(staff.Services))
	for i, s := range staff.Services {
		services[i] = publishingweb.Option{Value: s, Label: serviceLabel(p, s)}
	}
	types := make([]publishingweb.Option, len(reports.Datatypes))
	for i, d := range reports.Datatypes {
		types[i] = publishingweb.Option{Value: d, Label: p.T("reports.categories.type." + d)}
	}
	p.Data = map[string]any{"Category": c, "Services": services, "Types": types, "Questions": questionRows(form),
		"Active": form.Get("active") != "", "Count": len(questionRows(form))}
	p.Form, p.Errors = form, errs
	if r.URL.Query().Get("enregistree") != "" {
		p.Notice = p.T("reports.categories.saved")
	}
	m.s.Render.Page(w, r, status, "reports/staff_category", p)
	return nil
}

func (m *Module) categoryCreate(w http.ResponseWriter, r *http.Request) error {
	return m.saveCategory(w, r, &reports.Category{TenantID: tenant.FromContext(r.Context()).ID})
}

func (m *Module) categoryUpdate(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	c, err := m.store.Category(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.saveCategory(w, r, c)
}

// saveCategory writes the form, or shows it again with its errors and
// everything typed; "add a question" shows it with one more row.
func (m *Module) saveCategory(w http.ResponseWriter, r *http.Request, c *reports.Category) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	if f.Get("ajouter") != "" {
		n, _ := strconv.Atoi(f.Get("questions"))
		f.Set("questions", strconv.Itoa(min(max(n, emptyQuestions)+1, maxQuestions)))
		return m.renderCategory(w, r, http.StatusOK, c, f, nil)
	}
	errs := map[string]string{}
	categoryForm(f, c, errs)
	created := c.ID == ""
	var err error
	if len(errs) == 0 {
		if created {
			if err = m.store.CreateCategory(r.Context(), c); err != nil {
				c.ID = "" // not written: the form still creates
			}
		} else {
			err = m.store.UpdateCategory(r.Context(), c)
		}
	}
	if fields := guichet.FieldErrors(err); fields != nil || len(errs) > 0 {
		for k, v := range fields {
			if errs[k] == "" {
				errs[k] = v
			}
		}
		return m.renderCategory(w, r, http.StatusUnprocessableEntity, c, f, errs)
	}
	if err != nil {
		return err
	}
	action := "reports.category_saved"
	if created {
		action = "reports.category_created"
	}
	m.s.Record(r, action, c.Name)
	return publishingweb.SeeOther(w, r, CategoriesPath+"/"+c.ID+"?enregistree=1")
}

// categoryDeactivate takes a category off the form and Open311; its
// reports stay as they are.
func (m *Module) categoryDeactivate(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	c, err := m.store.Category(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := m.store.DeactivateCategory(r.Context(), t.ID, c.ID); err != nil {
		return err
	}
	m.s.Record(r, "reports.category_deactivated", c.Name)
	return publishingweb.SeeOther(w, r, CategoriesPath+"?desactivee=1")
}
