package newsweb

import (
	"guichet/internal/capability/news"
	"guichet/internal/publishing/search"
)

// SearchKinds implements search.Searchable: items are indexed one by one
// as they are published.
func (c *Capability) SearchKinds() []search.Kind {
	return []search.Kind{{Name: news.Kind, Label: "publishing.kind.news"}}
}
