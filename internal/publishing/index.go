package publishing

import (
	"context"

	"guichet/internal/kernel/db"
	"guichet/internal/publishing/search"
)

// Index puts an item in the search index when public, or takes it out,
// in tx: the transaction that writes the item's row (and the jobs its
// publication queues), so that search never finds what is not public nor
// misses what is. Publishers call it on every write of an item.
func Index(ctx context.Context, tx *db.Tx, public bool, d search.Doc) error {
	if !public {
		return search.Remove(ctx, tx, d.TenantID, d.Kind, d.ID)
	}
	return search.Put(ctx, tx, d)
}
