package account

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	gmail "guichet/internal/kernel/mail"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the users, sessions and tokens tables.
var Migrations = db.Embedded("account", migrationFiles)

// Errors callers test with errors.Is.
var (
	ErrNotFound = guichet.Errorf(guichet.ENotFound, "Compte introuvable.")
	// ErrBadCredentials is the one answer to a failed sign-in, whatever failed.
	ErrBadCredentials = guichet.Errorf(guichet.EUnauthorized, "Adresse électronique ou mot de passe incorrect.")
	// ErrEmailTaken is returned by Register; pages must not show it (it
	// would reveal that the address has an account).
	ErrEmailTaken = guichet.Errorf(guichet.EConflict, "Cette adresse électronique a déjà un compte.")
	// ErrBadToken covers unknown, used and expired tokens alike.
	ErrBadToken = guichet.Errorf(guichet.EInvalid, "Ce lien n'est plus valable.")
)

// User is a person with an account on one collectivité's site (or an
// operator on the platform pseudo-tenant).
type User struct {
	ID              string
	TenantID        string
	Email           string
	Name            string
	Lang            string
	EmailVerifiedAt *time.Time
	HasPassword     bool
	Prefs           Preferences
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Verified reports whether the user proved they own their email address.
func (u *User) Verified() bool { return u.EmailVerifiedAt != nil }

// Exporter adds one domain's section to a person's data export.
type Exporter func(ctx context.Context, p Person) (any, error)

// Store reads and writes accounts, sessions and single-use tokens.
type Store struct {
	db         *db.DB
	mu         sync.RWMutex
	exporters  map[string]Exporter
	erasers    []Eraser
	identities identityCache
	changes    *invalidate.Bus
	// Now is the clock.
	Now clock.Clock
	// Mail sends the warning before an inactive account is deleted; Sites
	// gives a collectivité's address and time zone for it and for the
	// emails an erasure sends. Both unset, no warning goes, so no
	// inactive account is deleted.
	Mail  gmail.Enqueuer
	Sites func(ctx context.Context, tenantID string) (siteURL string, loc *time.Location, err error)
	// SiteWords gives a collectivité's own words (its name), which its
	// accounts' passwords must not be built on; unset, none.
	SiteWords func(ctx context.Context, tenantID string) []string
}

// NewStore returns a Store on d, on a seam of its own until Join.
func NewStore(d *db.DB) *Store {
	s := &Store{db: d, exporters: map[string]Exporter{}, Now: clock.System}
	s.Join(invalidate.New())
	return s
}

// Join announces the store's changes on b and registers its cache of
// residents' sessions there.
func (s *Store) Join(b *invalidate.Bus) {
	s.changes = b
	b.Register(invalidate.Cache{Name: "resident-sessions", Holds: []invalidate.Kind{invalidate.Accounts, invalidate.Session},
		TTL: identityTTL, Drop: s.identities.drop})
}

// changed announces, once committed, that something about a user (key: the
// user's id) or a session (key: its id) changed.
func (s *Store) changed(ctx context.Context, kind invalidate.Kind, tenantID, key string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: kind, TenantID: tenantID, Key: key})
}

// DB returns the database the store works on.
func (s *Store) DB() *db.DB { return s.db }

const userColumns = `id, tenant_id, email, name, lang, password_hash, email_verified_at,
	text_size, line_spacing, high_contrast, created_at, updated_at`

// emailKey is the case-insensitive form under which addresses are unique.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NormalizeEmail validates an address typed in a form and returns it
// trimmed, or an EInvalid error on the field "email".
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	bad := func(msg string) error { return guichet.Invalid(map[string]string{"email": msg}) }
	if email == "" {
		return "", bad("Saisissez votre adresse électronique.")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return "", bad("Saisissez une adresse électronique valide, par exemple nom@exemple.fr.")
	}
	return email, nil
}

func validateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", guichet.Invalid(map[string]string{"name": "Saisissez votre nom."})
	case utf8.RuneCountInString(name) > 200:
		return "", guichet.Invalid(map[string]string{"name": "Le nom ne doit pas dépasser 200 caractères."})
	}
	return name, nil
}

// Register creates a resident account with a password. It validates every
// field at once (errors per field) and returns ErrEmailTaken when the
// address already has an account on this tenant.
func (s *Store) Register(ctx context.Context, tenantID, email, name, password string) (*User, error) {
	email, name, err := ValidateRegistration(email, name, password, s.siteWords(ctx, tenantID)...)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.insert(ctx, tenantID, email, name, hash, nil)
}

// ValidateSignUp checks a sign-up form's fields as Register will.
func (s *Store) ValidateSignUp(ctx context.Context, tenantID, email, name, password string) error {
	_, _, err := ValidateRegistration(email, name, password, s.siteWords(ctx, tenantID)...)
	return err
}

// ValidateNewPassword checks a password chosen by the holder of email and
// name on tenantID, as SetPassword will.
func (s *Store) ValidateNewPassword(ctx context.Context, tenantID, password, email, name string) error {
	return ValidatePassword(password, email, append([]string{name}, s.siteWords(ctx, tenantID)...)...)
}

func (s *Store) siteWords(ctx context.Context, tenantID string) []string {
	if s.SiteWords == nil {
		return nil
	}
	return s.SiteWords(ctx, tenantID)
}

// ValidateRegistration checks a sign-up form's fields, all at once, and
// returns the email and name trimmed. The password must not be built on
// the name, the address or siteWords.
func ValidateRegistration(email, name, password string, siteWords ...string) (string, string, error) {
	fields := map[string]string{}
	email, err := NormalizeEmail(email)
	collect(fields, err)
	name, err = validateName(name)
	collect(fields, err)
	collect(fields, ValidatePassword(password, email, append([]string{name}, siteWords...)...))
	if len(fields) > 0 {
		return "", "", guichet.Invalid(fields)
	}
	return email, name, nil
}

// collect adds the per-field messages of an EInvalid error to fields.
func collect(fields map[string]string, err error) {
	var e *guichet.Error
	if errors.As(err, &e) {
		for k, v := range e.Fields {
			fields[k] = v
		}
	}
}

// CreateVerified creates an account without a password whose address is
// already proven (OpenID Connect first sign-in, staff invitations).
func (s *Store) CreateVerified(ctx context.Context, tenantID, email, name string) (*User, error) {
	fields := map[string]string{}
	email, err := NormalizeEmail(email)
	collect(fields, err)
	name, err = validateName(name)
	collect(fields, err)
	if len(fields) > 0 {
		return nil, guichet.Invalid(fields)
	}
	now := s.Now()
	return s.insert(ctx, tenantID, email, name, "", &now)
}

func (s *Store) insert(ctx context.Context, tenantID, email, name, hash string, verified *time.Time) (*User, error) {
	now := s.Now()
	u := &User{ID: uuid.NewString(), TenantID: tenantID, Email: email, Name: name, Lang: "fr",
		EmailVerifiedAt: verified, HasPassword: hash != "", CreatedAt: now, UpdatedAt: now}
	_, err := s.db.Exec(ctx, `INSERT INTO users (id, tenant_id, email, email_key, name, lang, password_hash,
		email_verified_at, created_at, updated_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, tenantID, email, emailKey(email), name, u.Lang, hash, nullTime(verified), now, now, now)
	if db.IsUniqueViolation(err) {
		return nil, ErrEmailTaken
	}
	if err != nil {
		return nil, fmt.Errorf("account: create user: %w", err)
	}
	return u, nil
}

func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: *t, Valid: true}
}

// Get returns the user with id on tenantID.
func (s *Store) Get(ctx context.Context, tenantID, userID string) (*User, error) {
	u, _, err := s.one(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND id = ?`, tenantID, userID)
	return u, err
}

// ByEmail returns the user with email (compared without case) on tenantID.
func (s *Store) ByEmail(ctx context.Context, tenantID, email string) (*User, error) {
	u, _, err := s.one(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND email_key = ?`,
		tenantID, emailKey(email))
	return u, err
}

func (s *Store) one(ctx context.Context, q string, args ...any) (*User, string, error) {
	u, hash, err := scanUser(s.db.QueryRow(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("account: read user: %w", err)
	}
	return u, hash, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanUser(r scanner) (*User, string, error) {
	var u User
	var hash string
	var verified sql.NullTime
	err := r.Scan(&u.ID, &u.TenantID, &u.Email, &u.Name, &u.Lang, &hash, &verified,
		&u.Prefs.TextSize, &u.Prefs.LineSpacing, &u.Prefs.HighContrast, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, "", err
	}
	if verified.Valid {
		t := verified.Time.UTC()
		u.EmailVerifiedAt = &t
	}
	u.HasPassword = hash != ""
	return &u, hash, nil
}

// Authenticate returns the user whose email and password match. Every
// failure (unknown address, no password, wrong password) returns
// ErrBadCredentials after the same hashing work.
func (s *Store) Authenticate(ctx context.Context, tenantID, email, password string) (*User, error) {
	u, hash, err := s.one(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND email_key = ?`,
		tenantID, emailKey(email))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if hash == "" || len(password) > 4*MaxPasswordLength {
		_, _ = CheckPassword(dummyHash(), password)
		return nil, ErrBadCredentials
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, fmt.Errorf("account: check password of %s: %w", u.ID, err)
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// SetPassword validates and stores a new password, then ends every session
// and password-reset link of the user: whoever knew the old one is out.
func (s *Store) SetPassword(ctx context.Context, tenantID, userID, password string) error {
	u, err := s.Get(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	if err := s.ValidateNewPassword(ctx, tenantID, password, u.Email, u.Name); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	defer s.changed(ctx, invalidate.Accounts, tenantID, userID)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			hash, s.Now(), tenantID, userID); err != nil {
			return fmt.Errorf("account: set password: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
			return fmt.Errorf("account: end sessions: %w", err)
		}
		_, err := tx.Exec(ctx, `DELETE FROM tokens WHERE tenant_id = ? AND user_id = ? AND purpose = ?`,
			tenantID, userID, PurposeReset)
		return err
	})
}

// MarkEmailVerified records that the user proved they own their address.
func (s *Store) MarkEmailVerified(ctx context.Context, tenantID, userID string) error {
	now := s.Now()
	return s.update(ctx, tenantID, userID, `UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?), updated_at = ?
		WHERE tenant_id = ? AND id = ?`, now, now, tenantID, userID)
}

// Languages a profile may choose.
var profileLangs = map[string]bool{"fr": true, "en": true}

// Allowed display preference values.
var (
	TextSizes    = []string{"", "large", "larger"}
	LineSpacings = []string{"", "wide"}
)

// Validate checks that every preference has a known value.
func (p Preferences) Validate() error {
	fields := map[string]string{}
	if !contains(TextSizes, p.TextSize) {
		fields["text_size"] = "Choisissez une taille de texte proposée."
	}
	if !contains(LineSpacings, p.LineSpacing) {
		fields["line_spacing"] = "Choisissez un interlignage proposé."
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// UpdateProfile saves the user's name, language and display preferences.
func (s *Store) UpdateProfile(ctx context.Context, tenantID, userID, name, lang string, prefs Preferences) error {
	fields := map[string]string{}
	name, err := validateName(name)
	collect(fields, err)
	if !profileLangs[lang] {
		fields["lang"] = "Choisissez le français ou l'anglais."
	}
	collect(fields, prefs.Validate())
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return s.update(ctx, tenantID, userID, `UPDATE users SET name = ?, lang = ?, text_size = ?, line_spacing = ?, high_contrast = ?,
		updated_at = ? WHERE tenant_id = ? AND id = ?`, name, lang, prefs.TextSize, prefs.LineSpacing,
		prefs.HighContrast, s.Now(), tenantID, userID)
}

func (s *Store) update(ctx context.Context, tenantID, userID, q string, args ...any) error {
	defer s.changed(ctx, invalidate.Accounts, tenantID, userID)
	res, err := s.db.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("account: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Delete removes the user with their sessions and tokens (by cascade).
// Domains that keep records about the user reference it with ON DELETE
// CASCADE or SET NULL.
func (s *Store) Delete(ctx context.Context, tenantID, userID string) error {
	defer s.changed(ctx, invalidate.Accounts, tenantID, userID)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		// Explicit deletes keep the order clear on engines whose cascades differ.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
			return fmt.Errorf("account: delete sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM tokens WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
			return fmt.Errorf("account: delete tokens: %w", err)
		}
		res, err := tx.Exec(ctx, `DELETE FROM users WHERE tenant_id = ? AND id = ?`, tenantID, userID)
		if err != nil {
			return fmt.Errorf("account: delete user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
