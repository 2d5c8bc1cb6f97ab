package oidc_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/identity/oidc"
)

func TestEndSessionURL(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		res, err := f.signIn(t)
		if err != nil {
			t.Fatal(err)
		}
		const back = "http://alpha.localhost/connexion/franceconnect/deconnexion"
		raw, err := f.svc.EndSessionURL(ctx, f.a.ID, oidc.FranceConnect, res.IDToken, back)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if !strings.HasPrefix(raw, strings.TrimSuffix(f.op.Issuer, "/api/v2")+"/session/end?") ||
			q.Get("id_token_hint") != res.IDToken || q.Get("post_logout_redirect_uri") != back || len(q.Get("state")) < 22 {
			t.Fatalf("end session URL %s", raw)
		}
		// Nothing to end without an ID token or on a collectivité without the provider.
		if raw, err := f.svc.EndSessionURL(ctx, f.a.ID, oidc.FranceConnect, "", back); raw != "" || err != nil {
			t.Fatalf("no id token: %q, %v", raw, err)
		}
		if raw, err := f.svc.EndSessionURL(ctx, f.b.ID, oidc.FranceConnect, res.IDToken, back); raw != "" || err != nil {
			t.Fatalf("other collectivité: %q, %v", raw, err)
		}
	})
}
