package kernel

import (
	"context"
	"html/template"
	"time"
)

// Reply is an answer from elsewhere (the fediverse) to a published item,
// approved by the collectivité's moderators, as the item's page shows it.
type Reply struct {
	// AuthorName and AuthorURL name who wrote it and link to them.
	AuthorName, AuthorURL string
	// Content is the reply's HTML, already sanitised.
	Content   template.HTML
	Published time.Time
	// ReportURL is where a reader reports it (empty: no link).
	ReportURL string
}

// RepliesSource is a capability showing replies under other capabilities'
// items (the fediverse).
type RepliesSource interface {
	Capability
	// RepliesTo lists the approved replies to the item of kind ("news")
	// and id, oldest first.
	RepliesTo(ctx context.Context, tenantID, kind, id string) ([]Reply, error)
}

// Replies lists the approved replies to an item, from the installed
// capability that receives them; none when no such capability is
// installed. Capabilities showing items ask it; they never know who
// answers.
func (k *Kernel) Replies(ctx context.Context, tenantID, kind, id string) ([]Reply, error) {
	for _, c := range k.installed {
		if s, ok := c.(RepliesSource); ok {
			return s.RepliesTo(ctx, tenantID, kind, id)
		}
	}
	return nil, nil
}
