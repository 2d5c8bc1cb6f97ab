package events_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// TestListEventsPagesMatchEveryDate pages through the agenda and its
// archive with the cursor and compares each list with every date of every
// event, filtered and sorted in Go: dates under way, long and recurring
// list, equal start times across page ends, categories, a last day.
func TestListEventsPagesMatchEveryDate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}, func(t *testing.T, d *db.DB) {
		s, tn, list, now := agendaFixture(t, d)
		loc := tn.Location()
		if next := expectedDates(list, loc, s.Now(), events.Filter{From: now}); len(next) < 30 || next[0] >= now.Format(time.RFC3339) {
			t.Fatalf("the agenda should span pages and begin with dates under way: %v", next)
		}
		for _, from := range []time.Time{now, now.Add(30 * time.Minute), now.AddDate(0, 0, 20), now.AddDate(0, 0, -20)} {
			for _, cat := range []string{"", "culture"} {
				for _, f := range []events.Filter{
					{From: from, Category: cat},
					{From: from, Category: cat, To: from.AddDate(0, 0, 30)},
					{From: from, Category: cat, Past: true},
				} {
					name := fmt.Sprintf("from %s category %q to %s past %v", from.Sub(now), cat, f.To.Sub(from), f.Past)
					want := expectedDates(list, loc, s.Now(), f)
					if got := pageAll(t, s, tn.ID, f); !slices.Equal(got, want) {
						t.Errorf("%s:\n got %d dates %v\nwant %d dates %v", name, len(got), got, len(want), want)
					}
				}
			}
		}
	})
}

// TestAllPublicEventsMatchesEveryEvent compares the feed's events with
// every event filtered and sorted in Go: recurring ones whatever their
// dates, the others when they end after since.
func TestAllPublicEventsMatchesEveryEvent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn, list, now := agendaFixture(t, d)
		for _, since := range []time.Time{now, now.AddDate(0, 0, -50), now.AddDate(0, 0, 40)} {
			for _, cat := range []string{"", "sport"} {
				for _, limit := range []int{5, 500} {
					var want []string
					for _, e := range list {
						if e.Public(s.Now()) && (cat == "" || e.Category == cat) && (!e.End.Before(since) || e.Recurrence != "") {
							want = append(want, e.Start.Format(time.RFC3339)+" "+e.ID)
						}
					}
					slices.Sort(want) // RFC 3339 in UTC sorts as time
					want = want[:min(len(want), limit)]
					list, err := s.AllPublic(ctx, tn.ID, cat, since, limit)
					if err != nil {
						t.Fatal(err)
					}
					got := make([]string, len(list))
					for i, e := range list {
						got[i] = e.Start.Format(time.RFC3339) + " " + e.ID
					}
					if !slices.Equal(got, want) {
						t.Errorf("since %s category %q limit %d:\n got %v\nwant %v", since.Sub(now), cat, limit, got, want)
					}
				}
			}
		}
	})
}

// saveAgenda writes published, draft and scheduled events around now.
// agendaFixture creates a collectivité on d with a store on the test's
// clock and saves saveAgenda's events there, from the hour now.
func agendaFixture(t testing.TB, d *db.DB) (s *events.Store, tn *tenant.Tenant, list []*events.Event, now time.Time) {
	t.Helper()
	tn, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: "liste", Name: "Commune de Liste", Kind: tenant.KindCommune})
	if err != nil {
		t.Fatal(err)
	}
	s = events.NewStore(d, nil)
	s.Now = dbtest.Clock(t)
	now = s.Now().Truncate(time.Hour)
	return s, tn, saveAgenda(t, s, tn.ID, tn.Location(), now), now
}

func saveAgenda(t testing.TB, s *events.Store, tenantID string, loc *time.Location, now time.Time) []*events.Event {
	t.Helper()
	r := rand.New(rand.NewPCG(4, 2))
	lengths := []time.Duration{time.Hour, 2 * time.Hour, 26 * time.Hour, 10 * 24 * time.Hour, 40 * 24 * time.Hour, 62 * 24 * time.Hour}
	var out []*events.Event
	for i := range 90 {
		start := now.Add(time.Duration(r.IntN(200*24)-100*24) * time.Hour)
		if i%9 == 0 {
			start = now.Add(3 * time.Hour) // equal start times, ordered by identifier
		}
		e := &events.Event{TenantID: tenantID, Title: fmt.Sprintf("Événement %d", i), Place: "Salle des fêtes",
			Category: events.Categories[i%3], Start: start, End: start.Add(lengths[r.IntN(len(lengths))]),
			Status: publishing.StatusPublished}
		switch i % 10 {
		case 1:
			e.Recurrence = events.RepeatWeekly
		case 2:
			e.Recurrence = events.RepeatMonthly
		case 3:
			e.Status = publishing.StatusDraft
		case 4:
			later := now.Add(48 * time.Hour)
			e.PublishAt = &later
		}
		if err := s.Save(context.Background(), e, loc, "test", "created"); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// expectedDates lists the public dates the filter selects, "start id" each.
func expectedDates(list []*events.Event, loc *time.Location, now time.Time, f events.Filter) []string {
	type date struct {
		start time.Time
		id    string
	}
	var all []date
	for _, e := range list {
		if !e.Public(now) || (f.Category != "" && e.Category != f.Category) {
			continue
		}
		for _, o := range e.Occurrences(loc) {
			keep := !o.End.Before(f.From) && (f.To.IsZero() || o.Start.Before(f.To))
			if f.Past {
				keep = o.End.Before(f.From)
			}
			if keep {
				all = append(all, date{o.Start, e.ID})
			}
		}
	}
	slices.SortFunc(all, func(a, b date) int {
		c := a.start.Compare(b.start)
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		if f.Past {
			return -c
		}
		return c
	})
	out := make([]string, len(all))
	for i, d := range all {
		out[i] = d.start.Format(time.RFC3339) + " " + d.id
	}
	return out
}

// pageAll follows the cursor, as a visitor following "later dates" links,
// and returns every date listed.
func pageAll(t *testing.T, s *events.Store, tenantID string, f events.Filter) []string {
	t.Helper()
	f.Limit = 7
	var out []string
	for range 100 {
		list, next, err := s.List(context.Background(), tenantID, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			out = append(out, d.Occurrence.Start.Format(time.RFC3339)+" "+d.ID)
		}
		if next.ID == "" {
			return out
		}
		if len(list) != f.Limit {
			t.Fatalf("a page of %d dates has a next page", len(list))
		}
		f.After = publishing.ParseCursor(next.String())
	}
	t.Fatal("more than 100 pages")
	return nil
}

// TestListReadsWhatItsCallerShows checks each date's event against the
// event read alone: what the agenda shows always, what the API gives with
// Details only, never the texts.
func TestListReadsWhatItsCallerShows(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, tn, _, now := agendaFixture(t, d)
		for _, details := range []bool{false, true} {
			list, _, err := s.List(ctx, tn.ID, events.Filter{From: now, Limit: 40, Details: details})
			if err != nil || len(list) != 40 {
				t.Fatalf("%d dates, %v", len(list), err)
			}
			for _, dt := range list {
				e, err := s.ByID(ctx, tn.ID, dt.ID)
				if err != nil {
					t.Fatal(err)
				}
				card := events.Event{ID: e.ID, TenantID: e.TenantID, Slug: e.Slug, Title: e.Title, Summary: e.Summary, Place: e.Place,
					AllDay: e.AllDay, Cancelled: e.Cancelled}
				if details {
					card.Category, card.Address, card.Recurrence, card.Registration, card.Capacity = e.Category, e.Address,
						e.Recurrence, e.Registration, e.Capacity
				}
				if *dt.Event != card {
					t.Fatalf("details %v: listed %+v, want %+v", details, *dt.Event, card)
				}
			}
		}
	})
}
