package staff_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/dbtest"
)

func TestTOTPEnrolAndVerify(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		now := time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)

		enr, err := f.staff.BeginEnrolment(ctx, f.a.ID, u.ID, "Commune de alpha", u.Email)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(enr.URL, "otpauth://totp/") || !strings.Contains(enr.URL, "secret="+enr.Secret) {
			t.Fatalf("enrolment URL %q does not carry the secret", enr.URL)
		}
		again, _ := f.staff.BeginEnrolment(ctx, f.a.ID, u.ID, "Commune de alpha", u.Email)
		if again.Secret != enr.Secret {
			t.Fatal("a reloaded enrolment page must show the same secret")
		}
		if ok, _ := f.staff.Enrolled(ctx, f.a.ID, u.ID); ok {
			t.Fatal("enrolled before confirmation")
		}
		if _, err := f.staff.ConfirmEnrolment(ctx, f.a.ID, u.ID, "000000", now); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("wrong first code: %v", err)
		}
		codes, err := f.staff.ConfirmEnrolment(ctx, f.a.ID, u.ID, code(t, enr.Secret, now), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != staff.RecoveryCodeCount {
			t.Fatalf("%d recovery codes", len(codes))
		}
		if _, err := f.staff.BeginEnrolment(ctx, f.a.ID, u.ID, "x", u.Email); !errors.Is(err, staff.ErrAlreadyEnrolled) {
			t.Fatalf("re-enrolment: %v", err)
		}

		// The code used to confirm cannot be replayed; the next step's can.
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, code(t, enr.Secret, now), now); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("replayed code: %v", err)
		}
		later := now.Add(30 * time.Second)
		if rec, err := f.staff.Verify(ctx, f.a.ID, u.ID, code(t, enr.Secret, later), later); err != nil || rec {
			t.Fatalf("fresh code: %v (recovery %v)", err, rec)
		}
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, code(t, enr.Secret, later), later); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("same code twice in one step: %v", err)
		}
		// Clock drift of one step either way is tolerated.
		muchLater := later.Add(5 * time.Minute)
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, code(t, enr.Secret, muchLater.Add(-30*time.Second)), muchLater); err != nil {
			t.Fatalf("code of the previous step: %v", err)
		}

		// A recovery code works once, whatever its case and dashes.
		typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
		if rec, err := f.staff.Verify(ctx, f.a.ID, u.ID, typed, muchLater); err != nil || !rec {
			t.Fatalf("recovery code: %v (recovery %v)", err, rec)
		}
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, codes[3], muchLater); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("recovery code reused: %v", err)
		}
		if n, _ := f.staff.RecoveryCodesLeft(ctx, f.a.ID, u.ID); n != staff.RecoveryCodeCount-1 {
			t.Fatalf("%d recovery codes left", n)
		}
		// Another member's codes do not work for this one.
		other := f.member(t, f.a.ID, "other@alpha.fr", account.RoleEditor)
		if err := f.staff.EnrolWithSecret(ctx, f.a.ID, other.ID, enr.Secret); err != nil {
			t.Fatal(err)
		}
		if _, err := f.staff.Verify(ctx, f.a.ID, other.ID, codes[4], muchLater); !errors.Is(err, staff.ErrCodeInvalid) {
			t.Fatalf("someone else's recovery code: %v", err)
		}
	})
}

func TestTOTPLockout(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		const secret = "GUICHETDEMOSECRETTOTP234"
		if err := f.staff.EnrolWithSecret(ctx, f.a.ID, u.ID, secret); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		good := code(t, secret, now)
		bad := "123456"
		if bad == good {
			bad = "654321"
		}
		for i := 0; i < 5; i++ {
			if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, bad, now); !errors.Is(err, staff.ErrCodeInvalid) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, good, now); guichet.ErrorCode(err) != guichet.ERateLimited {
			t.Fatalf("right code while locked: %v", err)
		}
		after := now.Add(16 * time.Minute)
		if _, err := f.staff.Verify(ctx, f.a.ID, u.ID, code(t, secret, after), after); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
	})
}

func TestTOTPSecretSealedAndIsolated(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		const secret = "GUICHETDEMOSECRETTOTP234"
		if err := f.staff.EnrolWithSecret(ctx, f.a.ID, u.ID, secret); err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := f.d.QueryRow(ctx, `SELECT secret FROM staff_totp WHERE tenant_id = ? AND user_id = ?`, f.a.ID, u.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, secret) {
			t.Fatal("TOTP secret stored in clear")
		}
		now := dbtest.Start(t)
		// Another tenant knows nothing of this member's second factor.
		if _, err := f.staff.Verify(ctx, f.b.ID, u.ID, code(t, secret, now), now); !errors.Is(err, staff.ErrNotEnrolled) {
			t.Fatalf("verify across tenants: %v", err)
		}
		// With another server key the secret no longer opens.
		other := staff.NewStore(f.d, "another-secret-key-of-32-characters")
		if _, err := other.Verify(ctx, f.a.ID, u.ID, code(t, secret, now), now); !errors.Is(err, staff.ErrSecretUnusable) {
			t.Fatalf("verify with another key: %v", err)
		}
		if err := f.staff.ResetSecondFactor(ctx, f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := f.staff.Enrolled(ctx, f.a.ID, u.ID); ok {
			t.Fatal("still enrolled after reset")
		}
	})
}
