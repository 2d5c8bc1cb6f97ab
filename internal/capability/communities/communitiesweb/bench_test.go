package communitiesweb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/communities"
	"guichet/internal/capability/communities/communitiesweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// BenchmarkDigestThroughTheOutbox measures the periodic run as deployed:
// 1,000 residents of the demo town, each in three of its four
// communities, all due, each digest sealed into the outbox with its
// delivery job in the run's transactions.
//
//	GUICHET_TEST_POSTGRES=… go test -run '^$' -bench DigestThroughTheOutbox -benchtime 1x ./internal/capability/communities/communitiesweb/
func BenchmarkDigestThroughTheOutbox(b *testing.B) {
	const residents = 1000
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			url, ok := dbtest.URLs(b)[dialect]
			if !ok {
				b.Skip("PostgreSQL not configured")
			}
			e := apptest.New(b, url, apptest.WithDemoData())
			ctx := context.Background()
			c := communitiesweb.Of(e.App.Kernel)
			list, err := c.Store.List(ctx, e.Town.ID)
			if err != nil || len(list) != 4 {
				b.Fatalf("communities: %d, %v", len(list), err)
			}
			for i := range residents {
				u, err := e.App.Accounts.CreateVerified(ctx, e.Town.ID, fmt.Sprintf("banc-%04d@courriel.localhost", i), "Résident du banc")
				if err != nil {
					b.Fatal(err)
				}
				for j := range 3 {
					if _, err := c.Store.Join(ctx, e.Town.ID, list[(i+j)%4].ID, u.ID, e.Town.Location()); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			for n := range b.N {
				b.StopTimer()
				for _, cm := range list {
					p := &communities.Post{TenantID: e.Town.ID, CommunityID: cm.ID, Title: fmt.Sprintf("Annonce %d", n), Body: "Texte.", ByStaff: true}
					if err := c.Store.AddPost(ctx, p); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := e.App.DB.Exec(ctx, `UPDATE communities_settings SET next_at = ?, since = ? WHERE tenant_id = ?`,
					e.App.Now().Add(-time.Second).UTC(), e.App.Now().Add(-time.Hour).UTC(), e.Town.ID); err != nil {
					b.Fatal(err)
				}
				if _, err := e.App.DB.Exec(ctx, `DELETE FROM communities_digests`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				sent, err := c.Store.SendDigests(ctx, e.App.Kernel.Links)
				if err != nil {
					b.Fatal(err)
				}
				if sent < residents {
					b.Fatalf("%d digests, want at least %d", sent, residents)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*residents), "µs/resident")
		})
	}
}
