package questionsweb

import (
	"guichet/internal/capability/questions"
	"guichet/internal/publishing/search"
)

// SearchKinds implements search.Searchable: items are indexed one by one
// as they are published.
func (c *Capability) SearchKinds() []search.Kind {
	return []search.Kind{{Name: questions.KindQuestion, Label: "publishing.kind.question"}}
}
