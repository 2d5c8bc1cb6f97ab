package oidc

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"guichet/internal/kernel/invalidate"
)

// discoveryTTL bounds how long a provider's metadata is trusted before it
// is fetched again (its keys are refreshed on an unknown key id anyway).
const discoveryTTL = time.Hour

// metadata is what discovery tells about an issuer.
type metadata struct {
	provider   *gooidc.Provider
	keys       gooidc.KeySet // the provider's published keys, fetched again on an unknown key id
	algs       []string      // ID token signing algorithms
	infoAlgs   []string      // userinfo signing algorithms
	endSession string
	pkce       bool
	authStyle  oauth2.AuthStyle
	fetched    time.Time
}

// discoveryCache holds metadata by issuer URL, shared by every tenant
// configured with the same issuer.
type discoveryCache struct {
	client *http.Client
	mu     sync.Mutex
	byURL  map[string]*metadata
}

func (c *discoveryCache) get(ctx context.Context, issuer string) (*metadata, error) {
	c.mu.Lock()
	m := c.byURL[issuer]
	c.mu.Unlock()
	if m != nil && time.Since(m.fetched) < discoveryTTL {
		return m, nil
	}
	m, err := c.discover(ctx, issuer)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.byURL[issuer] = m
	c.mu.Unlock()
	return m, nil
}

func (c *discoveryCache) discover(ctx context.Context, issuer string) (*metadata, error) {
	cctx := gooidc.ClientContext(ctx, c.client)
	p, err := gooidc.NewProvider(cctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discovery of %s: %w", issuer, err)
	}
	var doc struct {
		JWKS          string   `json:"jwks_uri"`
		EndSession    string   `json:"end_session_endpoint"`
		IDTokenAlgs   []string `json:"id_token_signing_alg_values_supported"`
		UserinfoAlgs  []string `json:"userinfo_signing_alg_values_supported"`
		PKCEMethods   []string `json:"code_challenge_methods_supported"`
		TokenAuthMeth []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := p.Claims(&doc); err != nil {
		return nil, fmt.Errorf("oidc: discovery of %s: %w", issuer, err)
	}
	if doc.JWKS == "" {
		return nil, fmt.Errorf("oidc: discovery of %s: no jwks_uri", issuer)
	}
	m := &metadata{provider: p, endSession: doc.EndSession, pkce: slices.Contains(doc.PKCEMethods, "S256"),
		// The key set outlives this request: it keeps only the HTTP client.
		keys:    gooidc.NewRemoteKeySet(gooidc.ClientContext(context.Background(), c.client), doc.JWKS),
		algs:    supported(doc.IDTokenAlgs),
		fetched: time.Now()}
	m.infoAlgs = supported(doc.UserinfoAlgs)
	if len(m.infoAlgs) == 0 {
		m.infoAlgs = m.algs
	}
	switch {
	case len(doc.TokenAuthMeth) == 0 || slices.Contains(doc.TokenAuthMeth, "client_secret_basic"):
		m.authStyle = oauth2.AuthStyleInHeader
	case slices.Contains(doc.TokenAuthMeth, "client_secret_post"):
		m.authStyle = oauth2.AuthStyleInParams
	}
	return m, nil
}

// asymmetric lists the signing algorithms accepted from a provider: public
// key ones only, so a client secret can never be used to forge a token.
var asymmetric = []string{
	gooidc.RS256, gooidc.RS384, gooidc.RS512, gooidc.ES256, gooidc.ES384, gooidc.ES512,
	gooidc.PS256, gooidc.PS384, gooidc.PS512, gooidc.EdDSA,
}

func supported(algs []string) []string {
	var out []string
	for _, a := range algs {
		if slices.Contains(asymmetric, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		out = []string{gooidc.RS256} // the OpenID Connect default
	}
	return out
}

// forget drops an issuer's metadata, to discover it again now.
func (c *discoveryCache) forget(issuer string) {
	c.mu.Lock()
	delete(c.byURL, issuer)
	c.mu.Unlock()
}

// drop forgets the metadata of the issuer a provider was saved with (of
// every issuer when the change names none): whichever collectivité saved
// it, the metadata are shared by issuer.
func (c *discoveryCache) drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for issuer := range c.byURL {
		if ch.Key == "" || ch.Key == issuer {
			delete(c.byURL, issuer)
		}
	}
}
