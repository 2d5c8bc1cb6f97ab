package oidc

import (
	"context"
	"guichet/internal/kernel/tokens"
	"net/url"
)

// EndSessionURL returns the provider's logout address for a session signed
// in with provider on tenantID, carrying id_token_hint, a fresh state and
// postLogout (which the provider sends the browser back to). It returns ""
// when there is nothing to end at the provider: no ID token kept, provider
// removed or disabled, or no end_session_endpoint.
func (s *Service) EndSessionURL(ctx context.Context, tenantID, provider, idToken, postLogout string) (string, error) {
	if idToken == "" {
		return "", nil
	}
	p, err := s.Store.Provider(ctx, tenantID, provider)
	if err == ErrNoProvider {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	m, err := s.disco.get(ctx, p.Issuer)
	if err != nil {
		return "", refuse(errUnreached, err)
	}
	if m.endSession == "" {
		return "", nil
	}
	u, err := url.Parse(m.endSession)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("state", tokens.New(32))
	q.Set("post_logout_redirect_uri", postLogout)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
