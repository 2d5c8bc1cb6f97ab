package reportsweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// The staff's addresses below QueuePath.
const (
	categoryNewPath = CategoriesPath + "/nouvelle"
	figuresCSVPath  = FiguresPath + ".csv"
)

// staffRoutes adds the staff's queue and handling, the categories, the
// Open311 keys and the figures.
func (m *Module) staffRoutes(s *web.Server) {
	// Agents of a service that handles a category, and administrators:
	// each sees the reports of their scope only (scope).
	handling := []web.Middleware{s.Staff(account.RoleAgent), m.ofService}
	s.Site("GET "+QueuePath, m.queue, handling...)
	s.Site("GET "+QueuePath+"/{id}", m.staffReport, handling...)
	s.Site("POST "+QueuePath+"/{id}", m.change, handling...)
	s.Site("GET "+QueuePath+"/{id}/photos/{photo}", m.staffPhoto, handling...)
	s.Site("GET "+QueuePath+"/{id}/photos/{photo}/supprimer", m.photoDeleteForm, handling...)
	s.Site("POST "+QueuePath+"/{id}/photos/{photo}/supprimer", m.deletePhoto, handling...)

	admin := s.Staff(account.RoleAdmin)
	s.Site("GET "+CategoriesPath, m.categories, admin)
	s.Site("GET "+categoryNewPath, m.categoryNew, admin)
	s.Site("POST "+categoryNewPath, m.categoryCreate, admin)
	s.Site("GET "+CategoriesPath+"/{id}", m.categoryEdit, admin)
	s.Site("POST "+CategoriesPath+"/{id}", m.categoryUpdate, admin)
	s.Site("POST "+CategoriesPath+"/{id}/desactiver", m.categoryDeactivate, admin)
	s.Site("GET "+KeysPath, m.keys, admin)
	s.Site("POST "+KeysPath, m.keyCreate, admin)
	s.Site("POST "+KeysPath+"/{id}/revoquer", m.keyRevoke, admin)

	s.Site("GET "+FiguresPath, m.figures)
	s.Site("GET "+figuresCSVPath, m.figuresCSV)
}
