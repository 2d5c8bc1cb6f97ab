package procedureweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/web"
)

// fieldForm shows the page that edits one field of the draft.
func (m *Module) fieldForm(w http.ResponseWriter, r *http.Request) error {
	p, fl, err := m.draftField(r)
	if err != nil {
		return err
	}
	return m.renderFieldForm(w, r, p, fl, http.StatusOK, nil, fieldValues(fl))
}

// draftField loads the procedure and the field of its draft that the
// URL names by its path ("key", or "block.key" inside a block).
func (m *Module) draftField(r *http.Request) (*procedure.Procedure, *procedure.Field, error) {
	p, err := m.adminProcedure(r)
	if err != nil {
		return nil, nil, err
	}
	fl := p.Draft.FieldAt(r.PathValue("key"))
	if fl == nil {
		return nil, nil, procedure.ErrFieldNotFound
	}
	return p, fl, nil
}

// editField saves what the edit page changes; the key and the type stay,
// since answers already given are stored under the key.
func (m *Module) editField(w http.ResponseWriter, r *http.Request) error {
	p, fl, err := m.draftField(r)
	if err != nil {
		return err
	}
	path, f, was := r.PathValue("key"), r.PostForm, *fl
	fl.Label, fl.Hint = strings.TrimSpace(f.Get("label")), strings.TrimSpace(f.Get("hint"))
	if fl.Type != procedure.Info {
		fl.Required = f.Get("required") == "1"
	}
	switch fl.Type {
	case procedure.Choice, procedure.Multi:
		fl.Options = optionsOf(f)
	case procedure.File:
		fl.Accept = acceptOf(f)
		if f.Get("max_mb") != megabytes(was.MaxSize) { // a size under 1 MB stays unless changed
			fl.MaxSize = maxSizeOf(f)
		}
	case procedure.Repeat:
		fl.MaxItems = positive(f.Get("max_items"))
	}
	if !inBlock(path) {
		fl.Condition = conditionFrom(r, "")
	}
	errs := map[string]string{}
	if fl.Label == "" {
		errs["label"] = "Donnez un libellé au champ."
	} else if err := p.Draft.CheckShape(); err != nil {
		errs["label"] = guichet.ErrorMessage(err)
	}
	if len(errs) > 0 {
		return m.renderFieldForm(w, r, p, &was, http.StatusUnprocessableEntity, errs, f)
	}
	return m.saveDraftTo(w, r, p, builderAt(p.ID, "champ", path))
}

// moveField moves a field one place up or down within its section or block.
func (m *Module) moveField(w http.ResponseWriter, r *http.Request) error {
	p, err := m.adminProcedure(r)
	if err != nil {
		return err
	}
	path := r.PostForm.Get("key")
	by := map[string]int{"haut": -1, "bas": 1}[r.PostForm.Get("direction")]
	if err := p.Draft.Move(path, by); err != nil {
		if guichet.ErrorCode(err) != guichet.EInvalid {
			return err
		}
		r.PostForm = nil // the builder's own forms show afresh, not this key
		return m.renderBuilder(w, r, p, http.StatusUnprocessableEntity, map[string]string{rowName(path): guichet.ErrorMessage(err)}, nil)
	}
	return m.saveDraftTo(w, r, p, builderAt(p.ID, "deplace", path))
}

// builderAt is the builder with a notice, scrolled back to the field.
func builderAt(id, notice, path string) string {
	return AdminPath + "/" + id + "?ok=" + notice + "#champ-" + rowName(path)
}

// rowName names a field's row in the builder; the prefix keeps it apart
// from the builder's inputs, which a key such as "label" would match.
func rowName(path string) string { return "f-" + path }

func inBlock(path string) bool { return strings.Contains(path, ".") }

func (m *Module) renderFieldForm(w http.ResponseWriter, r *http.Request, p *procedure.Procedure, fl *procedure.Field,
	status int, errs map[string]string, values url.Values) error {
	path := r.PathValue("key")
	lang := web.LangOf(r)
	title := m.s.Render.T(lang, "procedure.field.title", fl.Label) + " – " + p.Title
	var block *procedure.Field
	if b, _, ok := strings.Cut(path, "."); ok {
		block = p.Draft.Field(b)
	}
	page := m.s.Render.NewPage(r, title, map[string]any{
		"P": p, "F": fl, "Path": path, "Row": rowName(path), "Block": block,
		"Type":       m.s.Render.T(lang, "procedure.type."+string(fl.Type)),
		"HasOptions": fl.Type == procedure.Choice || fl.Type == procedure.Multi,
		"IsFile":     fl.Type == procedure.File, "IsRepeat": fl.Type == procedure.Repeat,
		"CanRequire": fl.Type != procedure.Info, "Fields": conditionFields(p.Draft, fl.Key), "Ops": m.ops(r)})
	page.Errors, page.Form = errs, values
	m.s.Render.Page(w, r, status, "procedure/field", page)
	return nil
}

// fieldValues fills the edit page's form from the field.
func fieldValues(fl *procedure.Field) url.Values {
	v := url.Values{"label": {fl.Label}, "hint": {fl.Hint}, "options": {strings.Join(fl.Options, "\n")},
		"accept": {strings.Join(fl.Accept, ", ")}, "max_mb": {megabytes(fl.MaxSize)}}
	if fl.Required {
		v.Set("required", "1")
	}
	if fl.MaxItems > 0 {
		v.Set("max_items", strconv.Itoa(fl.MaxItems))
	}
	if c := fl.Condition; c != nil {
		v.Set("cond_field", c.Field)
		v.Set("cond_op", string(c.Op))
		v.Set("cond_value", c.Value)
	}
	return v
}

// The builder's parsing of a field's attributes, shared by adding and editing.

func optionsOf(f url.Values) []string {
	var out []string
	for _, o := range strings.Split(f.Get("options"), "\n") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

func acceptOf(f url.Values) []string {
	var out []string
	for _, a := range strings.FieldsFunc(f.Get("accept"), func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, strings.ToLower(strings.TrimPrefix(a, ".")))
	}
	return out
}

// maxSizeOf reads the size limit in MB; 0, the default, when empty or not a number.
func maxSizeOf(f url.Values) int64 { return int64(positive(f.Get("max_mb"))) << 20 }

func megabytes(size int64) string {
	if size <= 0 {
		return ""
	}
	return strconv.FormatFloat(float64(size)/(1<<20), 'f', -1, 64)
}

// positive reads a whole number above zero, or returns 0.
func positive(s string) int {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
		return n
	}
	return 0
}
