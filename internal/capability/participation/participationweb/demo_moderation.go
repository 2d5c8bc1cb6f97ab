package participationweb

import "context"

// seedModeration adds the moderation of the demo.
func (c *Capability) seedModeration(ctx context.Context, d demoTown) error { return nil }
