package participationweb

import "context"

// seedPolls adds the polls of the demo.
func (c *Capability) seedPolls(ctx context.Context, d demoTown) error { return nil }
