package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

// CookieName is the session cookie.
const CookieName = "guichet_session"

// Session is one signed-in browser.
type Session struct {
	// ID is the SHA-256 of the cookie's secret: what the database, logs
	// and audit trail know. The secret itself only lives in the cookie.
	ID           string
	TenantID     string
	UserID       string
	SecondFactor bool
	// Provider and IDToken are set for OpenID Connect sign-ins, to log out
	// at the provider.
	Provider  string
	IDToken   string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SignInOptions describe how a user signed in.
type SignInOptions struct {
	SecondFactor bool
	Provider     string
	IDToken      string
}

// LogoutRedirector sends a signed-out person on to their identity
// provider's logout page; the OpenID Connect domain implements it.
type LogoutRedirector interface {
	LogoutURL(ctx context.Context, r *http.Request, s *Session) (string, error)
}

// Sessions signs people in and out and loads the identity of each request.
type Sessions struct {
	store  *Store
	secure bool
	staff  StaffSource
	// Lifetimes: a session ends after Idle without a request or at Max,
	// whichever comes first. Staff get shorter ones.
	ResidentIdle, ResidentMax time.Duration
	StaffIdle, StaffMax       time.Duration
	// Now is the clock; tests move it forward.
	Now func() time.Time
}

// touchEvery limits idle-time extensions to one write per session per period.
const touchEvery = 5 * time.Minute

// NewSessions returns a session manager; secure sets the cookie's Secure flag.
func NewSessions(store *Store, secure bool) *Sessions {
	return &Sessions{store: store, secure: secure,
		ResidentIdle: 12 * time.Hour, ResidentMax: 30 * 24 * time.Hour,
		StaffIdle: 2 * time.Hour, StaffMax: 12 * time.Hour,
		Now: clock.System}
}

// SetStaffSource connects the staff domain; nil means everybody is a resident.
func (m *Sessions) SetStaffSource(src StaffSource) { m.staff = src }

// Store returns the account store behind the sessions.
func (m *Sessions) Store() *Store { return m.store }

func (m *Sessions) staffOf(ctx context.Context, tenantID, userID string) (*StaffInfo, error) {
	if m.staff == nil {
		return nil, nil
	}
	return m.staff.StaffOf(ctx, tenantID, userID)
}

// SignIn starts a session for u and sets its cookie. The id is always new
// (no session fixation) and the request's previous session, if any, ends.
func (m *Sessions) SignIn(w http.ResponseWriter, r *http.Request, u *User, opt SignInOptions) error {
	ctx := r.Context()
	if t := tenant.FromContext(ctx); t == nil || t.ID != u.TenantID {
		return guichet.Errorf(guichet.EForbidden, "Ce compte n'appartient pas à ce site.")
	}
	info, err := m.staffOf(ctx, u.TenantID, u.ID)
	if err != nil {
		return fmt.Errorf("account: staff of %s: %w", u.ID, err)
	}
	idle, max := m.ResidentIdle, m.ResidentMax
	if info != nil {
		idle, max = m.StaffIdle, m.StaffMax
	}
	secret := tokens.New(32)
	now := m.Now().UTC()
	expires := now.Add(max)
	previous := ""
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		previous = tokens.Hash(c.Value)
		// The browser's previous session ends, forgotten once that is committed.
		defer m.store.changed(ctx, invalidate.Session, u.TenantID, previous)
	}
	err = m.store.db.InTx(ctx, func(tx *db.Tx) error {
		if previous != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND id = ?`, u.TenantID, previous); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (id, tenant_id, user_id, second_factor, staff, provider,
			id_token, idle_seconds, created_at, idle_until, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tokens.Hash(secret), u.TenantID, u.ID, opt.SecondFactor, info != nil, opt.Provider, opt.IDToken,
			int64(idle/time.Second), now, now.Add(idle), expires)
		if err != nil {
			return err
		}
		return seen(ctx, tx, u, now)
	})
	if err != nil {
		return fmt.Errorf("account: sign in: %w", err)
	}
	http.SetCookie(w, m.cookie(secret, expires))
	return nil
}

// NeedsSecondFactor reports whether u must pass TOTP before getting staff
// roles in a session opened with opt; the sign-in page asks it.
func (m *Sessions) NeedsSecondFactor(ctx context.Context, u *User, opt SignInOptions) (bool, error) {
	info, err := m.staffOf(ctx, u.TenantID, u.ID)
	if err != nil {
		return false, err
	}
	return info != nil && info.SecondFactorRequired && !opt.SecondFactor, nil
}

func (m *Sessions) cookie(value string, expires time.Time) *http.Cookie {
	c := &http.Cookie{Name: CookieName, Value: value, Path: "/", HttpOnly: true, Secure: m.secure,
		SameSite: http.SameSiteLaxMode}
	if value == "" {
		c.MaxAge = -1
	} else {
		// A lifetime rather than a date: a visitor's clock may be wrong.
		c.MaxAge = max(int(expires.Sub(m.Now()).Seconds()), 1)
	}
	return c
}

// SignOut ends the request's session and clears its cookie. It returns the
// ended session, or nil when there was none.
func (m *Sessions) SignOut(w http.ResponseWriter, r *http.Request) (*Session, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	http.SetCookie(w, m.cookie("", time.Time{}))
	t := tenant.FromContext(r.Context())
	if t == nil {
		return nil, nil
	}
	ctx := r.Context()
	s := &Session{}
	defer m.store.changed(ctx, invalidate.Session, t.ID, tokens.Hash(c.Value))
	err = m.store.db.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND id = ?
			RETURNING id, tenant_id, user_id, second_factor, provider, id_token, created_at, expires_at`,
			t.ID, tokens.Hash(c.Value)).Scan(&s.ID, &s.TenantID, &s.UserID, &s.SecondFactor, &s.Provider,
			&s.IDToken, &s.CreatedAt, &s.ExpiresAt)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("account: sign out: %w", err)
	}
	return s, nil
}

// MarkSecondFactor records that the session's owner passed TOTP.
func (m *Sessions) MarkSecondFactor(ctx context.Context, tenantID, sessionID string) error {
	defer m.store.changed(ctx, invalidate.Session, tenantID, sessionID)
	res, err := m.store.db.Exec(ctx, `UPDATE sessions SET second_factor = ? WHERE tenant_id = ? AND id = ?`,
		true, tenantID, sessionID)
	if err != nil {
		return fmt.Errorf("account: mark second factor: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// EndSessions signs a user out everywhere (role withdrawn, account locked…).
func (s *Store) EndSessions(ctx context.Context, tenantID, userID string) error {
	defer s.changed(ctx, invalidate.Accounts, tenantID, userID)
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
	if err != nil {
		return fmt.Errorf("account: end sessions: %w", err)
	}
	return nil
}

// Middleware puts the signed-in person's Identity in the request context.
// A request without the cookie costs no query; with it, one query loads
// the session and its user, and one more the staff roles of staff.
func (m *Sessions) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(CookieName)
		t := tenant.FromContext(r.Context())
		if err != nil || c.Value == "" || t == nil {
			next.ServeHTTP(w, r)
			return
		}
		id, err := m.identity(r.Context(), t.ID, c.Value)
		switch {
		case errors.Is(err, ErrNotFound):
			http.SetCookie(w, m.cookie("", time.Time{})) // stale or foreign cookie
		case err != nil:
			slog.ErrorContext(r.Context(), "load session", "err", err)
		default:
			r = r.WithContext(NewContext(r.Context(), id))
		}
		next.ServeHTTP(w, r)
	})
}

// identity loads the live session whose cookie secret is given.
func (m *Sessions) identity(ctx context.Context, tenantID, secret string) (*Identity, error) {
	if len(secret) > 100 {
		return nil, ErrNotFound
	}
	id := &Identity{TenantID: tenantID, SessionID: tokens.Hash(secret)}
	now := m.Now().UTC()
	if cached, ok := m.store.identities.get(tenantID, id.SessionID, now); ok {
		return cached, nil
	}
	gen := m.store.identities.generation()
	var staff bool
	var idleSeconds int64
	var idleUntil, expires time.Time
	var verified sql.NullTime
	err := m.store.db.QueryRow(ctx, `SELECT s.user_id, s.second_factor, s.staff, s.idle_seconds, s.idle_until,
		s.expires_at, u.email, u.name, u.lang, u.text_size, u.line_spacing, u.high_contrast, u.email_verified_at
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
		WHERE s.tenant_id = ? AND s.id = ?`, tenantID, id.SessionID).Scan(&id.UserID, &id.SecondFactor, &staff,
		&idleSeconds, &idleUntil, &expires, &id.Email, &id.Name, &id.Lang, &id.Prefs.TextSize,
		&id.Prefs.LineSpacing, &id.Prefs.HighContrast, &verified)
	id.EmailVerified = verified.Valid
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("account: load session: %w", err)
	}
	if !now.Before(expires) || !now.Before(idleUntil) {
		return nil, ErrNotFound
	}
	idle := time.Duration(idleSeconds) * time.Second
	if idleUntil.Sub(now) < idle-touchEvery {
		idleUntil = now.Add(idle)
		// A locked database leaves the session as it was: the visitor
		// stays signed in, and the next request extends it.
		if _, err := m.store.db.Exec(ctx, `UPDATE sessions SET idle_until = ? WHERE tenant_id = ? AND id = ?`,
			idleUntil, tenantID, id.SessionID); err != nil && !errors.Is(err, db.ErrBusy) {
			return nil, fmt.Errorf("account: extend session: %w", err)
		}
	}
	if staff {
		if err := m.addStaff(ctx, id); err != nil {
			return nil, err
		}
		return id, nil
	}
	m.store.identities.put(gen, cachedIdentity{id: *id, idleUntil: idleUntil, expires: expires, loaded: now})
	return id, nil
}

// addStaff grants staff roles, unless the second factor is still due.
func (m *Sessions) addStaff(ctx context.Context, id *Identity) error {
	info, err := m.staffOf(ctx, id.TenantID, id.UserID)
	if err != nil {
		return fmt.Errorf("account: staff roles: %w", err)
	}
	switch {
	case info == nil:
	case info.SecondFactorRequired && !id.SecondFactor:
		id.NeedsSecondFactor = true
	default:
		id.Roles, id.Services, id.Title = info.Roles, info.Services, info.Title
	}
	return nil
}
