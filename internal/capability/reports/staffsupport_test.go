package reports_test

import (
	"errors"
	"testing"
	"time"

	"guichet/internal/capability/reports"
)

// TestAChangeOnAStaleReadIsRefused: an agent's change carries the
// UpdatedAt they read; a note written meanwhile by someone else, which
// leaves the status as it was, still makes the change ErrChanged, and
// nothing is written.
func TestAChangeOnAStaleReadIsRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
		read, err := e.s.StaffReport(e.ctx, e.town, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.advance(time.Minute)
		e.change(e.town, r.ID, "", "Un agent passe demain.")
		e.out.take()
		e.advance(time.Minute)
		_, err = e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.Fixed, By: "Agent", Seen: read.UpdatedAt})
		if !errors.Is(err, reports.ErrChanged) {
			t.Fatalf("a change on a stale read: %v", err)
		}
		now, err := e.s.StaffReport(e.ctx, e.town, r.ID)
		if err != nil || now.Status != reports.New || len(now.Updates) != 2 || len(e.out.take()) != 0 {
			t.Fatalf("the stale change wrote something: %+v, %v", now, err)
		}
		// Read again, the change goes through.
		got, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.Fixed, By: "Agent", Seen: now.UpdatedAt})
		if err != nil || got.Status != reports.Fixed {
			t.Fatalf("a change on a fresh read: %+v, %v", got, err)
		}
	})
}

// TestFollowerCount counts the confirmed followers of a report only, of
// the collectivité asked.
func TestFollowerCount(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
		e.follow(r.ID, "voisine@exemple.fr", "fr")
		e.follow(r.ID, "voisin@exemple.fr", "en")
		if _, err := e.s.Follow(e.ctx, e.town, r.ID, "attente@exemple.fr", "fr"); err != nil {
			t.Fatal(err)
		}
		if n, err := e.s.FollowerCount(e.ctx, e.town, r.ID); err != nil || n != 2 {
			t.Errorf("followers: %d, %v; want 2", n, err)
		}
		if n, err := e.s.FollowerCount(e.ctx, e.vill, r.ID); err != nil || n != 0 {
			t.Errorf("followers seen from the village: %d, %v", n, err)
		}
	})
}
