package account

import (
	"slices"
	"testing"
	"time"

	"guichet/internal/kernel/invalidate"
)

// TestIdentityCacheDropsWhatAChangeTouches checks each kind of change
// against sessions of two users in two collectivités.
func TestIdentityCacheDropsWhatAChangeTouches(t *testing.T) {
	now := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	sessions := []Identity{
		{TenantID: "town", UserID: "ana", SessionID: "s1"},
		{TenantID: "town", UserID: "ana", SessionID: "s2"},
		{TenantID: "town", UserID: "bob", SessionID: "s3"},
		{TenantID: "village", UserID: "ana", SessionID: "s4"},
	}
	for _, tc := range []struct {
		change invalidate.Change
		kept   []string
	}{
		{invalidate.Change{Kind: invalidate.Session, TenantID: "town", Key: "s1"}, []string{"s2", "s3", "s4"}},
		{invalidate.Change{Kind: invalidate.Accounts, TenantID: "town", Key: "ana"}, []string{"s3", "s4"}},
		{invalidate.Change{Kind: invalidate.Accounts, TenantID: "village"}, []string{"s1", "s2", "s3"}},
		{invalidate.Change{Kind: invalidate.Accounts}, nil},
	} {
		var c identityCache
		for _, id := range sessions {
			c.put(c.generation(), cachedIdentity{id: id, idleUntil: now.Add(time.Hour), expires: now.Add(time.Hour), loaded: now})
		}
		gen := c.generation()
		c.drop(tc.change)
		var kept []string
		for _, id := range sessions {
			if _, ok := c.get(id.TenantID, id.SessionID, now); ok {
				kept = append(kept, id.SessionID)
			}
		}
		if !slices.Equal(kept, tc.kept) {
			t.Errorf("%+v kept %v, want %v", tc.change, kept, tc.kept)
		}
		if c.generation() == gen {
			t.Errorf("%+v: a load under way could put back what it dropped", tc.change)
		}
	}
}
