package reports_test

import (
	"errors"
	"testing"

	"guichet/internal/capability/reports"
)

// TestAChangeOnAStaleReadIsRefused: an agent's change carries the
// length of the history they read; a note written meanwhile by someone
// else, even within the same second and leaving the status as it was,
// makes the change ErrChanged, and nothing is written.
func TestAChangeOnAStaleReadIsRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
		read, err := e.s.StaffReport(e.ctx, e.town, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.change(e.town, r.ID, "", "Un agent passe demain.")
		e.out.take()
		seen := len(read.Updates)
		_, err = e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.Fixed, By: "Agent", Seen: &seen})
		if !errors.Is(err, reports.ErrChanged) {
			t.Fatalf("a change on a stale read: %v", err)
		}
		now, err := e.s.StaffReport(e.ctx, e.town, r.ID)
		if err != nil || now.Status != reports.New || len(now.Updates) != seen+1 || len(e.out.take()) != 0 {
			t.Fatalf("the stale change wrote something: %+v, %v", now, err)
		}
		// Read again, the change goes through.
		seen = len(now.Updates)
		got, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.Fixed, By: "Agent", Seen: &seen})
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
