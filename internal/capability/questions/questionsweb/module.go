// Package questionsweb serves the questions residents ask and the answers
// their collectivité publishes: the public list, search and pages, the
// form with its emailed check, and the moderators' back office.
package questionsweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/questions"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages
var assets embed.FS

// Module is the questions web module.
type Module struct {
	s     *web.Server
	store *questions.Store
}

// New returns the module.
func New(store *questions.Store) *Module { return &Module{store: store} }

// Name implements web.Module.
func (m *Module) Name() string { return "questions" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of questions.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "questions.nav", Path: "/questions", Order: 80})
	s.AddSitemap(m.sitemap)

	s.Site("GET /questions", m.questions)
	s.Site("GET /questions/poser", m.askForm)
	s.Site("POST /questions/poser", m.ask)
	s.Site("GET /questions/verifier/{token}", m.verifyForm)
	s.Site("POST /questions/verifier/{token}", m.verifyQuestion)
	s.Site("GET /questions/{id}", m.question)

	moderator := s.Staff(account.RoleModerator)
	s.Site("GET /gestion/questions", m.adminQuestions, moderator)
	s.Site("POST /gestion/questions/publication", m.savePost, moderator)
	s.Site("GET /gestion/questions/{id}", m.answerForm, moderator)
	s.Site("POST /gestion/questions/{id}", m.answer, moderator)
}

// sitemap lists the public pages of questions (the lists link to the
// answers).
func (m *Module) sitemap(_ context.Context, _ *tenant.Tenant) ([]string, error) {
	return []string{"/questions", "/questions/poser"}, nil
}

// loc returns the request's collectivité's time zone.
func (m *Module) loc(r *http.Request) *time.Location {
	return tenant.FromContext(r.Context()).Location()
}

// baseURL is the collectivité's absolute address, for links in mail.
func (m *Module) baseURL(r *http.Request) string {
	return m.s.SiteURL(r, tenant.FromContext(r.Context()))
}

func langOf(r *http.Request) string { return web.LangOf(r) }

// author names the signed-in moderator in answers.
func author(r *http.Request) string {
	id := account.FromContext(r.Context())
	if id == nil {
		return ""
	}
	if id.Name != "" {
		return id.Name
	}
	return id.Email
}

// message shows a one-paragraph page (a confirmation, an outcome).
func (m *Module) message(w http.ResponseWriter, r *http.Request, titleKey, textKey string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"TextKey": textKey})
	p.Title = p.T(titleKey)
	m.s.Render.Page(w, r, http.StatusOK, "questions/message", p)
	return nil
}

func seeOther(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// option is one choice of a select or radio list.
type option struct{ Value, Label string }
