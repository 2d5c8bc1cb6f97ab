package web

import (
	"context"
	"log/slog"
	"testing"

	"guichet/internal/kernel/invalidate"
)

// TestPageMemoDropsAChangedCollectivité checks that a change to one
// collectivité, announced on the seam, drops its memoized pages only.
func TestPageMemoDropsAChangedCollectivité(t *testing.T) {
	r := NewRenderer(slog.New(slog.DiscardHandler))
	bus := invalidate.New()
	r.JoinChanges(bus)
	r.memo.pages[1] = &memoPage{key: "home", tenantID: "town"}
	r.memo.pages[2] = &memoPage{key: "home", tenantID: "village"}
	bus.Changed(context.Background(), invalidate.Change{Kind: invalidate.Tenant, TenantID: "town"})
	if _, ok := r.memo.pages[1]; ok {
		t.Error("the changed collectivité's page is still kept")
	}
	if _, ok := r.memo.pages[2]; !ok {
		t.Error("another collectivité's page was dropped")
	}
}
