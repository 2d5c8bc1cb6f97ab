// Package privacyweb serves the personal-data side of every site: the
// page that explains data protection with the collectivité's register of
// processing activities (also as CSV and JSON), the form to exercise one's
// rights, and the administrators' list of those requests.
package privacyweb

import (
	"embed"
	"io/fs"

	"guichet/internal/privacy"
	"guichet/internal/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the personal-data web module.
type Module struct {
	s        *web.Server
	register *privacy.Register
}

// New returns the module showing register's activities.
func New(register *privacy.Register) *Module {
	return &Module{register: register}
}

// Name implements web.Module.
func (m *Module) Name() string { return "privacyweb" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }
