package reports_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
)

// TestAPIKeys: a key is shown once, found by its secret in its own
// collectivité only, notes its use at most once a minute, and stops when
// revoked.
func TestAPIKeys(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		if _, _, err := e.s.CreateKey(e.ctx, e.town, " "); guichet.FieldErrors(err)["name"] == "" {
			t.Errorf("a key without a name: %v", err)
		}
		k, secret, err := e.s.CreateKey(e.ctx, e.town, "Application Ma Ville")
		if err != nil || !strings.HasPrefix(secret, reports.KeyPrefix) || len(secret) < 40 {
			t.Fatalf("created %+v, %q, %v", k, secret, err)
		}
		var stored string
		if err := e.d.QueryRow(e.ctx, `SELECT hash FROM report_api_keys WHERE id = ?`, k.ID).Scan(&stored); err != nil ||
			strings.Contains(stored, secret[len(reports.KeyPrefix):]) {
			t.Errorf("stored %q (%v)", stored, err)
		}
		lastUse := func() *time.Time {
			t.Helper()
			keys, err := e.s.Keys(e.ctx, e.town)
			if err != nil || len(keys) != 1 {
				t.Fatalf("keys: %v, %v", keys, err)
			}
			return keys[0].LastUsedAt
		}
		if lastUse() != nil {
			t.Error("a new key was used")
		}
		first := e.clock()
		if got, err := e.s.KeyByToken(e.ctx, e.town, secret); err != nil || got.ID != k.ID {
			t.Fatalf("by token: %+v, %v", got, err)
		}
		e.advance(30 * time.Second)
		e.s.KeyByToken(e.ctx, e.town, secret)
		if at := lastUse(); at == nil || !at.Equal(first) {
			t.Errorf("last use after 30 s: %v, want %v", at, first)
		}
		e.advance(31 * time.Second)
		e.s.KeyByToken(e.ctx, e.town, secret)
		if at := lastUse(); at == nil || !at.Equal(e.clock()) {
			t.Errorf("last use after 61 s: %v, want %v", at, e.clock())
		}
		for name, c := range map[string]struct{ tenant, secret string }{"another collectivité": {e.vill, secret},
			"wrong": {e.town, secret + "x"}, "empty": {e.town, ""}, "no prefix": {e.town, secret[len(reports.KeyPrefix):]}} {
			if _, err := e.s.KeyByToken(e.ctx, c.tenant, c.secret); !errors.Is(err, reports.ErrKeyInvalid) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if err := e.s.RevokeKey(e.ctx, e.vill, k.ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village revoked the town's key: %v", err)
		}
		if err := e.s.RevokeKey(e.ctx, e.town, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.KeyByToken(e.ctx, e.town, secret); !errors.Is(err, reports.ErrKeyInvalid) || code(err) != guichet.EForbidden {
			t.Errorf("a revoked key: %v", err)
		}
		keys, _ := e.s.Keys(e.ctx, e.town)
		if len(keys) != 1 || keys[0].RevokedAt == nil {
			t.Errorf("keys after revoking: %+v", keys)
		}
	})
}
