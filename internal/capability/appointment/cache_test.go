package appointment

import (
	"testing"
	"time"

	"guichet/internal/kernel/invalidate"
)

// TestDefinitionsKeepNoLoadOlderThanADrop: what a load read before a
// change was announced is not kept after it (it may predate the change),
// for the services' list as for one agenda; a change elsewhere does not
// drop the list; what a load read after the last change is kept.
func TestDefinitionsKeepNoLoadOlderThanADrop(t *testing.T) {
	t.Parallel()
	var c definitions
	now := time.Now()
	list := agendaList{agendas: []*Agenda{{ID: "a1", TenantID: "t1", Slug: "etat-civil"}}, at: now}
	one := &cachedAgenda{agenda: list.agendas[0], at: now}

	gen := c.generation()
	c.drop(invalidate.Change{Kind: invalidate.Agenda, TenantID: "t1", Key: "a1"})
	c.putList("t1", list, gen)
	c.put(one, gen)
	if _, ok := c.list("t1", now); ok {
		t.Error("a list loaded before a change was kept after it")
	}
	if c.get("t1/a1", now) != nil {
		t.Error("an agenda loaded before a change was kept after it")
	}

	gen = c.generation()
	c.putList("t1", list, gen)
	c.put(one, gen)
	if got, ok := c.list("t1", now); !ok || len(got) != 1 || c.get("t1/etat-civil", now) == nil {
		t.Fatal("what was loaded after the last change is not kept")
	}
	c.drop(invalidate.Change{Kind: invalidate.Agenda, TenantID: "t2"})
	if _, ok := c.list("t1", now); !ok {
		t.Error("a change to another collectivité dropped the list")
	}
	c.drop(invalidate.Change{Kind: invalidate.Agenda, TenantID: "t1", Key: "another-agenda"})
	if _, ok := c.list("t1", now); ok {
		t.Error("a change to another agenda of the collectivité left its list, which shows every agenda")
	}
	if _, ok := c.list("t1", now.Add(agendaTTL+time.Second)); ok {
		t.Error("the list outlived its lifetime, which bounds how long another process's change goes unseen")
	}
}
