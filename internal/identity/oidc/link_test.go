package oidc_test

import (
	"context"
	"testing"

	"guichet"
	"guichet/internal/identity/oidc"
)

func TestFirstSignInLinksExistingVerifiedAccount(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		existing, err := f.users.Register(ctx, f.a.ID, "Angela.Dubois@example.fr", "Angela D.", "Tr4in!Bleu#9")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.users.MarkEmailVerified(ctx, f.a.ID, existing.ID); err != nil {
			t.Fatal(err)
		}
		res, err := f.signIn(t)
		if err != nil {
			t.Fatalf("sign in: %v", err)
		}
		if res.User.ID != existing.ID || !res.Linked || res.Created {
			t.Fatalf("got user %s (linked %v, created %v), want existing %s", res.User.ID, res.Linked, res.Created, existing.ID)
		}
		if n := f.countUsers(t, f.a, "angela.dubois@example.fr"); n != 1 {
			t.Fatalf("%d accounts for the address, want 1", n)
		}
		if n, err := f.svc.Store.IdentityCount(ctx, f.a.ID, existing.ID); err != nil || n != 1 {
			t.Fatalf("identities linked: %d, %v", n, err)
		}
		exported, err := f.users.Export(ctx, f.a.ID, existing.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ids, ok := exported["oidc"].([]map[string]any); !ok || len(ids) != 1 || ids[0]["provider"] != oidc.FranceConnect {
			t.Fatalf("data export: %#v", exported["oidc"])
		}
		// The next sign-in goes by subject, even if the account's address changes.
		again, err := f.signIn(t)
		if err != nil || again.User.ID != existing.ID || again.Linked {
			t.Fatalf("second sign-in: %+v, %v", again, err)
		}
	})
}

func TestUnverifiedAccountIsNotTakenOver(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		squatter, err := f.users.Register(ctx, f.a.ID, "angela.dubois@example.fr", "Quelqu'un", "Tr4in!Bleu#9")
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.signIn(t)
		wantRefused(t, res, err, guichet.EConflict)
		if n, _ := f.svc.Store.IdentityCount(ctx, f.a.ID, squatter.ID); n != 0 {
			t.Fatalf("unverified account got %d identity link(s)", n)
		}
	})
}

func TestDeletedAccountStartsOver(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		first, err := f.signIn(t)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.users.Delete(ctx, f.a.ID, first.User.ID); err != nil {
			t.Fatal(err)
		}
		again, err := f.signIn(t)
		if err != nil {
			t.Fatalf("sign-in after deletion: %v", err)
		}
		if again.User.ID == first.User.ID || !again.Created {
			t.Fatalf("after deletion got %+v, want a new account", again)
		}
	})
}

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		// Collectivité b has no provider: a's configuration is not used there.
		if _, err := f.svc.Begin(ctx, f.b.ID, oidc.FranceConnect, callback, ""); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Fatalf("begin on b: %v, want not found", err)
		}
		if names, err := f.svc.Store.EnabledNames(ctx, f.b.ID); err != nil || len(names) != 0 {
			t.Fatalf("b's providers: %v, %v", names, err)
		}
		// A flow started on a cannot be finished on b, even when b has a provider.
		f.configure(t, f.b)
		start, err := f.svc.Begin(ctx, f.a.ID, oidc.FranceConnect, callback, "")
		if err != nil {
			t.Fatal(err)
		}
		back := f.authorize(t, start)
		res, err := f.svc.Finish(ctx, f.b.ID, oidc.Callback{State: back.Get("state"), Code: back.Get("code"),
			BrowserSecret: start.BrowserSecret, RedirectURL: callback})
		wantRefused(t, res, err, guichet.EForbidden)
		// The same person signing in on a and on b gets one account on each.
		ra, err := f.signIn(t)
		if err != nil {
			t.Fatal(err)
		}
		start, err = f.svc.Begin(ctx, f.b.ID, oidc.FranceConnect, callback, "")
		if err != nil {
			t.Fatal(err)
		}
		back = f.authorize(t, start)
		rb, err := f.svc.Finish(ctx, f.b.ID, oidc.Callback{State: back.Get("state"), Code: back.Get("code"),
			BrowserSecret: start.BrowserSecret, RedirectURL: callback})
		if err != nil {
			t.Fatal(err)
		}
		if ra.User.TenantID != f.a.ID || rb.User.TenantID != f.b.ID || ra.User.ID == rb.User.ID || !rb.Created {
			t.Fatalf("a: %+v, b: %+v", ra.User, rb.User)
		}
	})
}
