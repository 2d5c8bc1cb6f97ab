package oidc_test

import (
	"context"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/identity/oidc"
)

func TestProviderConfiguration(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p, err := f.svc.Store.Provider(ctx, f.a.ID, oidc.FranceConnect)
		if err != nil {
			t.Fatal(err)
		}
		if p.ClientSecret != f.op.ClientSecret || p.Scopes != oidc.DefaultScopes || p.ACR != "eidas1" || !p.Enabled || !p.SignedUserinfo {
			t.Fatalf("read back %+v", p)
		}
		var stored string
		if err := f.d.QueryRow(ctx, `SELECT client_secret FROM oidc_providers WHERE tenant_id = ? AND name = ?`,
			f.a.ID, oidc.FranceConnect).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == f.op.ClientSecret || strings.Contains(stored, f.op.ClientSecret) {
			t.Fatalf("client secret stored in clear: %q", stored)
		}
		// Another server key cannot open it.
		other := oidc.NewStore(f.d, "another-secret-key-of-32-characters-or-more")
		if _, err := other.Provider(ctx, f.a.ID, oidc.FranceConnect); err == nil {
			t.Fatal("secret opened with the wrong key")
		}

		p.Enabled = false
		if err := f.svc.SaveProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Begin(ctx, f.a.ID, oidc.FranceConnect, callback, ""); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Fatalf("begin with provider disabled: %v", err)
		}
		if names, _ := f.svc.Store.EnabledNames(ctx, f.a.ID); len(names) != 0 {
			t.Fatalf("enabled names: %v", names)
		}
	})
}

func TestProviderValidation(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		change func(p *oidc.Provider)
		field  string
	}{
		"plain http issuer": {func(p *oidc.Provider) { p.Issuer = "http://fournisseur.example" }, "issuer"},
		"no issuer":         {func(p *oidc.Provider) { p.Issuer = "" }, "issuer"},
		"no client id":      {func(p *oidc.Provider) { p.ClientID = " " }, "client_id"},
		"no secret":         {func(p *oidc.Provider) { p.ClientSecret = "" }, "client_secret"},
		"no openid scope":   {func(p *oidc.Provider) { p.Scopes = "email profile" }, "scopes"},
		"two acr values":    {func(p *oidc.Provider) { p.ACR = "eidas1 eidas2" }, "acr"},
	}
	for name, c := range cases {
		p := oidc.NewProvider("t", oidc.FranceConnect)
		p.Issuer, p.ClientID, p.ClientSecret = "https://fournisseur.example/api/v2", "id", "secret"
		if err := p.Validate(); err != nil {
			t.Fatalf("valid provider refused: %v", err)
		}
		c.change(&p)
		var e *guichet.Error
		err := p.Validate()
		if !asError(err, &e) || e.Fields[c.field] == "" {
			t.Errorf("%s: got %v, want an error on %s", name, err, c.field)
		}
	}
	loopback := oidc.NewProvider("t", oidc.FranceConnect)
	loopback.Issuer, loopback.ClientID, loopback.ClientSecret = "http://127.0.0.1:9999/api/v2", "id", "secret"
	if err := loopback.Validate(); err != nil {
		t.Errorf("loopback issuer refused: %v", err)
	}
}

func TestPurgeExpiredKeepsLiveFlows(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		if _, err := f.svc.Begin(ctx, f.a.ID, oidc.FranceConnect, callback, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.Exec(ctx, `INSERT INTO oidc_flows (state, tenant_id, provider, nonce, browser_hash, expires_at)
			VALUES ('old', ?, ?, 'n', 'h', '2001-01-01 00:00:00')`, f.a.ID, oidc.FranceConnect); err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.Store.PurgeExpired(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		var left int
		if err := f.d.QueryRow(ctx, `SELECT COUNT(*) FROM oidc_flows`).Scan(&left); err != nil || left != 1 {
			t.Fatalf("%d flows left, %v; want 1", left, err)
		}
	})
}
