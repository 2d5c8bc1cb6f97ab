package oidc

import (
	"context"
	"errors"
	"strings"

	"guichet"
)

// signIn finds or creates the account of subject at p. A known subject
// signs in its linked account. The first time, the provider's email (which
// FranceConnect guarantees) links an existing account whose email is
// verified; an account whose email was never confirmed is not taken over;
// otherwise a verified account is created.
func (s *Service) signIn(ctx context.Context, p *Provider, subject string, c Claims) (*Result, error) {
	email := strings.TrimSpace(c.Email)
	userID, err := s.Store.identityUser(ctx, p.TenantID, p.Name, subject)
	if err != nil {
		return nil, err
	}
	if userID != "" {
		u, err := s.users.Get(ctx, p.TenantID, userID)
		if err == nil {
			return &Result{User: u, Provider: p.Name, Claims: c}, s.Store.touch(ctx, p.TenantID, p.Name, subject, email)
		}
		if guichet.ErrorCode(err) != guichet.ENotFound {
			return nil, err
		}
		// The account was deleted: start over as a first sign-in.
		if err := s.Store.unlink(ctx, p.TenantID, p.Name, subject); err != nil {
			return nil, err
		}
	}
	if email == "" {
		return nil, refuse(errNoEmail, errors.New("no email claim"))
	}
	res := &Result{Provider: p.Name, Claims: c}
	u, err := s.users.ByEmail(ctx, p.TenantID, email)
	switch {
	case err == nil && !u.Verified():
		return nil, refuse(errUnverified, errors.New("existing account with an unverified email"))
	case err == nil:
		res.User, res.Linked = u, true
	case guichet.ErrorCode(err) == guichet.ENotFound:
		if u, err = s.users.CreateVerified(ctx, p.TenantID, email, c.DisplayName()); err != nil {
			return nil, err
		}
		res.User, res.Created = u, true
	default:
		return nil, err
	}
	if err := s.Store.link(ctx, p.TenantID, p.Name, subject, res.User.ID, email); err != nil {
		return nil, err
	}
	return res, nil
}
