package publishingweb

import (
	"context"
	"testing"
	"time"

	"guichet/internal/kernel/invalidate"
)

// TestCacheDropsOnlyTheChangedTenant: an entry is loaded once, kept
// until a change to its collectivité's content or settings, and another
// collectivité's entries stay; a disabled cache loads every time.
func TestCacheDropsOnlyTheChangedTenant(t *testing.T) {
	bus := invalidate.New()
	c := NewCache("test-home", time.Hour, bus)
	loads := map[string]int{}
	get := func(tenantID, name string) {
		t.Helper()
		key := tenantID + "/" + name
		v, err := c.Get(tenantID, name, func() (any, error) { loads[key]++; return loads[key], nil })
		if err != nil || v != loads[key] {
			t.Fatalf("%s: %v, %v; want the last load", key, v, err)
		}
	}
	get("ville", "home/fr")
	get("ville", "home/fr")
	get("village", "home/fr")
	if loads["ville/home/fr"] != 1 {
		t.Fatalf("a kept entry was loaded %d times", loads["ville/home/fr"])
	}
	for _, kind := range []invalidate.Kind{invalidate.Content, invalidate.Tenant} {
		bus.Changed(context.Background(), invalidate.Change{Kind: kind, TenantID: "ville"})
		get("ville", "home/fr")
		get("village", "home/fr")
	}
	if loads["ville/home/fr"] != 3 || loads["village/home/fr"] != 1 {
		t.Errorf("after two changes to the town: %v; want the town loaded 3 times, the village once", loads)
	}
	bus.Changed(context.Background(), invalidate.Change{Kind: invalidate.Agenda, TenantID: "ville"})
	get("ville", "home/fr")
	if loads["ville/home/fr"] != 3 {
		t.Errorf("a change the cache does not hold dropped it: %v", loads)
	}
	c.Disable()
	get("village", "home/fr")
	get("village", "home/fr")
	if loads["village/home/fr"] != 3 {
		t.Errorf("a disabled cache kept its entry: %v", loads)
	}
}
