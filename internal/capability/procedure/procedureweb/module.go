// Package procedure is the web side of online procedures: the resident's
// pages (start, fill page by page, review, file, receipt, "Mes
// démarches", messages), the agents' inbox and case pages, the
// administrators' form builder, and the JSON API.
package procedureweb

import (
	"embed"
	"io/fs"
	"log/slog"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/web"
)

//go:embed templates templates/_*.html messages api static
var assets embed.FS

// Module is the procedures web module.
type Module struct {
	svc     *procedure.Service
	store   *procedure.Store
	staff   *staff.Store
	letters *procedure.Letters
	s       *web.Server
	log     *slog.Logger
}

// New returns the module, whose pages run svc's workflows.
func New(svc *procedure.Service, staffStore *staff.Store) *Module {
	return &Module{svc: svc, store: svc.Store(), staff: staffStore, letters: &procedure.Letters{}}
}

// Name implements web.Module; emails are named "procedure/<template>".
func (m *Module) Name() string { return "procedure" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Paths other modules link to.
const (
	ListPath    = "/demarches"
	MinePath    = "/mes-demarches"
	InboxPath   = procedure.InboxPath
	AdminPath   = "/gestion/demarches"
	RepliesPath = "/gestion/reponses-types"
)
