package procedureweb

import "guichet/internal/publishing/search"

// SearchKinds implements search.Searchable: the open procedures, the
// direct answer to "acte de naissance".
func (c *Capability) SearchKinds() []search.Kind { return []search.Kind{c.Store.SearchKind()} }
