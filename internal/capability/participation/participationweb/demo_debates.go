package participationweb

import "context"

// seedDebates adds the debates of the demo.
func (c *Capability) seedDebates(ctx context.Context, d demoTown) error { return nil }
