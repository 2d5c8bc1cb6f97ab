package staff_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet/internal/identity/staff"
)

// chainOf writes n entries for tenantID and returns them, oldest first.
func (f *fixture) chainOf(t *testing.T, tenantID string, n int) []*staff.Entry {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		if err := f.staff.RecordEntry(ctx, staff.Entry{TenantID: tenantID, ActorID: "u1", Actor: "agent@alpha.fr",
			Action: "procedure.case_viewed", Target: fmt.Sprintf("dossier-%d", i+1), IP: "192.0.2.7", UserAgent: "Firefox"}); err != nil {
			t.Fatal(err)
		}
	}
	return f.entries(t, tenantID)
}

func (f *fixture) entries(t *testing.T, tenantID string) []*staff.Entry {
	t.Helper()
	var out []*staff.Entry
	if err := f.staff.EachEntry(context.Background(), tenantID, func(e *staff.Entry) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.d.Exec(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// insertRaw writes e as it is, as someone with write access to the
// database would.
func (f *fixture) insertRaw(t *testing.T, e *staff.Entry) {
	t.Helper()
	f.exec(t, `INSERT INTO audit_log (id, tenant_id, seq, actor_id, actor, action, target, ip, user_agent, at, prev_hash, hash, mac)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.TenantID, e.Seq, e.ActorID, e.Actor, e.Action, e.Target,
		e.IP, e.UserAgent, e.At, e.PrevHash, e.Hash, e.MAC)
}

func (f *fixture) verify(t *testing.T, tenantID string) staff.ChainStatus {
	t.Helper()
	st, err := f.staff.VerifyChain(context.Background(), tenantID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func wantBreak(t *testing.T, st staff.ChainStatus, seq int64, reason string) {
	t.Helper()
	if st.Break == nil {
		t.Fatalf("the chain verifies (%d entries), want a break at %d (%s)", st.Entries, seq, reason)
	}
	if st.Break.Seq != seq || st.Break.Reason != reason {
		t.Fatalf("break at %d (%s), want at %d (%s)", st.Break.Seq, st.Break.Reason, seq, reason)
	}
}

// Each way of tampering with the table is found, at the entry where it
// happened; the other collectivité's chain is not affected.
func TestAuditChainFindsTampering(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(t *testing.T, f *fixture, tenantID string, es []*staff.Entry)
		seq    int64
		reason string
	}{
		{"a field changed", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `UPDATE audit_log SET target = 'dossier-99' WHERE tenant_id = ? AND seq = 3`, id)
		}, 3, staff.BreakChanged},
		{"the time changed", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `UPDATE audit_log SET at = ? WHERE tenant_id = ? AND seq = 2`, es[1].At.Add(-time.Hour), id)
		}, 2, staff.BreakChanged},
		{"a field changed and its hash recomputed", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			e := es[2]
			e.Actor = "quelquun@alpha.fr"
			f.exec(t, `UPDATE audit_log SET actor = ?, hash = ? WHERE tenant_id = ? AND seq = 3`, e.Actor, staff.ChainHash(e), id)
		}, 3, staff.BreakForged},
		{"the chain rebuilt from an entry on without the key", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			prev := es[1].Hash
			for _, e := range es[2:] {
				e.IP, e.PrevHash = "198.51.100.1", prev
				e.Hash = staff.ChainHash(e)
				e.MAC = es[0].MAC // a MAC of another entry
				f.exec(t, `UPDATE audit_log SET ip = ?, prev_hash = ?, hash = ?, mac = ? WHERE tenant_id = ? AND seq = ?`,
					e.IP, e.PrevHash, e.Hash, e.MAC, id, e.Seq)
				prev = e.Hash
			}
			f.exec(t, `UPDATE audit_heads SET hash = ? WHERE tenant_id = ?`, prev, id)
		}, 3, staff.BreakForged},
		{"an entry deleted", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `DELETE FROM audit_log WHERE tenant_id = ? AND seq = 3`, id)
		}, 4, staff.BreakMissing},
		{"the first entry deleted", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `DELETE FROM audit_log WHERE tenant_id = ? AND seq = 1`, id)
		}, 2, staff.BreakMissing},
		{"the last entry deleted", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `DELETE FROM audit_log WHERE tenant_id = ? AND seq = 6`, id)
		}, 5, staff.BreakHead},
		{"an entry deleted and the rest renumbered", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `DELETE FROM audit_log WHERE tenant_id = ? AND seq = 3`, id)
			for seq := 4; seq <= 6; seq++ {
				f.exec(t, `UPDATE audit_log SET seq = ? WHERE tenant_id = ? AND seq = ?`, seq-1, id, seq)
			}
			f.exec(t, `UPDATE audit_heads SET seq = 5 WHERE tenant_id = ?`, id)
		}, 3, staff.BreakLink},
		{"an entry inserted at the end", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			e := *es[5]
			e.ID, e.Seq, e.PrevHash, e.Target = "01900000-0000-7000-8000-000000000001", 7, es[5].Hash, "dossier-ajoute"
			e.Hash, e.MAC = staff.ChainHash(&e), es[5].MAC
			f.insertRaw(t, &e)
			f.exec(t, `UPDATE audit_heads SET seq = 7, hash = ? WHERE tenant_id = ?`, e.Hash, id)
		}, 7, staff.BreakForged},
		{"an entry inserted in the middle", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			for seq := 6; seq >= 4; seq-- {
				f.exec(t, `UPDATE audit_log SET seq = ? WHERE tenant_id = ? AND seq = ?`, seq+1, id, seq)
			}
			e := *es[2]
			e.ID, e.Seq, e.PrevHash, e.Target = "01900000-0000-7000-8000-000000000002", 4, es[2].Hash, "dossier-ajoute"
			e.Hash, e.MAC = staff.ChainHash(&e), es[2].MAC
			f.insertRaw(t, &e)
		}, 4, staff.BreakForged},
		{"an entry added beyond the head", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			e := *es[5]
			e.ID, e.Seq = "01900000-0000-7000-8000-000000000003", 9
			f.insertRaw(t, &e)
		}, 9, staff.BreakMissing},
		{"two entries swapped", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `UPDATE audit_log SET seq = 100 WHERE tenant_id = ? AND seq = 2`, id)
			f.exec(t, `UPDATE audit_log SET seq = 2 WHERE tenant_id = ? AND seq = 4`, id)
			f.exec(t, `UPDATE audit_log SET seq = 4 WHERE tenant_id = ? AND seq = 100`, id)
		}, 2, staff.BreakLink},
		{"two entries' contents swapped", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `UPDATE audit_log SET target = ? WHERE tenant_id = ? AND seq = 2`, es[4].Target, id)
			f.exec(t, `UPDATE audit_log SET target = ? WHERE tenant_id = ? AND seq = 5`, es[1].Target, id)
		}, 2, staff.BreakChanged},
		{"the head removed", func(t *testing.T, f *fixture, id string, es []*staff.Entry) {
			f.exec(t, `DELETE FROM audit_heads WHERE tenant_id = ?`, id)
		}, 6, staff.BreakHead},
	}
	each(t, func(t *testing.T, f *fixture) {
		other := f.chainOf(t, f.b.ID, 3)
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				tn := f.tenant(t, fmt.Sprintf("t%d", i))
				es := f.chainOf(t, tn.ID, 6)
				if st := f.verify(t, tn.ID); !st.Intact() || st.Entries != 6 || st.First != 1 || st.Last != 6 {
					t.Fatalf("fresh chain: %+v", st)
				}
				c.tamper(t, f, tn.ID, es)
				wantBreak(t, f.verify(t, tn.ID), c.seq, c.reason)
			})
		}
		if st := f.verify(t, f.b.ID); !st.Intact() || st.Entries != len(other) {
			t.Fatalf("the other collectivité's chain: %+v", st)
		}
	})
}

// Writers in parallel, on both engines, leave one unbroken chain per
// collectivité with every entry in it.
func TestAuditChainConcurrentWriters(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		const writers, each = 8, 20
		var wg sync.WaitGroup
		errs := make(chan error, 2*writers*each)
		for w := range writers {
			for _, tn := range []string{f.a.ID, f.b.ID} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						errs <- f.staff.RecordEntry(context.Background(), staff.Entry{TenantID: tn, Actor: "cli",
							Action: "test.parallel", Target: fmt.Sprintf("w%d-%d", w, i)})
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tn := range []string{f.a.ID, f.b.ID} {
			if st := f.verify(t, tn); !st.Intact() || st.Entries != writers*each || st.Last != writers*each {
				t.Fatalf("chain after parallel writers: %+v", st)
			}
		}
	})
}

// Rows written before the chain existed are numbered by the migration and
// signed by SealLegacy; entries written after follow them.
func TestAuditSealLegacy(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		at := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)
		for i, id := range []string{"01900000-0000-7000-8000-00000000000a", "01900000-0000-7000-8000-00000000000b"} {
			f.exec(t, `INSERT INTO audit_log (id, tenant_id, seq, actor, action, target, at) VALUES (?, ?, ?, 'cli', 'staff.user_created', ?, ?)`,
				id, f.a.ID, i+1, fmt.Sprintf("ancien-%d", i), at.Add(time.Duration(i)*time.Minute))
		}
		f.exec(t, `INSERT INTO audit_heads (tenant_id, seq, hash, updated_at) VALUES (?, 2, '', ?)`, f.a.ID, at)
		wantBreak(t, f.verify(t, f.a.ID), 1, staff.BreakChanged)
		if err := f.staff.SealLegacy(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.chainOf(t, f.a.ID, 2)
		if st := f.verify(t, f.a.ID); !st.Intact() || st.Entries != 4 {
			t.Fatalf("sealed chain: %+v", st)
		}
	})
}
