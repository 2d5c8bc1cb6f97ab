package staff_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// BenchmarkVerifyChain measures what the nightly job and "guichet audit
// verify" pay to walk a collectivité's whole chain, on each engine
// configured (GUICHET_TEST_POSTGRES for PostgreSQL).
func BenchmarkVerifyChain(b *testing.B) {
	for dialect, url := range dbtest.URLs(b) {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/%d", dialect, n), func(b *testing.B) {
				d := dbtest.Open(b, url, []db.Migrations{tenant.Migrations, account.Migrations, staff.Migrations})
				tn := benchChain(b, d, n)
				s := staff.NewStore(d, testKey)
				for b.Loop() {
					st, err := s.VerifyChain(context.Background(), tn)
					if err != nil || !st.Intact() || st.Entries != n {
						b.Fatalf("%+v, %v", st, err)
					}
				}
			})
		}
	}
}

// BenchmarkChainReport measures what the journal's first page pays: the
// kept outcome of the last full verification, then the 50 entries added
// since.
func BenchmarkChainReport(b *testing.B) {
	for dialect, url := range dbtest.URLs(b) {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, url, []db.Migrations{tenant.Migrations, account.Migrations, staff.Migrations})
			tn := benchChain(b, d, 100_000)
			s := staff.NewStore(d, testKey)
			if _, err := s.CheckChain(ctx, tn); err != nil {
				b.Fatal(err)
			}
			for range 50 {
				if err := s.RecordEntry(ctx, staff.Entry{TenantID: tn, Actor: "cli", Action: "test.bench"}); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				st, err := s.ChainReport(ctx, tn)
				if err != nil || !st.Intact() || st.Entries != 100_050 {
					b.Fatalf("%+v, %v", st, err)
				}
			}
		})
	}
}

// benchChain writes a valid chain of n entries for a new collectivité, in
// bulk, and returns the collectivité's id.
func benchChain(b *testing.B, d *db.DB, n int) string {
	ctx := context.Background()
	tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: fmt.Sprintf("bench%d", n), Name: "Commune de banc",
		Kind: tenant.KindCommune, TimeZone: "Europe/Paris"})
	if err != nil {
		b.Fatal(err)
	}
	cols := []string{"id", "tenant_id", "seq", "actor_id", "actor", "action", "target", "ip", "user_agent", "at", "prev_hash", "hash", "mac"}
	values := make([]any, 0, n*len(cols))
	at, prev := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), ""
	for i := range n {
		e := &staff.Entry{ID: uuid.NewString(), TenantID: tn.ID, Seq: int64(i + 1), ActorID: uuid.NewString(),
			Actor: "agent@montclair.fr", Action: "procedure.case_viewed", Target: uuid.NewString(), IP: "2001:db8::17",
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
			At:        at.Add(time.Duration(i) * time.Minute), PrevHash: prev}
		e.Hash = staff.ChainHash(e)
		e.MAC = outsideMAC(testKey, e.Hash)
		values = append(values, e.ID, e.TenantID, e.Seq, e.ActorID, e.Actor, e.Action, e.Target, e.IP, e.UserAgent, e.At,
			e.PrevHash, e.Hash, e.MAC)
		prev = e.Hash
	}
	if err := db.InsertMany(ctx, d, "audit_log", cols, values); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash, updated_at) VALUES (?, ?, ?, ?)`,
		tn.ID, n, prev, at); err != nil {
		b.Fatal(err)
	}
	return tn.ID
}
