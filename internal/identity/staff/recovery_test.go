package staff_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

const totpSecret = "GUICHETDEMOSECRETTOTP234"

// recoveryRows returns what the database keeps of a member's codes.
func (f *fixture) recoveryRows(t *testing.T, tenantID, userID string) (hashes, salts []string) {
	t.Helper()
	rows, err := f.d.Query(context.Background(), `SELECT code_hash, salt FROM staff_recovery_codes
		WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h, s string
		if err := rows.Scan(&h, &s); err != nil {
			t.Fatal(err)
		}
		hashes, salts = append(hashes, h), append(salts, s)
	}
	return hashes, salts
}

// Codes carry 120 random bits in six groups of four, and what is kept of
// them is keyed by the server key and salted per member and per set: not
// the code, not its plain SHA-256, and useless under another server key
// (ASVS 6.5.2).
func TestRecoveryCodesKeyedAndSalted(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		now := dbtest.Start(t)
		u := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		if err := f.staff.EnrolWithSecret(ctx, f.a.ID, u.ID, totpSecret); err != nil {
			t.Fatal(err)
		}
		codes, err := f.staff.NewRecoveryCodes(ctx, f.a.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		format := regexp.MustCompile(`^[a-z2-7]{4}(-[a-z2-7]{4}){5}$`)
		seen := map[string]bool{}
		for _, c := range codes {
			if !format.MatchString(c) || seen[c] {
				t.Fatalf("code %q: not six groups of four base32 characters, or repeated", c)
			}
			seen[c] = true
		}
		hashes, salts := f.recoveryRows(t, f.a.ID, u.ID)
		if len(hashes) != staff.RecoveryCodeCount {
			t.Fatalf("%d rows kept", len(hashes))
		}
		for i, h := range hashes {
			if salts[i] != salts[0] || len(salts[i]) != 32 {
				t.Fatalf("salts %v: want one 128-bit salt for the member's set", salts)
			}
			for _, c := range codes {
				plain := strings.ReplaceAll(c, "-", "")
				legacy := sha256.Sum256([]byte(u.ID + ":" + plain))
				if strings.Contains(h, plain) || h == hex.EncodeToString(legacy[:]) {
					t.Fatalf("stored %q reveals a code or is its plain hash", h)
				}
			}
		}

		// Another server key cannot check them.
		other := staff.NewStore(f.d, "another-secret-key-of-32-characters")
		if _, err := other.Verify(ctx, f.a.ID, u.ID, codes[0], now); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("a code checked under another key: %v", err)
		}
		if rec, err := f.staff.Verify(ctx, f.a.ID, u.ID, codes[0], now); err != nil || !rec {
			t.Fatalf("the code under its key: %v", err)
		}

		// A new set comes with a new salt, and the old codes stop.
		fresh, err := f.staff.NewRecoveryCodes(ctx, f.a.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, newSalts := f.recoveryRows(t, f.a.ID, u.ID); newSalts[0] == salts[0] {
			t.Fatal("a new set kept the old salt")
		}
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, codes[1], now); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("an old code after renewal: %v", err)
		}
		if rec, err := f.staff.Verify(ctx, f.a.ID, u.ID, fresh[1], now); err != nil || !rec {
			t.Fatalf("a new code: %v", err)
		}
	})
}

// Codes kept before the migration (50 bits as a plain SHA-256) are
// dropped: they no longer sign in, and none is counted as left.
func TestLegacyRecoveryCodesDropped(t *testing.T) {
	t.Parallel()
	var files = fstest.MapFS{}
	for _, name := range []string{"0001_staff.sql", "0002_audit_chain.sql"} {
		b, err := os.ReadFile("migrations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	before := db.Migrations{Domain: "staff", Files: files}
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations, before}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := &fixture{d: d, accounts: account.NewStore(d), staff: staff.NewStore(d, testKey)}
		f.a = f.tenant(t, "alpha")
		u := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		if err := f.staff.EnrolWithSecret(ctx, f.a.ID, u.ID, totpSecret); err != nil {
			t.Fatal(err)
		}
		const old = "abcde-fghij"
		legacy := sha256.Sum256([]byte(u.ID + ":abcdefghij"))
		f.exec(t, `INSERT INTO staff_recovery_codes (tenant_id, user_id, code_hash) VALUES (?, ?, ?)`,
			f.a.ID, u.ID, hex.EncodeToString(legacy[:]))
		if err := d.Migrate(ctx, []db.Migrations{staff.Migrations}); err != nil {
			t.Fatal(err)
		}
		if n, err := f.staff.RecoveryCodesLeft(ctx, f.a.ID, u.ID); err != nil || n != 0 {
			t.Fatalf("%d legacy codes left (%v)", n, err)
		}
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, old, dbtest.Start(t)); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("a legacy code after the migration: %v", err)
		}
		if ok, _ := f.staff.Enrolled(ctx, f.a.ID, u.ID); !ok {
			t.Fatal("the migration dropped the authenticator too")
		}
	})
}
