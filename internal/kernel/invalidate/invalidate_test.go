package invalidate

import (
	"context"
	"reflect"
	"testing"
)

type recorder struct{ got []Change }

func (r *recorder) Send(_ context.Context, c Change) { r.got = append(r.got, c) }

func TestChangedReachesEveryCacheHoldingTheKind(t *testing.T) {
	t.Parallel()
	b := New()
	var tenants, content, both []Change
	b.Register(Cache{Name: "tenants", Holds: []Kind{Tenant}, Drop: func(c Change) { tenants = append(tenants, c) }})
	b.Register(Cache{Name: "content", Holds: []Kind{Content}, Drop: func(c Change) { content = append(content, c) }})
	b.Register(Cache{Name: "both", Holds: []Kind{Tenant, Content}, Drop: func(c Change) { both = append(both, c) }})
	relay := &recorder{}
	b.SetRelay(relay)

	change := Change{Kind: Tenant, TenantID: "t1"}
	b.Changed(context.Background(), change)
	if len(tenants) != 1 || len(both) != 1 || len(content) != 0 {
		t.Fatalf("tenant change reached tenants %d, both %d, content %d times; want 1, 1, 0", len(tenants), len(both), len(content))
	}
	if !reflect.DeepEqual(relay.got, []Change{change}) {
		t.Errorf("relay got %v, want %v", relay.got, []Change{change})
	}

	b.Receive(Change{Kind: Content, TenantID: "t2"})
	if len(content) != 1 || !content[0].Remote || len(relay.got) != 1 {
		t.Errorf("a received change must reach the caches marked remote and not go back out: %v, relay %v", content, relay.got)
	}
}

func TestRegisterAgainReplaces(t *testing.T) {
	t.Parallel()
	b := New()
	calls := 0
	b.Register(Cache{Name: "one", Holds: []Kind{Agenda}, Drop: func(Change) { calls += 10 }})
	b.Register(Cache{Name: "one", Holds: []Kind{Agenda}, Drop: func(Change) { calls++ }})
	b.Changed(context.Background(), Change{Kind: Agenda})
	if calls != 1 || len(b.Caches()) != 1 {
		t.Errorf("calls %d, caches %d; want the second registration alone", calls, len(b.Caches()))
	}
}

func TestTouches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c           Change
		tenant, key string
		want        bool
	}{
		{Change{TenantID: "a"}, "a", "x", true},
		{Change{TenantID: "a"}, "b", "x", false},
		{Change{}, "b", "x", true},
		{Change{TenantID: "a", Key: "x"}, "a", "x", true},
		{Change{TenantID: "a", Key: "x"}, "a", "y", false},
		{Change{TenantID: "a", Key: "x"}, "a", "", true},
		{Change{TenantID: "a", Key: "x"}, "b", "", false},
	} {
		if got := tc.c.Touches(tc.tenant, tc.key); got != tc.want {
			t.Errorf("%+v.Touches(%q, %q) = %v, want %v", tc.c, tc.tenant, tc.key, got, tc.want)
		}
	}
}

func TestRegisterRefusesAnIncompleteCache(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("a cache without what it holds was registered")
		}
	}()
	New().Register(Cache{Name: "x", Drop: func(Change) {}})
}

func TestDropAllReachesEveryCacheAsRemote(t *testing.T) {
	t.Parallel()
	b := New()
	got := map[string][]Change{}
	for _, c := range []Cache{{Name: "a", Holds: []Kind{Tenant}}, {Name: "b", Holds: []Kind{Content, Bookings}}} {
		name := c.Name
		c.Drop = func(ch Change) { got[name] = append(got[name], ch) }
		b.Register(c)
	}
	relay := &recorder{}
	b.SetRelay(relay)
	b.DropAll()
	if len(got["a"]) != 1 || len(got["b"]) != 2 {
		t.Fatalf("DropAll reached a %d and b %d times; want once per kind held: %v", len(got["a"]), len(got["b"]), got)
	}
	for _, ch := range append(got["a"], got["b"]...) {
		if !ch.Remote || ch.TenantID != "" || ch.Key != "" {
			t.Errorf("DropAll sent %+v; want a remote change of every collectivité and key", ch)
		}
	}
	if len(relay.got) != 0 {
		t.Errorf("DropAll must not go out to the other nodes: %v", relay.got)
	}
}
