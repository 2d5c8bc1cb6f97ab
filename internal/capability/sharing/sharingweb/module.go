// Package sharingweb serves the administrators' pages of the sharing
// capability (the accounts on other networks and the queue of posts) and
// the public page that shares a page of the site on the reader's own
// fediverse instance.
package sharingweb

import (
	"embed"
	"io/fs"

	"guichet/internal/capability/sharing"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages
var assets embed.FS

// QueuePath is the queue of posts; AccountsPath the accounts' settings.
const (
	QueuePath    = "/gestion/partage"
	AccountsPath = "/gestion/partage/comptes"
	SharePath    = "/partager"
)

// Module is the sharing web module.
type Module struct {
	s     *web.Server
	store *sharing.Store
}

// New returns the module.
func New(store *sharing.Store) *Module { return &Module{store: store} }

// Name implements web.Module.
func (m *Module) Name() string { return "sharing" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the sharing capability.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Site("GET /partager", m.shareForm)
	s.Site("POST /partager", m.share)

	admin := s.Staff(account.RoleAdmin)
	s.Site("GET /gestion/partage", m.queue, admin)
	s.Site("POST /gestion/partage/publications/{id}/valider", m.approve, admin)
	s.Site("POST /gestion/partage/publications/{id}/annuler", m.cancel, admin)
	s.Site("POST /gestion/partage/publications/{id}/renvoyer", m.retry, admin)
	s.Site("GET /gestion/partage/comptes", m.accounts, admin)
	s.Site("POST /gestion/partage/comptes", m.addAccount, admin)
	s.Site("POST /gestion/partage/comptes/{id}", m.updateAccount, admin)
	s.Site("POST /gestion/partage/comptes/{id}/tester", m.check, admin)
	s.Site("POST /gestion/partage/comptes/{id}/supprimer", m.deleteAccount, admin)
}
