// Package oidctest runs a small OpenID provider on 127.0.0.1 for tests,
// shaped like FranceConnect v2: discovery, JWKS, an authorize endpoint that
// approves at once, token, a userinfo answered as a signed JWT, and
// end_session. Knobs let a test make it misbehave; it records what it got.
package oidctest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Provider is a running test OpenID provider.
type Provider struct {
	// Issuer, ClientID and ClientSecret are what a client is configured with.
	Issuer       string
	ClientID     string
	ClientSecret string

	srv      *httptest.Server
	key      *ecdsa.PrivateKey
	otherKey *ecdsa.PrivateKey

	mu sync.Mutex
	// User is who signs in at the next authorization.
	User User
	// ACR is the acr claim put in ID tokens.
	ACR string
	// Nonce, when set, replaces the nonce of the authorization request in
	// the ID token.
	Nonce string
	// BadUserinfoSignature signs userinfo with a key absent from the JWKS.
	BadUserinfoSignature bool
	// PlainUserinfo answers userinfo as unsigned JSON.
	PlainUserinfo bool
	// UserinfoSubject, when set, replaces the sub claim of userinfo.
	UserinfoSubject string

	authorizations []url.Values
	tokenRequests  []url.Values
	endSessions    []url.Values
	codes          map[string]grant
	accessTokens   map[string]User
}

// User is the identity the provider asserts.
type User struct {
	// Subject is the pairwise identifier FranceConnect would send as sub.
	Subject    string
	GivenName  string
	FamilyName string
	Email      string
}

type grant struct {
	user          User
	nonce         string
	redirectURI   string
	codeChallenge string
}

// New starts a provider; Close it when done.
func New() *Provider {
	p := &Provider{ClientID: "guichet-test-client", ClientSecret: "test-secret-" + random(8),
		key: newKey(), otherKey: newKey(), ACR: "eidas1",
		User:  User{Subject: "sub-" + random(8), GivenName: "Angela Claire Louise", FamilyName: "Dubois", Email: "angela.dubois@example.fr"},
		codes: map[string]grant{}, accessTokens: map[string]User{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	mux.HandleFunc("GET /session/end", p.endSession)
	p.srv = httptest.NewServer(mux)
	p.Issuer = p.srv.URL + "/api/v2"
	return p
}

// Close stops the provider.
func (p *Provider) Close() { p.srv.Close() }

// Set changes the provider's knobs under its lock.
func (p *Provider) Set(fn func(p *Provider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

// Authorizations returns the query of every authorization request received.
func (p *Provider) Authorizations() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.authorizations...)
}

// TokenRequests returns the form of every token request received.
func (p *Provider) TokenRequests() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.tokenRequests...)
}

// EndSessions returns the query of every end_session request received.
func (p *Provider) EndSessions() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.endSessions...)
}

func newKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	base := p.srv.URL
	writeJSON(w, map[string]any{
		"issuer":                                p.Issuer,
		"authorization_endpoint":                base + "/authorize",
		"token_endpoint":                        base + "/token",
		"userinfo_endpoint":                     base + "/userinfo",
		"jwks_uri":                              base + "/jwks",
		"end_session_endpoint":                  base + "/session/end",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"userinfo_signing_alg_values_supported": []string{"ES256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"acr_values_supported":                  []string{"eidas1"},
		"scopes_supported":                      []string{"openid", "email", "given_name", "family_name"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: "main", Algorithm: string(jose.ES256), Use: "sig"}}})
}

// authorize approves at once, as if the person had signed in at the provider.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	p.authorizations = append(p.authorizations, q)
	user := p.User
	p.mu.Unlock()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("client_id") != p.ClientID || q.Get("response_type") != "code" || redirect.Host == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	code := random(16)
	p.mu.Lock()
	p.codes[code] = grant{user: user, nonce: q.Get("nonce"), redirectURI: q.Get("redirect_uri"),
		codeChallenge: q.Get("code_challenge")}
	p.mu.Unlock()
	back := redirect.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.tokenRequests = append(p.tokenRequests, r.PostForm)
	g, ok := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	acr, nonce := p.ACR, p.Nonce
	p.mu.Unlock()
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || secret != p.ClientSecret {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if !ok || g.redirectURI != r.PostForm.Get("redirect_uri") {
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	if g.codeChallenge != "" {
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.codeChallenge {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	}
	if nonce == "" {
		nonce = g.nonce
	}
	now := time.Now()
	claims := map[string]any{"iss": p.Issuer, "aud": p.ClientID, "sub": g.user.Subject, "nonce": nonce,
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "auth_time": now.Unix()}
	if acr != "" {
		claims["acr"] = acr
	}
	idToken := p.sign(p.key, claims)
	access := random(16)
	p.mu.Lock()
	p.accessTokens[access] = g.user
	p.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 60, "id_token": idToken})
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	const prefix = "Bearer "
	auth := r.Header.Get("Authorization")
	p.mu.Lock()
	user, ok := p.accessTokens[auth[min(len(prefix), len(auth)):]]
	bad, plain, sub := p.BadUserinfoSignature, p.PlainUserinfo, p.UserinfoSubject
	p.mu.Unlock()
	if len(auth) <= len(prefix) || auth[:len(prefix)] != prefix || !ok {
		http.Error(w, "invalid_token", http.StatusUnauthorized)
		return
	}
	if sub == "" {
		sub = user.Subject
	}
	claims := map[string]any{"iss": p.Issuer, "aud": p.ClientID, "sub": sub, "given_name": user.GivenName,
		"family_name": user.FamilyName, "email": user.Email}
	if plain {
		writeJSON(w, claims)
		return
	}
	key := p.key
	if bad {
		key = p.otherKey
	}
	w.Header().Set("Content-Type", "application/jwt")
	_, _ = w.Write([]byte(p.sign(key, claims)))
}

func (p *Provider) endSession(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	p.endSessions = append(p.endSessions, q)
	p.mu.Unlock()
	back, err := url.Parse(q.Get("post_logout_redirect_uri"))
	if err != nil || back.Host == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	v := back.Query()
	v.Set("state", q.Get("state"))
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// sign returns claims as a compact JWS signed with key under kid "main" (a
// wrong key keeps the kid, as a forgery would).
func (p *Provider) sign(key *ecdsa.PrivateKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: "main"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
