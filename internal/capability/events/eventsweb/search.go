package eventsweb

import (
	"guichet/internal/capability/events"
	"guichet/internal/publishing/search"
)

// SearchKinds implements search.Searchable: items are indexed one by one
// as they are published.
func (c *Capability) SearchKinds() []search.Kind {
	return []search.Kind{{Name: events.Kind, Label: "publishing.kind.event"}}
}
