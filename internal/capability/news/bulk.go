package news

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"guichet/internal/publishing"
)

// Generate writes n news items published over the past three years, with
// their revision and index entry as the editors' saves write them, for
// load and scale tests; done is called for each item written. The same n
// gives the same titles.
func (s *Store) Generate(ctx context.Context, tenantID string, n int, done func()) error {
	return s.Desk.Generate(ctx, publishing.Bulk{TenantID: tenantID,
		Slugs:   `SELECT slug FROM content_news WHERE tenant_id = ?`,
		Analyze: []string{"content_news", "search_docs", "search_postings"},
		Make: func(g *publishing.BulkItems) {
			r := rand.New(rand.NewPCG(uint64(n), 1))
			for i := 0; i < n; i++ {
				at := g.Now.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour).UTC().Truncate(time.Second)
				item := &News{ID: uuid.NewString(), TenantID: tenantID, Category: Categories[r.IntN(len(Categories))],
					Title:   fmt.Sprintf("%s %s (%d)", publishing.BulkSubjects[r.IntN(len(publishing.BulkSubjects))], publishing.BulkPlaces[r.IntN(len(publishing.BulkPlaces))], i+1),
					Summary: publishing.BulkText(r, 15), Body: publishing.BulkText(r, 120), Status: publishing.StatusPublished, PublishAt: &at,
					Author: "seed", CreatedAt: g.Now, UpdatedAt: g.Now}
				item.Slug = g.Slug(item.Title)
				g.Row("content_news", newsColumns, item.ID, item.TenantID, item.Slug, item.Category, item.Title, item.Summary, item.Body,
					item.EasyRead, item.TitleEN, item.BodyEN, item.ImageID, item.ImageAlt, item.Status, at, item.Author, item.CreatedAt, item.UpdatedAt)
				if !g.Add(item.ID, Kind, item.Title, item, item.doc()) {
					return
				}
			}
		}}, done)
}
