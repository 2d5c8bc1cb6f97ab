package procedureweb

import (
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// draft loads the resident's draft of the URL with its form; a filed
// case sends the resident to its page instead (done is true).
func (m *Module) draft(w http.ResponseWriter, r *http.Request) (*procedure.Case, *procedure.Procedure, *procedure.Form, bool, error) {
	c, p, err := m.residentCase(r)
	if err != nil {
		return nil, nil, nil, false, err
	}
	if c.State != procedure.Draft {
		return nil, nil, nil, true, web.Redirect(w, r, casePath(c.ID))
	}
	form, err := m.store.Form(r.Context(), c.TenantID, p.ID, c.Version)
	return c, p, form, false, err
}

func pageNumber(r *http.Request, form *procedure.Form) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(form.Pages) {
		return 0, procedure.ErrNotFound
	}
	return n - 1, nil
}

func (m *Module) stepForm(w http.ResponseWriter, r *http.Request) error {
	c, p, form, done, err := m.draft(w, r)
	if done || err != nil {
		return err
	}
	n, err := pageNumber(r, form)
	if err != nil {
		return err
	}
	return m.renderStep(w, r, c, p, form, n, c.Answers, http.StatusOK, nil)
}

func (m *Module) renderStep(w http.ResponseWriter, r *http.Request, c *procedure.Case, p *procedure.Procedure, form *procedure.Form,
	n int, answers procedure.Answers, status int, errs map[string]string) error {
	sections, multipart := pageView(form, n, answers)
	var steps []string
	for _, pg := range form.Pages {
		steps = append(steps, pg.Title)
	}
	steps = append(steps, m.s.Render.T(web.LangOf(r), "procedure.review.step"))
	title := form.Pages[n].Title + " – " + p.Title
	page := m.s.Render.NewPage(r, title, map[string]any{"Case": c, "Procedure": p, "Sections": sections,
		"Multipart": multipart, "Steps": steps, "Current": n + 1, "PageTitle": form.Pages[n].Title,
		"Action": stepPath(c.ID, n+1), "First": n == 0})
	page.Errors = errs
	m.s.Render.Page(w, r, status, "procedure/step", page)
	return nil
}

// pageLimit is the most a page's upload may weigh.
func pageLimit(form *procedure.Form, n int) int64 {
	total := int64(1 << 20)
	for _, sec := range form.Pages[n].Sections {
		for _, fl := range sec.Fields {
			if fl.Type == procedure.File {
				total += fl.Limit() * 2
			}
		}
	}
	return total
}

func (m *Module) step(w http.ResponseWriter, r *http.Request) error {
	c, p, form, done, err := m.draft(w, r)
	if done || err != nil {
		return err
	}
	if isMultipart(r) {
		if err := m.s.Limit(r, abuse.Upload, ""); err != nil {
			return err
		}
	}
	n, err := pageNumber(r, form)
	if err != nil {
		return err
	}
	if err := parseUpload(w, r, pageLimit(form, n)); err != nil {
		if guichet.ErrorCode(err) != guichet.EInvalid {
			return err
		}
		return m.renderStep(w, r, c, p, form, n, c.Answers, http.StatusRequestEntityTooLarge,
			map[string]string{firstFileName(form, n): guichet.ErrorMessage(err)})
	}
	answers := form.DecodePage(n, r.PostForm, c.Answers)
	// Uploads are checked first: a bad file changes nothing.
	var keep opened
	defer keep.close()
	vis := form.Visible(answers)
	pending := map[*procedure.Field][]procedure.Upload{}
	errs := map[string]string{}
	for si := range form.Pages[n].Sections {
		for i := range form.Pages[n].Sections[si].Fields {
			fl := &form.Pages[n].Sections[si].Fields[i]
			if fl.Type != procedure.File || !vis.Field(fl.Key) {
				continue
			}
			ups, msg := uploads(r, procedure.InputName(fl.Key), fl.Accept, fl.Limit(), &keep)
			if msg != "" {
				errs[procedure.InputName(fl.Key)] = msg
			}
			pending[fl] = ups
		}
	}
	if len(errs) > 0 {
		return m.renderStep(w, r, c, p, form, n, answers, http.StatusUnprocessableEntity, errs)
	}
	action := r.PostForm.Get("action")
	if err := m.svc.SaveStep(r.Context(), c, answers, pending); err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(action, "ajouter:"), strings.HasPrefix(action, "retirer:"):
		if err := m.editItems(r, c, form, action); err != nil {
			return err
		}
		return m.renderStep(w, r, c, p, form, n, c.Answers, http.StatusOK, nil)
	case strings.HasPrefix(action, "supprimer-fichier:"):
		parts := strings.SplitN(action, ":", 3)
		if len(parts) == 3 {
			if err := m.svc.RemoveFile(r.Context(), c, parts[1], parts[2]); err != nil {
				return err
			}
		}
		return m.renderStep(w, r, c, p, form, n, c.Answers, http.StatusOK, nil)
	case action == "precedent":
		return web.Redirect(w, r, stepPath(c.ID, max(n, 1)))
	case action == "enregistrer":
		return web.Redirect(w, r, casePath(c.ID)+"?enregistre=1")
	}
	errs, err = m.svc.CompletePage(r.Context(), c, form, n)
	if err != nil {
		return err
	}
	if errs != nil {
		return m.renderStep(w, r, c, p, form, n, c.Answers, http.StatusUnprocessableEntity, errs)
	}
	if n+1 < len(form.Pages) {
		return web.Redirect(w, r, stepPath(c.ID, n+2))
	}
	return web.Redirect(w, r, "/dossiers/"+c.ID+"/recapitulatif")
}

func firstFileName(form *procedure.Form, n int) string {
	for _, sec := range form.Pages[n].Sections {
		for _, fl := range sec.Fields {
			if fl.Type == procedure.File {
				return procedure.InputName(fl.Key)
			}
		}
	}
	return "action"
}

// editItems adds an empty item to a block ("ajouter:<key>"), or removes
// one ("retirer:<key>:<index>").
func (m *Module) editItems(r *http.Request, c *procedure.Case, form *procedure.Form, action string) error {
	parts := strings.Split(action, ":")
	if parts[0] == "ajouter" {
		return m.svc.AddItem(r.Context(), c, form, parts[1])
	}
	i := -1
	if n, err := strconv.Atoi(parts[len(parts)-1]); err == nil && len(parts) == 3 {
		i = n
	}
	return m.svc.RemoveItem(r.Context(), c, form, parts[1], i)
}

func (m *Module) review(w http.ResponseWriter, r *http.Request) error {
	c, p, form, done, err := m.draft(w, r)
	if done || err != nil {
		return err
	}
	return m.renderReview(w, r, c, p, form, http.StatusOK)
}

func (m *Module) renderReview(w http.ResponseWriter, r *http.Request, c *procedure.Case, p *procedure.Procedure, form *procedure.Form, status int) error {
	var steps []string
	for _, pg := range form.Pages {
		steps = append(steps, pg.Title)
	}
	steps = append(steps, m.s.Render.T(web.LangOf(r), "procedure.review.step"))
	invalid := form.FirstInvalidPage(c.Answers)
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.review.title")+" – "+p.Title, map[string]any{
		"Case": c, "Procedure": p, "Lines": summary(form, c.Answers), "Steps": steps, "Current": len(steps),
		"Invalid": invalid + 1, "EditPath": stepPath(c.ID, invalid+1), "LastStep": stepPath(c.ID, len(form.Pages)),
		"Deadline": p.DeadlineDays})
	m.s.Render.Page(w, r, status, "procedure/review", page)
	return nil
}

func (m *Module) submit(w http.ResponseWriter, r *http.Request) error {
	c, p, form, done, err := m.draft(w, r)
	if done || err != nil {
		return err
	}
	if err := m.svc.Submit(r.Context(), c, p, form, m.site(r)); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderReview(w, r, c, p, form, http.StatusUnprocessableEntity)
		}
		return err
	}
	return web.Redirect(w, r, casePath(c.ID)+"/recepisse")
}

func itoa(n int) string { return strconv.Itoa(n) }

// site is the collectivité's address, as the request reached it, and its
// time zone, for the emails a page sends.
func (m *Module) site(r *http.Request) procedure.Site {
	t := tenant.FromContext(r.Context())
	return procedure.Site{URL: m.s.SiteURL(r, t), Loc: t.Location()}
}
