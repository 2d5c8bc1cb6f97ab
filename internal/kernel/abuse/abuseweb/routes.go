package abuseweb

import (
	"net/http"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// Path is the console page of refusals.
const Path = "/console/limites"

// Routes registers the page and links it from /console.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Platform("GET "+Path, m.refusals, s.Staff(account.RoleOperator))
	s.Render.AddDecorator(addConsoleLink)
}

// consoleLink is an entry of the console's list of tools.
type consoleLink struct{ Key, Path string }

// addConsoleLink lists the page among the console's tools; pages are
// decorated twice (NewPage, then Page), hence the check.
func addConsoleLink(r *http.Request, p *web.Page) {
	if p.Path != "/console" || p.Extra["abuseweb.linked"] != nil {
		return
	}
	p.Extra["abuseweb.linked"] = true
	links, _ := p.Extra["consoleLinks"].([]any)
	p.Extra["consoleLinks"] = append(links, consoleLink{Key: "abuseweb.title", Path: Path})
}
