package reports_test

import (
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/publishing"
)

// TestPublicList: the confirmed reports, open or fixed and closed within
// 30 days, newest first, page after page without a gap or a repeat;
// never their authors.
func TestPublicList(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		road := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		light := e.category(e.town, "eclairage-panne", "technique", "")
		var want []string // newest first
		add := func(c *reports.Category, st reports.Status) *reports.Report {
			e.advance(time.Minute)
			r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
			if st != reports.New {
				e.change(e.town, r.ID, st, "")
			}
			return r
		}
		old := add(road, reports.Fixed) // fixed 31 days before the list is read
		e.advance(24 * time.Hour)
		oldClosed := add(light, reports.Closed)
		e.advance(30*24*time.Hour - 2*time.Minute)
		for i := range 7 {
			st := []reports.Status{reports.New, reports.Acknowledged, reports.InProgress, reports.Fixed, reports.Closed}[i%5]
			c := road
			if i%2 == 1 {
				c = light
			}
			want = append([]string{add(c, st).ID}, want...)
		}
		dup := add(road, reports.New)
		if _, err := e.s.Change(e.ctx, e.town, dup.ID, reports.Change{Status: reports.Duplicate, DuplicateOf: want[0], By: "Agent"}); err != nil {
			t.Fatal(err)
		}
		e.submit(e.town, draft(road, 0, "attente@exemple.fr"))
		e.advance(time.Hour)
		var got []string
		var after publishing.Cursor
		for page := 0; page < 10; page++ {
			list, next, err := e.s.PublicList(e.ctx, e.town, reports.PublicFilter{After: publishing.ParseCursor(after.String()), Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list {
				if r.Contact != (reports.Contact{}) || r.AccountID != "" {
					t.Errorf("the public list shows %s's author", r.Reference)
				}
				got = append(got, r.ID)
			}
			if next.ID == "" {
				break
			}
			after = next
		}
		if len(got) != len(want) {
			t.Fatalf("listed %d, want %d (old fixed %s, old closed %s)", len(got), len(want), old.ID, oldClosed.ID)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("position %d: %s, want %s", i, got[i], want[i])
			}
		}
		lights, _, _ := e.s.PublicList(e.ctx, e.town, reports.PublicFilter{CategoryID: light.ID})
		fixedLights, _, _ := e.s.PublicList(e.ctx, e.town, reports.PublicFilter{CategoryID: light.ID, Status: reports.Fixed})
		closedRoads, _, _ := e.s.PublicList(e.ctx, e.town, reports.PublicFilter{CategoryID: road.ID, Status: reports.Closed})
		if len(lights) != 3 || len(fixedLights) != 1 || fixedLights[0].ID != want[3] || len(closedRoads) != 1 || closedRoads[0].ID != want[2] {
			t.Errorf("%d lights, fixed lights %v, closed roads %v", len(lights), fixedLights, closedRoads)
		}
		if _, _, err := e.s.PublicList(e.ctx, e.town, reports.PublicFilter{Status: reports.Duplicate}); code(err) != guichet.EInvalid {
			t.Errorf("duplicates listed: %v", err)
		}
		if none, _, _ := e.s.PublicList(e.ctx, e.vill, reports.PublicFilter{}); len(none) != 0 {
			t.Errorf("the village lists the town's: %v", none)
		}
	})
}

// TestMap: the points in the frame, as the list shows them, capped.
func TestMap(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		road := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		light := e.category(e.town, "eclairage-panne", "technique", "")
		in := e.confirmed(e.town, draft(road, 100, "a@exemple.fr"))
		e.confirmed(e.town, draft(road, 5000, "b@exemple.fr"))
		e.advance(time.Minute) // the newest first
		lit := e.confirmed(e.town, draft(light, -100, "c@exemple.fr"))
		frame := reports.Box{South: centreLat - 0.01, West: centreLon - 0.01, North: centreLat + 0.01, East: centreLon + 0.01}
		pts, truncated, err := e.s.MapPoints(e.ctx, e.town, frame, "")
		if err != nil || truncated || len(pts) != 2 || pts[0].ID != lit.ID || pts[1].ID != in.ID || pts[1].Reference != in.Reference {
			t.Fatalf("points: %+v, %v, %v", pts, truncated, err)
		}
		if pts, _, _ := e.s.MapPoints(e.ctx, e.town, frame, road.ID); len(pts) != 1 || pts[0].ID != in.ID {
			t.Errorf("roads: %+v", pts)
		}
		if pts, _, _ := e.s.MapPoints(e.ctx, e.vill, frame, ""); len(pts) != 0 {
			t.Errorf("the village's map: %+v", pts)
		}
		sp := spread{tenantID: e.town, categories: []string{road.ID}, n: reports.MaxMapPoints + 200, side: 500, at: e.clock(), seed: 1}
		if err := sp.insert(e.ctx, e.d); err != nil {
			t.Fatal(err)
		}
		pts, truncated, err = e.s.MapPoints(e.ctx, e.town, frame, "")
		if err != nil || !truncated || len(pts) != reports.MaxMapPoints {
			t.Errorf("a full map: %d points, %v, %v", len(pts), truncated, err)
		}
	})
}

// TestQueue: an agent sees the reports of the categories routed to their
// services, oldest first; an administrator sees all; the counts follow
// the same scope.
func TestQueue(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		road := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		tags := e.category(e.town, "proprete-tags", "proprete", "")
		r1 := e.confirmed(e.town, draft(road, 0, "a@exemple.fr"))
		e.advance(time.Minute)
		t1 := e.confirmed(e.town, draft(tags, 0, "b@exemple.fr"))
		e.advance(time.Minute)
		r2 := e.confirmed(e.town, draft(road, 0, "c@exemple.fr"))
		e.advance(time.Minute)
		r3 := e.confirmed(e.town, draft(road, 0, "d@exemple.fr"))
		e.change(e.town, r3.ID, reports.Fixed, "")
		e.submit(e.town, draft(road, 0, "e@exemple.fr"))
		ids := func(f reports.QueueFilter) []string {
			t.Helper()
			list, _, err := e.s.Queue(e.ctx, e.town, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range list {
				out = append(out, r.ID)
			}
			return out
		}
		agent := reports.Scope{Services: []string{"technique", "accueil"}}
		for name, c := range map[string]struct {
			f    reports.QueueFilter
			want []string
		}{
			"agent":       {reports.QueueFilter{Scope: agent}, []string{r1.ID, r2.ID}},
			"admin":       {reports.QueueFilter{Scope: reports.Scope{All: true}}, []string{r1.ID, t1.ID, r2.ID}},
			"no service":  {reports.QueueFilter{}, nil},
			"fixed":       {reports.QueueFilter{Scope: agent, Status: reports.Fixed}, []string{r3.ID}},
			"category":    {reports.QueueFilter{Scope: reports.Scope{All: true}, CategoryID: tags.ID}, []string{t1.ID}},
			"second page": {reports.QueueFilter{Scope: agent, After: publishing.Cursor{At: r1.CreatedAt, ID: r1.ID}}, []string{r2.ID}},
		} {
			if got := ids(c.f); len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) || (len(got) > 1 && got[1] != c.want[1]) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		list, _, _ := e.s.Queue(e.ctx, e.town, reports.QueueFilter{Scope: agent})
		if list[0].Contact.Email != "a@exemple.fr" {
			t.Errorf("the queue hides the contact: %+v", list[0])
		}
		counts, err := e.s.StatusCounts(e.ctx, e.town, agent)
		if err != nil || counts[reports.New] != 2 || counts[reports.Fixed] != 1 || len(counts) != 2 {
			t.Errorf("agent's counts: %v, %v", counts, err)
		}
		if counts, _ := e.s.StatusCounts(e.ctx, e.town, reports.Scope{All: true}); counts[reports.New] != 3 {
			t.Errorf("admin's counts: %v", counts)
		}
		if counts, _ := e.s.StatusCounts(e.ctx, e.vill, reports.Scope{All: true}); len(counts) != 0 {
			t.Errorf("the village's counts: %v", counts)
		}
	})
}

// TestMine: an account's reports, confirmed or not, newest first.
func TestMine(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		d := draft(c, 0, "compte@exemple.fr")
		d.AccountID, d.EmailVerified = "u-1", true
		first, _ := e.submit(e.town, d)
		e.advance(time.Minute)
		d.EmailVerified = false
		second, _ := e.submit(e.town, d)
		e.submit(e.town, draft(c, 0, "autre@exemple.fr"))
		mine, err := e.s.Mine(e.ctx, e.town, "u-1", 10)
		if err != nil || len(mine) != 2 || mine[0].ID != second.ID || mine[1].ID != first.ID {
			t.Errorf("mine: %v, %v", mine, err)
		}
		if none, _ := e.s.Mine(e.ctx, e.vill, "u-1", 10); len(none) != 0 {
			t.Errorf("the village's: %v", none)
		}
	})
}

// TestRequests: Open311's selection, by ids or by categories, statuses
// and window, newest first, without authors or unconfirmed reports.
func TestRequests(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		road := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		light := e.category(e.town, "eclairage-panne", "technique", "")
		start := e.clock()
		old := e.confirmed(e.town, draft(road, 0, "a@exemple.fr"))
		e.advance(24 * time.Hour)
		r1 := e.confirmed(e.town, draft(road, 0, "b@exemple.fr"))
		e.advance(time.Minute)
		l1 := e.confirmed(e.town, draft(light, 0, "c@exemple.fr"))
		e.change(e.town, l1.ID, reports.Fixed, "")
		e.advance(time.Minute)
		r2 := e.confirmed(e.town, draft(road, 0, "d@exemple.fr"))
		waiting, _ := e.submit(e.town, draft(road, 0, "e@exemple.fr"))
		ids := func(list []*reports.Report) string {
			var out []string
			for _, r := range list {
				if r.Contact.Email != "" {
					t.Errorf("%s shows its author", r.Reference)
				}
				out = append(out, r.ID)
			}
			return strings.Join(out, " ")
		}
		window := reports.RequestFilter{From: start.Add(time.Hour), To: e.clock()}
		for name, c := range map[string]struct {
			f    reports.RequestFilter
			want []string
		}{
			"window":   {window, []string{r2.ID, l1.ID, r1.ID}},
			"open":     {reports.RequestFilter{From: window.From, To: window.To, Statuses: reports.OpenStatuses}, []string{r2.ID, r1.ID}},
			"lights":   {reports.RequestFilter{From: start, To: window.To, CategoryIDs: []string{light.ID}}, []string{l1.ID}},
			"limit":    {reports.RequestFilter{From: start, To: window.To, Limit: 2}, []string{r2.ID, l1.ID}},
			"ids":      {reports.RequestFilter{IDs: []string{old.ID, waiting.ID, r2.ID}}, []string{r2.ID, old.ID}},
			"no match": {reports.RequestFilter{From: start, To: window.To, CategoryIDs: []string{"autre"}}, nil},
		} {
			got, err := e.s.Requests(e.ctx, e.town, c.f)
			if err != nil || ids(got) != strings.Join(c.want, " ") {
				t.Errorf("%s: %s, %v; want %s", name, ids(got), err, strings.Join(c.want, " "))
			}
		}
		if got, _ := e.s.Requests(e.ctx, e.vill, reports.RequestFilter{IDs: []string{r1.ID}}); len(got) != 0 {
			t.Errorf("the village reads the town's: %v", got)
		}
	})
}
