package appointmentweb

import "guichet/internal/publishing/search"

// SearchKinds implements search.Searchable: the kinds of appointment, the
// direct answer to "passeport".
func (c *Capability) SearchKinds() []search.Kind { return []search.Kind{c.Store.SearchKind()} }
