package reportsweb

import "guichet/internal/kernel"

// open311Isolation are the isolation rows of the Open311 endpoint.
func (c *Capability) open311Isolation() []kernel.IsolationRow { return nil }
