// Package procedure is the web side of online procedures: the resident's
// pages (start, fill page by page, review, file, receipt, "Mes
// démarches", messages), the agents' inbox and case pages, the
// administrators' form builder, and the JSON API.
package procedureweb

import (
	"embed"
	"guichet/internal/kernel"
	"io/fs"
	"log/slog"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/web"
)

//go:embed templates templates/_*.html messages mail api
var assets embed.FS

// Module is the procedures web module.
type Module struct {
	store   *procedure.Store
	staff   *staff.Store
	mail    mail.Enqueuer
	letters *procedure.Letters
	// Links gives a collectivité's address, for emails sent by jobs.
	Links kernel.Links
	s     *web.Server
	log   *slog.Logger
}

// New returns the module.
func New(store *procedure.Store, staffStore *staff.Store, mailer mail.Enqueuer) *Module {
	return &Module{store: store, staff: staffStore, mail: mailer, letters: &procedure.Letters{}}
}

// Name implements web.Module; emails are named "procedure/<template>".
func (m *Module) Name() string { return "procedure" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Paths other modules link to.
const (
	ListPath    = "/demarches"
	MinePath    = "/mes-demarches"
	InboxPath   = "/gestion/dossiers"
	AdminPath   = "/gestion/demarches"
	RepliesPath = "/gestion/reponses-types"
)
