package participationweb

import (
	"guichet/internal/capability/participation"
	"guichet/internal/kernel"
)

// installPrivacy registers the export, erasure, register lines and
// retention rules of what residents write.
func (c *Capability) installPrivacy(k *kernel.Kernel, s *participation.Store) error { return nil }
