package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tokens"
)

// Start is a sign-in about to leave for the provider.
type Start struct {
	// URL is the provider's authorization address to redirect to.
	URL string
	// BrowserSecret must be kept in a short-lived HttpOnly cookie and given
	// back to Finish: it binds the state to this browser.
	BrowserSecret string
	// State is the value sent to the provider (for tests and logs).
	State string
}

// Begin prepares a sign-in with provider name on tenantID: it stores a
// fresh state, nonce and PKCE verifier and returns the authorization URL.
// redirectURL is the callback's absolute address; next where to go after.
func (s *Service) Begin(ctx context.Context, tenantID, name, redirectURL, next string) (*Start, error) {
	p, err := s.Store.Enabled(ctx, tenantID, name)
	if err != nil {
		return nil, err
	}
	m, err := s.disco.get(ctx, p.Issuer)
	if err != nil {
		return nil, refuse(errUnreached, err)
	}
	f := &flow{State: tokens.New(32), TenantID: tenantID, Provider: name, Nonce: tokens.New(32),
		Next: next, ExpiresAt: s.Store.Now().Add(flowTTL)}
	secret := tokens.New(32)
	f.BrowserHash = tokens.Hash(secret)
	opts := []oauth2.AuthCodeOption{gooidc.Nonce(f.Nonce)}
	if p.ACR != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", p.ACR))
	}
	if m.pkce {
		f.CodeVerifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(f.CodeVerifier))
	}
	if err := s.Store.saveFlow(ctx, f); err != nil {
		return nil, err
	}
	return &Start{URL: s.oauth(p, m, redirectURL).AuthCodeURL(f.State, opts...), BrowserSecret: secret, State: f.State}, nil
}

func (s *Service) oauth(p *Provider, m *metadata, redirectURL string) *oauth2.Config {
	ep := m.provider.Endpoint()
	ep.AuthStyle = m.authStyle
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: ep,
		RedirectURL: redirectURL, Scopes: p.ScopeList()}
}

// Callback is what the provider sent back to the browser, plus the
// browser's secret from its cookie.
type Callback struct {
	// State, Code and Error are the provider's query parameters.
	State, Code, Error string
	BrowserSecret      string
	RedirectURL        string // the same callback address given to Begin
}

// Result is a finished sign-in.
type Result struct {
	User     *account.User // the signed-in account
	Provider string        // the provider's name
	// IDToken is the raw ID token, kept with the session for logout.
	IDToken string
	Claims  Claims
	// Next is where the person wanted to go.
	Next string
	// Created is true when the sign-in created the account, Linked when it
	// attached the provider to an existing account.
	Created, Linked bool
}

// Finish checks the provider's answer for tenantID and returns the signed-in
// user: state bound to this browser and used once, code exchanged (with the
// PKCE verifier), ID token verified (signature, issuer, audience, expiry,
// nonce, acr), userinfo fetched and its signature verified.
func (s *Service) Finish(ctx context.Context, tenantID string, cb Callback) (*Result, error) {
	if cb.State == "" {
		return nil, refuse(errBadState, errors.New("no state"))
	}
	f, err := s.Store.takeFlow(ctx, tenantID, cb.State)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, refuse(errBadState, errors.New("unknown, used or expired state"))
	}
	if cb.BrowserSecret == "" || subtle.ConstantTimeCompare([]byte(tokens.Hash(cb.BrowserSecret)), []byte(f.BrowserHash)) != 1 {
		return nil, refuse(errBadState, errors.New("state not started in this browser"))
	}
	if cb.Error != "" {
		return nil, refuse(errCancelled, fmt.Errorf("provider error %q", cb.Error))
	}
	if cb.Code == "" {
		return nil, refuse(errBadAnswer, errors.New("no code"))
	}
	p, err := s.Store.Enabled(ctx, tenantID, f.Provider)
	if err != nil {
		return nil, err
	}
	m, err := s.disco.get(ctx, p.Issuer)
	if err != nil {
		return nil, refuse(errUnreached, err)
	}
	hctx := context.WithValue(ctx, oauth2.HTTPClient, s.http)
	var opts []oauth2.AuthCodeOption
	if f.CodeVerifier != "" {
		opts = append(opts, oauth2.VerifierOption(f.CodeVerifier))
	}
	tok, err := s.oauth(p, m, cb.RedirectURL).Exchange(hctx, cb.Code, opts...)
	if err != nil {
		return nil, refuse(errBadAnswer, fmt.Errorf("code exchange: %w", err))
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := s.verifyIDToken(ctx, p, m, f, rawID, tok.AccessToken)
	if err != nil {
		return nil, err
	}
	claims, err := s.userinfo(ctx, p, m, tok.AccessToken, idt.Subject)
	if err != nil {
		return nil, err
	}
	res, err := s.signIn(ctx, p, idt.Subject, claims)
	if err != nil {
		return nil, err
	}
	res.IDToken, res.Next = rawID, f.Next
	return res, nil
}

func (s *Service) verifyIDToken(ctx context.Context, p *Provider, m *metadata, f *flow, raw, access string) (*gooidc.IDToken, error) {
	if raw == "" {
		return nil, refuse(errBadAnswer, errors.New("no id_token in the token answer"))
	}
	v := gooidc.NewVerifier(p.Issuer, m.keys, &gooidc.Config{ClientID: p.ClientID, SupportedSigningAlgs: m.algs})
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, refuse(errBadAnswer, fmt.Errorf("id token: %w", err))
	}
	if idt.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, refuse(errBadAnswer, errors.New("id token nonce does not match this sign-in"))
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(access); err != nil {
			return nil, refuse(errBadAnswer, fmt.Errorf("id token at_hash: %w", err))
		}
	}
	if p.ACR != "" {
		var c struct {
			ACR string `json:"acr"`
		}
		if err := idt.Claims(&c); err != nil || !acrSatisfies(c.ACR, p.ACR) {
			return nil, refuse(errBadAnswer, fmt.Errorf("id token acr %q, want %q", c.ACR, p.ACR))
		}
	}
	return idt, nil
}

// acrSatisfies reports whether the level got meets want: the same value, or
// for eIDAS levels (eidas1 < eidas2 < eidas3) one at least as high.
func acrSatisfies(got, want string) bool {
	if got == want {
		return true
	}
	g, okG := strings.CutPrefix(got, "eidas")
	w, okW := strings.CutPrefix(want, "eidas")
	return okG && okW && len(g) == 1 && len(w) == 1 && g[0] >= '1' && g[0] <= '3' && g[0] >= w[0]
}
