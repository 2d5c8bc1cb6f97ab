package communities_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"guichet/internal/capability/communities"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// BenchmarkDigestRun measures one digest run of 1,017 residents (three
// batches), each in three of ten communities with new announcements, news and
// alerts: one digest each, queued in its own transaction.
//
//	go test -run '^$' -bench DigestRun ./internal/capability/communities/
func BenchmarkDigestRun(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			url, ok := dbtest.URLs(b)[dialect]
			if !ok {
				b.Skip("PostgreSQL not configured")
			}
			d := dbtest.Open(b, url, sets)
			e := newEnv(b, d)
			ctx := context.Background()
			var cs []*communities.Community
			for i := range 10 {
				c := &communities.Community{TenantID: e.town.ID, Name: fmt.Sprintf("Communauté %02d", i), Kind: communities.Neighbourhood,
					Area: fmt.Sprintf("Quartier %d", i%4)}
				if err := e.s.Create(ctx, c); err != nil {
					b.Fatal(err)
				}
				cs = append(cs, c)
			}
			var users []string
			for i := range 2*communities.DigestBatch + 17 {
				u, err := e.users.CreateVerified(ctx, e.town.ID, fmt.Sprintf("r%04d@courriel.localhost", i), "Résident")
				if err != nil {
					b.Fatal(err)
				}
				users = append(users, u.ID)
				for j := range 3 {
					if _, err := e.s.Join(ctx, e.town.ID, cs[(i+j*3)%10].ID, u.ID, paris); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				e.advance(time.Hour)
				for i, c := range cs {
					p := &communities.Post{TenantID: e.town.ID, CommunityID: c.ID, Title: fmt.Sprintf("Annonce %d-%d", n, i), Body: "Texte."}
					if err := e.s.AddPost(ctx, p); err != nil {
						b.Fatal(err)
					}
				}
				e.alert(fmt.Sprintf("a%d", n), "Coupure d'eau", "Quartier 1")
				e.advance(8 * 24 * time.Hour) // every weekly digest due
				b.StartTimer()
				sent, err := e.s.SendDigests(ctx, func(context.Context, string) (string, *time.Location, error) {
					return "https://montclair.example", paris, nil
				})
				if err != nil {
					b.Fatal(err)
				}
				if sent != len(users) {
					b.Fatalf("%d digests, want %d", sent, len(users))
				}
				e.mail.take()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(users)), "µs/resident")
		})
	}
}
