// Package abuseweb is the operator console's page of the abuse limits:
// the attempts they refused lately (when, collectivité, action, which
// limit, the client's address /64, a masked email) and the limits in force.
package abuseweb

import (
	"embed"
	"io/fs"

	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the refusals console's web module.
type Module struct {
	s   *web.Server
	log *abuse.Log
}

// New returns the module listing the refusals of log.
func New(log *abuse.Log) *Module { return &Module{log: log} }

// Name implements web.Module.
func (m *Module) Name() string { return "abuseweb" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }
