package procedureweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

func (m *Module) adminList(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminList(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminList(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	procs, err := m.store.Procedures(r.Context(), t.ID)
	if err != nil {
		return err
	}
	var kinds []option
	if law := m.store.Law; law != nil && law() != nil {
		for _, k := range law().Kinds() {
			kinds = append(kinds, option{k.Code, k.Name + " (cerfa " + k.Number + ")"})
		}
	}
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.admin.title"), map[string]any{
		"Procedures": procs, "Services": serviceOptions(), "Kinds": kinds})
	page.Errors, page.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "procedure/admin_list", page)
	return nil
}

func serviceOptions() []option {
	out := []option{}
	for _, s := range staff.Services {
		out = append(out, option{s, s})
	}
	return out
}

func (m *Module) adminCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	p := &procedure.Procedure{TenantID: t.ID, Title: r.PostForm.Get("title"), Slug: r.PostForm.Get("slug"),
		Service: r.PostForm.Get("service"), DeadlineDays: 60, RetentionDays: procedure.DefaultRetentionDays, Open: true,
		Draft: &procedure.Form{Pages: []procedure.Page{{Title: "Vos informations", Sections: []procedure.Section{{Title: "Identité"}}}}}}
	if code := r.PostForm.Get("application"); code != "" {
		kind, err := m.store.ApplicationKind(code)
		if err != nil {
			return m.renderAdminList(w, r, http.StatusUnprocessableEntity, map[string]string{"application": guichet.ErrorMessage(err)})
		}
		p = procedure.NewApplicationProcedure(t.ID, p.Slug, p.Title, p.Service, kind)
	}
	if err := m.store.CreateProcedure(r.Context(), p); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderAdminList(w, r, http.StatusUnprocessableEntity, fieldsOrBody(err))
		}
		return err
	}
	m.s.Record(r, "procedure.created", p.ID)
	return web.Redirect(w, r, AdminPath+"/"+p.ID)
}

// sectionRef names a section in the builder's selects: "page:section".
type sectionRef struct{ Value, Label string }

func (m *Module) builder(w http.ResponseWriter, r *http.Request) error {
	p, err := m.store.Procedure(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderBuilder(w, r, p, http.StatusOK, nil, nil)
}

func (m *Module) renderBuilder(w http.ResponseWriter, r *http.Request, p *procedure.Procedure, status int, errs map[string]string, problems []string) error {
	var refs []sectionRef
	for pi, pg := range p.Draft.Pages {
		for si, sec := range pg.Sections {
			refs = append(refs, sectionRef{strconv.Itoa(pi) + ":" + strconv.Itoa(si), "Page " + strconv.Itoa(pi+1) + " – " + pg.Title + " – " + sec.Title})
		}
	}
	var types []option
	for _, t := range procedure.FieldTypes {
		types = append(types, option{string(t), m.s.Render.T(web.LangOf(r), "procedure.type."+string(t))})
	}
	silences := []option{{"", "Aucun effet"}, {"accord", "Silence vaut accord"}, {"rejet", "Silence vaut rejet"}}
	page := m.s.Render.NewPage(r, p.Title+" – "+m.s.Render.T(web.LangOf(r), "procedure.builder.title"), map[string]any{
		"P": p, "Pages": builderPages(p.Draft), "Sections": refs, "Fields": conditionFields(p.Draft, ""), "Types": types,
		"Ops": m.ops(r), "Services": serviceOptions(), "Silences": silences, "Problems": problems, "Blocks": blocks(p.Draft)})
	page.Errors, page.Form = errs, r.PostForm
	if key, ok := builderNotices[r.URL.Query().Get("ok")]; ok && status == http.StatusOK {
		page.Notice = page.T(key)
	}
	if !strings.HasSuffix(r.URL.Path, "/parametres") {
		page.Form = withSettings(r.PostForm, p) // another form's error keeps the settings shown
	}
	m.s.Render.Page(w, r, status, "procedure/builder", page)
	return nil
}

// builderNotices maps the builder's "?ok=" to the confirmation it shows.
var builderNotices = map[string]string{"champ": "procedure.builder.field_saved", "deplace": "procedure.builder.field_moved"}

// withSettings returns a copy of form with the procedure's settings, for
// the settings form of the builder.
func withSettings(form url.Values, p *procedure.Procedure) url.Values {
	out := url.Values{"title": {p.Title}, "slug": {p.Slug}, "summary": {p.Summary}, "service": {p.Service},
		"deadline_days": {strconv.Itoa(p.DeadlineDays)}, "retention_days": {strconv.Itoa(p.RetentionDays)},
		"silence": {string(p.Silence)}, "decision_template": {p.DecisionTemplate}}
	if p.Anonymous {
		out.Set("anonymous", "1")
	}
	if p.Open {
		out.Set("open", "1")
	}
	for k, v := range form {
		if _, setting := out[k]; !setting {
			out[k] = v
		}
	}
	return out
}

func (m *Module) ops(r *http.Request) []option {
	var ops []option
	for _, o := range procedure.Ops {
		ops = append(ops, option{string(o), m.s.Render.T(web.LangOf(r), "procedure.op."+string(o))})
	}
	return ops
}

// conditionFields lists the fields a condition may test, but the one at except.
func conditionFields(f *procedure.Form, except string) []option {
	var out []option
	f.Each(func(_ *procedure.Section, fl *procedure.Field) {
		if fl.Type != procedure.Info && fl.Key != except {
			out = append(out, option{fl.Key, fl.Label + " (" + fl.Key + ")"})
		}
	})
	return out
}

func blocks(f *procedure.Form) []option {
	out := []option{}
	f.Each(func(_ *procedure.Section, fl *procedure.Field) {
		if fl.Type == procedure.Repeat {
			out = append(out, option{fl.Key, fl.Label})
		}
	})
	return out
}

func (m *Module) adminProcedure(r *http.Request) (*procedure.Procedure, error) {
	if err := web.ParseForm(r); err != nil {
		return nil, err
	}
	return m.store.Procedure(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
}

// saveDraft stores the procedure and goes back to the builder, or shows
// the builder with the errors.
func (m *Module) saveDraft(w http.ResponseWriter, r *http.Request, p *procedure.Procedure) error {
	return m.saveDraftTo(w, r, p, AdminPath+"/"+p.ID)
}

// saveDraftTo is saveDraft going back to the builder at to.
func (m *Module) saveDraftTo(w http.ResponseWriter, r *http.Request, p *procedure.Procedure, to string) error {
	if err := m.store.UpdateProcedure(r.Context(), p); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderBuilder(w, r, p, http.StatusUnprocessableEntity, fieldsOrBody(err), nil)
		}
		return err
	}
	return web.Redirect(w, r, to)
}

func (m *Module) saveSettings(w http.ResponseWriter, r *http.Request) error {
	p, err := m.adminProcedure(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	p.Title, p.Slug, p.Summary, p.Service = f.Get("title"), f.Get("slug"), f.Get("summary"), f.Get("service")
	p.Anonymous, p.Open = f.Get("anonymous") == "1", f.Get("open") == "1"
	p.DeadlineDays, _ = strconv.Atoi(f.Get("deadline_days"))
	p.RetentionDays, _ = strconv.Atoi(f.Get("retention_days"))
	p.Silence, p.DecisionTemplate = procedure.Silence(f.Get("silence")), f.Get("decision_template")
	return m.saveDraft(w, r, p)
}

func (m *Module) addPage(w http.ResponseWriter, r *http.Request) error {
	p, err := m.adminProcedure(r)
	if err != nil {
		return err
	}
	title := strings.TrimSpace(r.PostForm.Get("page_title"))
	section := strings.TrimSpace(r.PostForm.Get("section_title"))
	if title == "" {
		return m.renderBuilder(w, r, p, http.StatusUnprocessableEntity, map[string]string{"page_title": "Donnez un titre à la page."}, nil)
	}
	sec := procedure.Section{Title: section}
	if c := conditionFrom(r, "section_"); c != nil {
		sec.Condition = c
	}
	pi, _ := strconv.Atoi(r.PostForm.Get("page"))
	if r.PostForm.Get("page") != "" && pi >= 0 && pi < len(p.Draft.Pages) {
		p.Draft.Pages[pi].Sections = append(p.Draft.Pages[pi].Sections, sec)
	} else {
		p.Draft.Pages = append(p.Draft.Pages, procedure.Page{Title: title, Sections: []procedure.Section{sec}})
	}
	return m.saveDraft(w, r, p)
}

func conditionFrom(r *http.Request, prefix string) *procedure.Condition {
	field := r.PostForm.Get(prefix + "cond_field")
	if field == "" {
		return nil
	}
	return &procedure.Condition{Field: field, Op: procedure.Op(r.PostForm.Get(prefix + "cond_op")),
		Value: strings.TrimSpace(r.PostForm.Get(prefix + "cond_value"))}
}

func (m *Module) addField(w http.ResponseWriter, r *http.Request) error {
	p, err := m.adminProcedure(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	fl := procedure.Field{Key: strings.TrimSpace(f.Get("key")), Type: procedure.FieldType(f.Get("type")),
		Label: strings.TrimSpace(f.Get("label")), Hint: strings.TrimSpace(f.Get("hint")), Required: f.Get("required") == "1",
		Condition: conditionFrom(r, "")}
	fl.Options, fl.Accept = optionsOf(f), acceptOf(f)
	fl.MaxSize, fl.MaxItems = maxSizeOf(f), positive(f.Get("max_items"))
	errs := map[string]string{}
	if !keyOK(fl.Key) || p.Draft.Field(fl.Key) != nil {
		errs["key"] = "Identifiant unique en lettres minuscules, chiffres et _ (par exemple « date_naissance »)."
	}
	if fl.Label == "" {
		errs["label"] = "Donnez un libellé au champ."
	}
	var pi, si int
	if ref := strings.SplitN(f.Get("section"), ":", 2); len(ref) == 2 {
		pi, _ = strconv.Atoi(ref[0])
		si, _ = strconv.Atoi(ref[1])
	}
	block := f.Get("block")
	parent := p.Draft.Field(block)
	switch {
	case block != "" && (parent == nil || parent.Type != procedure.Repeat):
		errs["block"] = "Bloc inconnu."
	case block == "" && (pi < 0 || pi >= len(p.Draft.Pages) || si < 0 || si >= len(p.Draft.Pages[pi].Sections)):
		errs["section"] = "Choisissez une section."
	}
	if len(errs) > 0 {
		return m.renderBuilder(w, r, p, http.StatusUnprocessableEntity, errs, nil)
	}
	if parent != nil {
		fl.Condition = nil
		parent.Fields = append(parent.Fields, fl)
	} else {
		sec := &p.Draft.Pages[pi].Sections[si]
		sec.Fields = append(sec.Fields, fl)
	}
	if err := p.Draft.CheckShape(); err != nil {
		return m.renderBuilder(w, r, p, http.StatusUnprocessableEntity, map[string]string{"type": guichet.ErrorMessage(err)}, nil)
	}
	return m.saveDraft(w, r, p)
}

// reservedKeys are the builder's own words after /champs/, which a
// field's edit page at /champs/{key} would collide with.
var reservedKeys = map[string]bool{"supprimer": true, "deplacer": true}

func keyOK(k string) bool {
	if k == "" || len(k) > 40 || k[0] < 'a' || k[0] > 'z' || reservedKeys[k] {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (m *Module) removeField(w http.ResponseWriter, r *http.Request) error {
	p, err := m.adminProcedure(r)
	if err != nil {
		return err
	}
	p.Draft.Remove(r.PostForm.Get("key"))
	return m.saveDraft(w, r, p)
}

func (m *Module) publish(w http.ResponseWriter, r *http.Request) error {
	p, err := m.adminProcedure(r)
	if err != nil {
		return err
	}
	if probs := p.Draft.Check(); len(probs) > 0 {
		return m.renderBuilder(w, r, p, http.StatusUnprocessableEntity, nil, probs)
	}
	v, err := m.store.Publish(r.Context(), p.TenantID, p.ID, account.FromContext(r.Context()).Name)
	if err != nil {
		return err
	}
	m.s.Record(r, "procedure.published", p.ID+" v"+strconv.Itoa(v))
	return web.Redirect(w, r, AdminPath+"/"+p.ID)
}
