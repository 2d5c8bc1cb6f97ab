package a11yweb

import (
	"net/http"
	"strconv"
)

// galleryView feeds the component gallery with sample values.
type galleryView struct {
	Options, Services []option
	Crumbs            []crumb
	Steps             []string
	Page              int
}

type crumb struct{ Label, URL string }

// gallery shows every component in its states, for developers and for the
// browser tests, which check it like any page.
func (m *Module) gallery(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("a11y.gallery_title")
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 || page > 5 {
		page = 2
	}
	p.Data = galleryView{
		Options: []option{{"courrier", p.T("a11y.g_opt_mail")}, {"courriel", p.T("a11y.g_opt_email")},
			{"telephone", p.T("a11y.g_opt_phone")}},
		Services: []option{{"etat-civil", p.T("a11y.g_svc_civil")}, {"urbanisme", p.T("a11y.g_svc_planning")},
			{"ecoles", p.T("a11y.g_svc_schools")}},
		Crumbs: []crumb{{p.T("a11y.g_home"), "/"}, {p.T("a11y.gallery_title"), "/composants"}},
		Steps:  []string{p.T("a11y.g_step1"), p.T("a11y.g_step2"), p.T("a11y.g_step3"), p.T("a11y.g_step4")},
		Page:   page,
	}
	p.Form = map[string][]string{"g-name": {"Camille Martin"}, "g-contact": {"courriel"},
		"g-services": {"etat-civil", "ecoles"}, "g-email": {"camille@exemple"}}
	p.Errors = map[string]string{"g-email": p.T("a11y.g_err_email"), "g-choice": p.T("a11y.g_err_choice")}
	m.s.Render.Page(w, r, http.StatusOK, "a11yweb/gallery", p)
	return nil
}
