package participationweb

import "context"

// seedNotifications adds the notifications of the demo.
func (c *Capability) seedNotifications(ctx context.Context, d demoTown) error { return nil }
