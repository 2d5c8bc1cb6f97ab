package participationweb

import "guichet/internal/kernel/web"

// debateRoutes: the debates and their arguments.
func (m *Module) debateRoutes(s *web.Server) {}
