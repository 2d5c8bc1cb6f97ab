package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Claims are the identity attributes Guichet uses.
type Claims struct {
	// Subject identifies the person at the provider; the rest is as released.
	Subject    string `json:"sub"`
	Email      string `json:"email"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Name       string `json:"name"`
}

// DisplayName is the person's name as shown on the site.
func (c Claims) DisplayName() string {
	if n := strings.TrimSpace(c.GivenName + " " + c.FamilyName); n != "" {
		return n
	}
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	return c.Email
}

// userinfoClaims carries what is checked in a signed userinfo answer.
type userinfoClaims struct {
	Claims
	Issuer   string          `json:"iss"`
	Audience json.RawMessage `json:"aud"`
	Expiry   *int64          `json:"exp"`
}

// userinfo fetches the person's claims. FranceConnect v2 answers with a JWT
// (application/jwt) signed with the provider's keys: the signature, its
// algorithm, the issuer, the audience and the subject are all checked.
func (s *Service) userinfo(ctx context.Context, p *Provider, m *metadata, access, subject string) (Claims, error) {
	endpoint := m.provider.UserInfoEndpoint()
	if endpoint == "" {
		return Claims{}, refuse(errBadAnswer, errors.New("provider has no userinfo endpoint"))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return Claims{}, err
	}
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Accept", "application/jwt, application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return Claims{}, refuse(errUnreached, fmt.Errorf("userinfo: %w", err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Claims{}, refuse(errUnreached, fmt.Errorf("userinfo: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		return Claims{}, refuse(errBadAnswer, fmt.Errorf("userinfo: status %s", resp.Status))
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	signed := mediaType == "application/jwt"
	if signed {
		if body, err = s.verifyUserinfo(ctx, m, strings.TrimSpace(string(body))); err != nil {
			return Claims{}, refuse(errBadAnswer, fmt.Errorf("userinfo: %w", err))
		}
	} else if p.SignedUserinfo {
		return Claims{}, refuse(errBadAnswer, fmt.Errorf("userinfo: unsigned answer (%s) refused", mediaType))
	}
	c, err := readUserinfo(body, p, subject, signed, time.Now())
	if err != nil {
		return Claims{}, refuse(errBadAnswer, fmt.Errorf("userinfo: %w", err))
	}
	return c, nil
}

// readUserinfo decodes a userinfo answer, already verified when signed:
// it must name subject, the person of the ID token, and a signed one must
// carry p's claims at now.
func readUserinfo(body []byte, p *Provider, subject string, signed bool, now time.Time) (Claims, error) {
	var c userinfoClaims
	if err := json.Unmarshal(body, &c); err != nil {
		return Claims{}, err
	}
	if c.Subject != subject {
		return Claims{}, errors.New("subject differs from the ID token's")
	}
	if signed {
		if err := c.check(p, now); err != nil {
			return Claims{}, err
		}
	}
	return c.Claims, nil
}

// verifyUserinfo checks the JWS algorithm against the provider's, then the
// signature against its published keys, and returns the payload.
func (s *Service) verifyUserinfo(ctx context.Context, m *metadata, raw string) ([]byte, error) {
	algs := make([]jose.SignatureAlgorithm, len(m.infoAlgs))
	for i, a := range m.infoAlgs {
		algs[i] = jose.SignatureAlgorithm(a)
	}
	if _, err := jose.ParseSignedCompact(raw, algs); err != nil { // a JWT is always in compact form
		return nil, fmt.Errorf("malformed or unexpected algorithm: %w", err)
	}
	payload, err := m.keys.VerifySignature(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("bad signature: %w", err)
	}
	return payload, nil
}

// check applies the claims a signed userinfo should carry: when present,
// the issuer must be the provider's, the audience must name this client and
// the expiry must be ahead.
func (c *userinfoClaims) check(p *Provider, now time.Time) error {
	if c.Issuer != "" && c.Issuer != p.Issuer {
		return fmt.Errorf("issuer %q, want %q", c.Issuer, p.Issuer)
	}
	if len(c.Audience) > 0 {
		var one string
		var many []string
		if json.Unmarshal(c.Audience, &one) == nil {
			many = []string{one}
		} else if err := json.Unmarshal(c.Audience, &many); err != nil {
			return errors.New("malformed audience")
		}
		if !slices.Contains(many, p.ClientID) {
			return errors.New("audience does not name this client")
		}
	}
	if c.Expiry != nil && now.Unix() > *c.Expiry {
		return errors.New("expired")
	}
	return nil
}
