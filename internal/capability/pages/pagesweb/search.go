package pagesweb

import (
	"guichet/internal/capability/pages"
	"guichet/internal/publishing/search"
)

// SearchKinds implements search.Searchable: items are indexed one by one
// as they are published.
func (c *Capability) SearchKinds() []search.Kind {
	return []search.Kind{{Name: pages.Kind, Label: "publishing.kind.page", Boost: 130}}
}
