package participationweb

import "guichet/internal/kernel/web"

// discussionRoutes: the spaces and their discussions.
func (m *Module) discussionRoutes(s *web.Server) {}
