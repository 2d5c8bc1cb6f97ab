package participationweb

import (
	"guichet/internal/capability/participation"
	"guichet/internal/kernel"
	"guichet/internal/kernel/web"
)

// notificationRoutes: the notification centre and private messages.
func (m *Module) notificationRoutes(s *web.Server) {}

// installNotifications registers the digests' periodic run.
func (c *Capability) installNotifications(k *kernel.Kernel, s *participation.Store) error { return nil }
