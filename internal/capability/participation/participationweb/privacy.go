package participationweb

import (
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
)

// installPrivacy registers the export, erasure, register lines and
// retention rules of what residents write, vote and send one another.
func (c *Capability) installPrivacy(k *kernel.Kernel, s *participation.Store) error {
	k.Accounts.RegisterExporter("participation", s.Export)
	k.Accounts.RegisterEraser(account.Eraser{Name: "participation", Effect: "participation.privacy.erase", Erase: s.Erase})
	return k.AddPrivacy(s.Processing(), s.RetentionRules())
}
