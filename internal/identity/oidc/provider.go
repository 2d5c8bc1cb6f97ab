// Package oidc signs residents in with an OpenID Connect provider configured
// per collectivité, built for FranceConnect v2: authorization code flow with
// state, nonce and PKCE, acr_values, signed userinfo, logout at the provider,
// and accounts linked by subject or, the first time, by verified email.
package oidc

import (
	"net/url"
	"strings"
	"time"

	"guichet"
)

// FranceConnect is the provider name used by the FranceConnect sign-in pages.
const FranceConnect = "franceconnect"

// Defaults for a new provider, as FranceConnect v2 expects them.
const (
	DefaultScopes = "openid email given_name family_name"
	DefaultACR    = "eidas1"
)

// Provider is one collectivité's configuration of an OpenID provider.
type Provider struct {
	TenantID string
	Name     string // "franceconnect"
	Issuer   string // must equal the issuer of the discovery document
	ClientID string
	// ClientSecret is kept sealed in the database (see Sealer).
	ClientSecret string
	Scopes       string // space-separated, must include "openid"
	ACR          string // sent as acr_values and required in the ID token; empty for none
	// SignedUserinfo refuses a userinfo answer that is not a signed JWT.
	SignedUserinfo bool
	Enabled        bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NewProvider returns a disabled provider with FranceConnect's defaults.
func NewProvider(tenantID, name string) Provider {
	return Provider{TenantID: tenantID, Name: name, Scopes: DefaultScopes, ACR: DefaultACR, SignedUserinfo: true}
}

// ScopeList returns the scopes as a list, "openid" first.
func (p *Provider) ScopeList() []string {
	out := []string{"openid"}
	for _, s := range strings.Fields(p.Scopes) {
		if s != "openid" {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks the configuration, field by field.
func (p *Provider) Validate() error {
	p.Issuer = strings.TrimSpace(p.Issuer) // kept as typed: it must equal the discovered issuer
	p.ClientID = strings.TrimSpace(p.ClientID)
	p.Scopes = strings.Join(strings.Fields(p.Scopes), " ")
	p.ACR = strings.TrimSpace(p.ACR)
	errs := map[string]string{}
	if msg := checkIssuer(p.Issuer); msg != "" {
		errs["issuer"] = msg
	}
	if p.ClientID == "" {
		errs["client_id"] = "Indiquez l'identifiant client fourni par le fournisseur d'identité."
	}
	if p.ClientSecret == "" {
		errs["client_secret"] = "Indiquez le secret client fourni par le fournisseur d'identité."
	}
	if !strings.Contains(" "+p.Scopes+" ", " openid ") {
		errs["scopes"] = "Les périmètres (scopes) doivent contenir « openid »."
	}
	if strings.ContainsAny(p.ACR, " \t") {
		errs["acr"] = "Indiquez un seul niveau de garantie, par exemple eidas1."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// checkIssuer requires HTTPS, except on a loopback host (tests, local work).
func checkIssuer(issuer string) string {
	u, err := url.Parse(issuer)
	if issuer == "" || err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "Indiquez l'adresse de l'émetteur (issuer), par exemple https://fournisseur.example/api/v2."
	}
	host := u.Hostname()
	loopback := host == "localhost" || host == "127.0.0.1" || host == "::1"
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback) {
		return "L'adresse de l'émetteur doit commencer par https://."
	}
	return ""
}
