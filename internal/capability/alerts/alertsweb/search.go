package alertsweb

import "guichet/internal/publishing/search"

// SearchKinds implements search.Searchable: the current alerts ("coupure").
func (c *Capability) SearchKinds() []search.Kind { return []search.Kind{c.Store.SearchKind()} }
