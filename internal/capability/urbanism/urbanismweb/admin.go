package urbanismweb

import (
	"io"
	"net/http"
	"slices"
	"strings"

	"guichet"
	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// adminHome is the administrators' page: what the territory holds, the
// latest imports, the form to import a file, and the zones to document.
func (m *Module) adminHome(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdmin(w, r, http.StatusOK, nil, nil)
}

func (m *Module) renderAdmin(w http.ResponseWriter, r *http.Request, status int, report *urbanism.Report, errs map[string]string) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	imports, err := m.store.Imports(r.Context(), tenantOf(r).ID, 20)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.admin.title")
	p.Errors, p.Form = errs, r.PostForm
	var options []option
	for _, s := range urbanism.Sources {
		options = append(options, option{Value: s, Label: p.T("urbanism.source." + s)})
	}
	p.Data = map[string]any{"Territory": ter, "Labels": ter.Labels(), "Imports": imports, "Report": report,
		"SourceOptions": options}
	m.s.Render.Page(w, r, status, "urbanism/admin", p)
	return nil
}

// option is one choice of a form.
type option struct{ Value, Label string }

// importFile imports a file sent from the administrators' page.
func (m *Module) importFile(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseMultipart(w, r, importBody, 8<<20); err != nil {
		return m.renderAdmin(w, r, http.StatusRequestEntityTooLarge, nil,
			map[string]string{"file": "L'envoi a échoué ou le fichier dépasse 30 Mo : importez-le avec la commande « guichet import »."})
	}
	source := r.PostFormValue("source")
	if !slices.Contains(urbanism.Sources, source) {
		return m.renderAdmin(w, r, http.StatusUnprocessableEntity, nil, map[string]string{"source": "Choisissez ce que contient le fichier."})
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return m.renderAdmin(w, r, http.StatusUnprocessableEntity, nil, map[string]string{"file": "Choisissez un fichier."})
	}
	defer file.Close()
	report, err := m.store.Import(r.Context(), tenantOf(r).ID, urbanism.ImportFile{Source: source, Name: head.Filename,
		Attribution: strings.TrimSpace(r.PostFormValue("attribution")), Body: file})
	if err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderAdmin(w, r, http.StatusUnprocessableEntity, nil, map[string]string{"file": guichet.ErrorMessage(err)})
		}
		return err
	}
	m.s.Record(r, "urbanism.import", source+" "+head.Filename)
	return m.renderAdmin(w, r, http.StatusOK, report, nil)
}

// adminZone is the form of a zone label's regulation.
func (m *Module) adminZone(w http.ResponseWriter, r *http.Request) error {
	return m.renderZone(w, r, http.StatusOK, nil)
}

func (m *Module) renderZone(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ter, err := m.territory(r)
	if err != nil {
		return err
	}
	label, err := findLabel(ter, r.PathValue("commune"), r.PathValue("label"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("urbanism.admin.zone_title", label.Label)
	p.Errors = errs
	if r.URL.Query().Get("enregistre") == "1" {
		p.Notice = p.T("urbanism.admin.saved")
	}
	p.Form = r.PostForm
	if r.Method == http.MethodGet && label.Rule != nil {
		p.Form = map[string][]string{"summary": {label.Rule.Summary}}
	}
	p.Data = map[string]any{"Label": label}
	m.s.Render.Page(w, r, status, "urbanism/admin_zone", p)
	return nil
}

// saveSummary saves a zone label's summary.
func (m *Module) saveSummary(w http.ResponseWriter, r *http.Request) error {
	commune, label := r.PathValue("commune"), r.PathValue("label")
	err := m.store.SaveSummary(r.Context(), tenantOf(r).ID, commune, label, r.PostFormValue("summary"), publishingweb.Author(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderZone(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "urbanism.summary", commune+" "+label)
	return publishingweb.SeeOther(w, r, AdminPath+"/zones/"+commune+"/"+label+"?enregistre=1")
}

// saveRuleFile stores a zone label's regulation PDF.
func (m *Module) saveRuleFile(w http.ResponseWriter, r *http.Request) error {
	commune, label := r.PathValue("commune"), r.PathValue("label")
	if err := web.ParseMultipart(w, r, urbanism.MaxRuleFile+1<<20, 8<<20); err != nil {
		return m.renderZone(w, r, http.StatusRequestEntityTooLarge, map[string]string{"file": "L'envoi a échoué ou le fichier dépasse 30 Mo."})
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return m.renderZone(w, r, http.StatusUnprocessableEntity, map[string]string{"file": "Choisissez un fichier PDF."})
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, urbanism.MaxRuleFile+1))
	if err != nil {
		return err
	}
	err = m.store.SaveRuleFile(r.Context(), tenantOf(r).ID, commune, label, head.Filename, body, publishingweb.Author(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderZone(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "urbanism.regulation", commune+" "+label)
	return publishingweb.SeeOther(w, r, AdminPath+"/zones/"+commune+"/"+label+"?enregistre=1")
}
