// Package mailbox is the operator console's view of the email outbox: every
// message with its status and attempts, a preview of each with its secret
// links masked (shown in full in demo mode only, where the console is the
// only way to read them), and a form to send a test message.
package mailweb

import (
	"embed"
	"io/fs"
	"net/http"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the outbox console's web module.
type Module struct {
	s      *web.Server
	outbox *mail.Outbox
	demo   bool
}

// New returns the module showing outbox. In demo mode (demo true, mail
// never leaves) previews show their links in full, so that demo users can
// follow their verification links; otherwise secret links are masked.
func New(outbox *mail.Outbox, demo bool) *Module { return &Module{outbox: outbox, demo: demo} }

// Name implements web.Module.
func (m *Module) Name() string { return "mailbox" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// ConsoleLink is an entry of the operator console's list of tools.
type ConsoleLink struct{ Key, Path string }

// Routes registers the console pages and links them from /console.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	op := s.Staff(account.RoleOperator)
	s.Platform("GET /console/courriels", m.list, op)
	s.Platform("POST /console/courriels/test", m.sendTest, op)
	s.Platform("GET /console/courriels/{tenant}/{id}", m.show, op)
	s.Render.AddDecorator(addConsoleLink)
}

// addConsoleLink lists the outbox among the console's tools; pages are
// decorated twice (NewPage, then Page), hence the check.
func addConsoleLink(r *http.Request, p *web.Page) {
	if p.Path != "/console" || p.Extra["mailbox.linked"] != nil {
		return
	}
	p.Extra["mailbox.linked"] = true
	links, _ := p.Extra["consoleLinks"].([]any)
	p.Extra["consoleLinks"] = append(links, ConsoleLink{Key: "mailbox.title", Path: "/console/courriels"})
}
