package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// replicaPair returns the primary and standby URLs that scripts/pg-pair
// starts (GUICHET_TEST_PRIMARY, GUICHET_TEST_REPLICA).
func replicaPair(t *testing.T) (primary, standby string) {
	primary, standby = os.Getenv("GUICHET_TEST_PRIMARY"), os.Getenv("GUICHET_TEST_REPLICA")
	if primary == "" || standby == "" {
		if os.Getenv("GUICHET_TEST_REQUIRE_REPLICA") == "1" {
			t.Fatal("GUICHET_TEST_REQUIRE_REPLICA=1 but GUICHET_TEST_PRIMARY or GUICHET_TEST_REPLICA is empty")
		}
		t.Skip("no streaming replica: eval \"$(scripts/pg-pair start)\"")
	}
	return primary, standby
}

// The standby takes the reads that allow it, with its lag; a change this
// node heard of keeps them on the primary until the standby replays it.
// The standby's replay is paused to make the lag visible.
func TestReadsGoToTheReplicaOnceItHoldsWhatThisNodeKnows(t *testing.T) {
	primaryURL, standbyURL := replicaPair(t)
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "test_replica_" + hex.EncodeToString(b[:])
	d, err := Open(ctx, primaryURL+"&schema="+schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = d.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		d.Close()
	})
	if _, err := d.Exec(ctx, "CREATE TABLE counter (v INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, "INSERT INTO counter VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	if err := d.OpenReplica(ctx, primaryURL, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a primary was taken as a replica")
	}
	if err := d.OpenReplica(ctx, standbyURL, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	read := func(ctx context.Context) int {
		t.Helper()
		var v int
		if err := d.QueryRow(ctx, "SELECT v FROM counter").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	onReplica := ReplicaAllowed(ctx)
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 5 s", what)
			}
		}
	}
	waitFor("the standby holds the table", func() bool {
		var lsn string
		_ = d.Pool.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn)
		n, _ := parseLSN(lsn)
		return d.replica.up.Load() && d.replica.replayed.Load() >= n
	})

	standby, err := pgx.Connect(ctx, standbyURL)
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Close(ctx)
	if _, err := standby.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = standby.Exec(context.Background(), "SELECT pg_wal_replay_resume()") })
	if _, err := d.Exec(ctx, "UPDATE counter SET v = 2"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * replicaPoll)
	if got := read(onReplica); got != 1 {
		t.Fatalf("a read allowed on the paused standby got %d; want its stale 1 (is the standby used?)", got)
	}
	if got := read(ctx); got != 2 {
		t.Fatalf("a read not allowed on the standby got %d, want 2", got)
	}
	var lsn string
	if err := d.Pool.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	d.NeedLSN(lsn) // this node hears of the change
	if got := read(onReplica); got != 2 {
		t.Fatalf("after NeedLSN a read got %d from the lagging standby; want 2 from the primary", got)
	}
	if s := d.ReplicaStats(ctx); !s.Up || s.LagBytes <= 0 {
		t.Errorf("stats of a paused standby: %+v; want it up and behind", s)
	}
	before := d.ReplicaStats(ctx).Reads
	if _, err := standby.Exec(ctx, "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	waitFor("reads go back to the standby once it replayed", func() bool { return read(onReplica) == 2 && d.ReplicaStats(ctx).Reads > before })
}

func TestParseLSN(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]uint64{"0/0": 0, "16/B374D848": 0x16_B374D848, "FFFFFFFF/FFFFFFFF": 1<<64 - 1} {
		if got, ok := parseLSN(s); !ok || got != want {
			t.Errorf("parseLSN(%q) = %x, %v", s, got, ok)
		}
	}
	for _, bad := range []string{"", "16", "x/1", "1/100000000"} {
		if _, ok := parseLSN(bad); ok {
			t.Errorf("parseLSN(%q) accepted", bad)
		}
	}
}
