package events

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"guichet/internal/publishing"
)

// Generate writes n events spread over the past and the coming year, with
// their dates, revision and index entry as the editors' saves write them,
// for load and scale tests; done is called for each event written. The
// same n gives the same titles.
func (s *Store) Generate(ctx context.Context, tenantID string, loc *time.Location, n int, done func()) error {
	return s.Desk.Generate(ctx, publishing.Bulk{TenantID: tenantID,
		Slugs:   `SELECT slug FROM content_events WHERE tenant_id = ?`,
		Analyze: []string{"content_events", "content_event_dates", "search_docs", "search_postings"},
		Make: func(g *publishing.BulkItems) {
			r := rand.New(rand.NewPCG(uint64(n), 2))
			for i := 0; i < n; i++ {
				start := g.Now.Add(time.Duration(r.IntN(2*365*24)-365*24) * time.Hour).Truncate(time.Hour)
				at := g.Now
				e := &Event{ID: uuid.NewString(), TenantID: tenantID, Category: Categories[r.IntN(len(Categories))],
					Title:   fmt.Sprintf("%s – %s (%d)", publishing.BulkSubjects[r.IntN(len(publishing.BulkSubjects))], publishing.BulkPlaces[r.IntN(len(publishing.BulkPlaces))], i+1),
					Summary: publishing.BulkText(r, 12), Body: publishing.BulkText(r, 60), Place: publishing.BulkPlaces[r.IntN(len(publishing.BulkPlaces))],
					Start: start, End: start.Add(2 * time.Hour), Status: publishing.StatusPublished, PublishAt: &at, Author: "seed",
					CreatedAt: g.Now, UpdatedAt: g.Now}
				e.Slug = g.Slug(e.Title)
				g.Row("content_events", eventColumns, e.ID, e.TenantID, e.Slug, e.Category, e.Title, e.Summary, e.Body, e.TitleEN, e.BodyEN,
					e.Place, e.Address, e.Start, e.End, e.AllDay, e.Recurrence, publishing.NullTime(e.RecurrenceUntil), e.Registration,
					e.Capacity, e.Cancelled, e.Status, at, e.Author, e.Sequence, e.CreatedAt, e.UpdatedAt)
				for _, o := range e.Occurrences(loc) {
					g.Row("content_event_dates", "tenant_id, event_id, starts_at, ends_at, category, public", e.TenantID, e.ID, o.Start, o.End, e.Category, true)
				}
				if !g.Add(e.ID, Kind, e.Title, e, e.doc()) {
					return
				}
			}
		}}, done)
}
