package participationweb

import "guichet/internal/kernel/web"

// moderationRoutes: the charter, reports and appeals, the moderators'
// queue and the spaces' settings.
func (m *Module) moderationRoutes(s *web.Server) {}
