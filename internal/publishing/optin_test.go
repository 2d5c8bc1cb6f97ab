package publishing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

var (
	errInvalid   = errors.New("invalid link")
	errConfirmed = errors.New("already confirmed")
)

// readers confirm by setting confirmed_at, as alert subscribers do.
var readers = publishing.OptIn{
	Table: "pubtest_readers", HashColumn: "confirm_hash", UnsubscribeColumn: "unsubscribe_token",
	Pending:    publishing.Cond{SQL: "confirmed_at IS NULL"},
	Confirm:    func(now time.Time) publishing.Cond { return publishing.Cond{SQL: "confirmed_at = ?", Args: []any{now}} },
	ErrInvalid: errInvalid, ErrConfirmed: errConfirmed,
}

// askers confirm by a change of status, as questions' askers do: both
// conditions take parameters.
var askers = publishing.OptIn{
	Table: "pubtest_readers", HashColumn: "confirm_hash",
	Pending:    publishing.Cond{SQL: "status = ?", Args: []any{"unverified"}},
	Confirm:    func(time.Time) publishing.Cond { return publishing.Cond{SQL: "status = ?", Args: []any{"pending"}} },
	ErrInvalid: errInvalid, ErrConfirmed: errConfirmed,
}

// addReader stores an address whose link was sent at sent, and returns
// the link's token and the unsubscribe token.
func addReader(t *testing.T, d *db.DB, tenantID string, sent time.Time) (token, unsub string) {
	t.Helper()
	token, hash := publishing.NewLink()
	unsub = publishing.NewUnsubscribeToken()
	if _, err := d.Exec(context.Background(), `INSERT INTO pubtest_readers (id, tenant_id, status, confirm_hash, unsubscribe_token,
		created_at) VALUES (?, ?, ?, ?, ?, ?)`, uuid.NewString(), tenantID, "unverified", hash, unsub, sent); err != nil {
		t.Fatal(err)
	}
	return token, unsub
}

func TestOptIn(t *testing.T) {
	eachDB(t, func(t *testing.T, d *db.DB, town, other string) {
		ctx := context.Background()
		now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
		sent := now.Add(-time.Hour)

		t.Run("confirm, then twice", func(t *testing.T) {
			token, _ := addReader(t, d, town, sent)
			if l, err := readers.ByLink(ctx, d, town, token, now); err != nil || l.Confirmed || l.ID == "" {
				t.Fatalf("before confirming: %+v, %v", l, err)
			}
			if err := readers.ConfirmLink(ctx, d, town, token, now); err != nil {
				t.Fatalf("confirm: %v", err)
			}
			if err := readers.ConfirmLink(ctx, d, town, token, now); !errors.Is(err, errConfirmed) {
				t.Fatalf("second confirmation: %v, want already confirmed", err)
			}
			// A confirmed link still names its row long after its week.
			later := now.Add(30 * 24 * time.Hour)
			if l, err := readers.ByLink(ctx, d, town, token, later); err != nil || !l.Confirmed {
				t.Fatalf("a month later: %+v, %v", l, err)
			}
			if err := readers.ConfirmLink(ctx, d, town, token, later); !errors.Is(err, errConfirmed) {
				t.Fatalf("confirmation a month later: %v, want already confirmed", err)
			}
		})

		t.Run("expired link", func(t *testing.T) {
			token, _ := addReader(t, d, town, now.Add(-publishing.ConfirmWithin))
			if _, err := readers.ByLink(ctx, d, town, token, now); !errors.Is(err, errInvalid) {
				t.Fatalf("by link: %v, want invalid", err)
			}
			if err := readers.ConfirmLink(ctx, d, town, token, now); !errors.Is(err, errInvalid) {
				t.Fatalf("confirm: %v, want invalid", err)
			}
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM pubtest_readers WHERE tenant_id = ? AND confirmed_at IS NOT NULL
				AND created_at = ?`, town, now.Add(-publishing.ConfirmWithin)).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d expired rows confirmed (%v)", n, err)
			}
		})

		t.Run("unknown link, or another collectivité's", func(t *testing.T) {
			token, _ := addReader(t, d, town, sent)
			for name, c := range map[string]struct{ tenantID, token string }{
				"unknown": {town, "pas-un-jeton"}, "other collectivité": {other, token}, "empty": {town, ""}} {
				if _, err := readers.ByLink(ctx, d, c.tenantID, c.token, now); !errors.Is(err, errInvalid) {
					t.Errorf("%s: by link %v, want invalid", name, err)
				}
				if err := readers.ConfirmLink(ctx, d, c.tenantID, c.token, now); !errors.Is(err, errInvalid) {
					t.Errorf("%s: confirm %v, want invalid", name, err)
				}
			}
			if l, err := readers.ByLink(ctx, d, town, token, now); err != nil || l.Confirmed {
				t.Fatalf("the link, after the others: %+v, %v", l, err)
			}
		})

		t.Run("confirm by status", func(t *testing.T) {
			token, _ := addReader(t, d, town, sent)
			if err := askers.ConfirmLink(ctx, d, town, token, now); err != nil {
				t.Fatalf("confirm: %v", err)
			}
			l, err := askers.ByLink(ctx, d, town, token, now)
			if err != nil || !l.Confirmed {
				t.Fatalf("after confirming: %+v, %v", l, err)
			}
			var status string
			if err := d.QueryRow(ctx, `SELECT status FROM pubtest_readers WHERE id = ?`, l.ID).Scan(&status); err != nil || status != "pending" {
				t.Fatalf("status %q (%v), want pending", status, err)
			}
			if err := askers.ConfirmLink(ctx, d, town, token, now); !errors.Is(err, errConfirmed) {
				t.Fatalf("second confirmation: %v, want already confirmed", err)
			}
		})

		t.Run("unsubscribe", func(t *testing.T) {
			token, unsub := addReader(t, d, town, sent)
			if err := readers.Unsubscribe(ctx, d, other, unsub); err != nil {
				t.Fatal(err)
			}
			if _, err := readers.ByLink(ctx, d, town, token, now); err != nil {
				t.Fatalf("another collectivité's unsubscribe link removed the row: %v", err)
			}
			for range 2 { // a used link is no error
				if err := readers.Unsubscribe(ctx, d, town, unsub); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := readers.ByLink(ctx, d, town, token, now); !errors.Is(err, errInvalid) {
				t.Fatalf("after unsubscribing: %v, want invalid", err)
			}
			if err := askers.Unsubscribe(ctx, d, town, unsub); err == nil {
				t.Fatal("unsubscribed without an unsubscribe column")
			}
		})
	})
}
