package sharing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
)

// Store keeps a collectivité's accounts and posts; every query filters by
// tenant_id, except the periodic run's list of accounts and the retention.
type Store struct {
	db *db.DB
	// Now is the clock every rule reads.
	Now    clock.Clock
	seal   sealer
	jobs   *jobs.Queue
	Client *http.Client
	// Loopback lets accounts name 127.0.0.1:port over http: the tests'
	// fake servers only, never a deployment.
	Loopback bool
}

// NewStore returns the store; secretKey is the server's, from which the
// key sealing the accounts' secrets is derived.
func NewStore(d *db.DB, secretKey string) *Store {
	return &Store{db: d, Now: clock.System, seal: newSealer(secretKey), Client: NewClient(false)}
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC() }

// ErrNotFound is an account or a post the collectivité does not have.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Élément introuvable.")

const accountCols = `id, tenant_id, network, host, handle, secret_saved_at, kinds, approval, status, checked, created_at`

func scanAccount(row interface{ Scan(...any) error }) (*Account, error) {
	var a Account
	var kinds string
	err := row.Scan(&a.ID, &a.TenantID, &a.Network, &a.Host, &a.Handle, &a.SecretSavedAt, &kinds, &a.Approval,
		&a.Status, &a.Checked, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sharing: account: %w", err)
	}
	a.Kinds = splitKinds(kinds)
	return &a, nil
}

func splitKinds(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Accounts lists the collectivité's accounts, oldest first.
func (s *Store) Accounts(ctx context.Context, tenantID string) ([]*Account, error) {
	rows, err := s.db.Query(ctx, `SELECT `+accountCols+` FROM sharing_accounts WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("sharing: accounts: %w", err)
	}
	defer rows.Close()
	var out []*Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns one of the collectivité's accounts.
func (s *Store) Account(ctx context.Context, tenantID, id string) (*Account, error) {
	return scanAccount(s.db.QueryRow(ctx, `SELECT `+accountCols+` FROM sharing_accounts WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// validate checks an account as an administrator fills it; a new one
// must come with its secret.
func (s *Store) validate(a *Account, isNew bool) error {
	errs := map[string]string{}
	if !slices.Contains(Networks, a.Network) {
		errs["network"] = "Choisissez un réseau."
	}
	if a.Network == Bluesky && a.Host == "" {
		a.Host = "bsky.social"
	}
	if h, err := CheckHost(a.Host, s.Loopback); err != nil {
		errs["host"] = guichet.FieldErrors(err)["host"]
	} else {
		a.Host = h
	}
	a.Handle = strings.TrimPrefix(strings.TrimSpace(a.Handle), "@")
	if a.Network == Bluesky && !HostName(strings.ToLower(a.Handle)) {
		errs["handle"] = "Indiquez l'identifiant Bluesky du compte, par exemple ville.bsky.social."
	}
	if isNew && strings.TrimSpace(a.Secret) == "" {
		errs["secret"] = "Indiquez le jeton d'accès ou le mot de passe d'application."
	}
	if len(a.Secret) > 4096 {
		errs["secret"] = "Ce secret est trop long."
	}
	var kinds []string
	for _, k := range Kinds {
		if slices.Contains(a.Kinds, k) {
			kinds = append(kinds, k)
		}
	}
	a.Kinds = kinds
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// AddAccount saves a new account with its secret, sealed. Publications
// from before its creation are never queued for it.
func (s *Store) AddAccount(ctx context.Context, a *Account) error {
	if err := s.validate(a, true); err != nil {
		return err
	}
	now := s.now()
	a.ID, a.Status, a.SecretSavedAt, a.CreatedAt = uuid.NewString(), Active, now, now
	_, err := s.db.Exec(ctx, `INSERT INTO sharing_accounts (id, tenant_id, network, host, handle, secret, secret_saved_at, kinds,
		approval, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, a.Network, a.Host, a.Handle, s.seal.seal(a.Secret, a.TenantID, a.ID), now,
		strings.Join(a.Kinds, ","), a.Approval, a.Status, now, now)
	a.Secret = ""
	if err != nil {
		return fmt.Errorf("sharing: add account: %w", err)
	}
	return nil
}

// UpdateAccount saves an account's settings; a new secret, when given,
// replaces the old one, makes the account active again and sends the
// posts its refusal held.
func (s *Store) UpdateAccount(ctx context.Context, a *Account) error {
	if err := s.validate(a, false); err != nil {
		return err
	}
	now := s.now()
	secret := a.Secret
	a.Secret = ""
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sharing_accounts SET host = ?, handle = ?, kinds = ?, approval = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, a.Host, a.Handle, strings.Join(a.Kinds, ","), a.Approval, now, a.TenantID, a.ID)
		if err != nil {
			return fmt.Errorf("sharing: update account: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if strings.TrimSpace(secret) == "" {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE sharing_accounts SET secret = ?, secret_saved_at = ?, status = ?, checked = ''
			WHERE tenant_id = ? AND id = ?`, s.seal.seal(secret, a.TenantID, a.ID), now, Active, a.TenantID, a.ID); err != nil {
			return fmt.Errorf("sharing: update secret: %w", err)
		}
		return s.requeueTx(ctx, tx, a.TenantID, a.ID)
	})
}

// requeueTx sends again the queued posts of an account.
func (s *Store) requeueTx(ctx context.Context, tx *db.Tx, tenantID, accountID string) error {
	var ids []string
	err := db.Each(ctx, tx, `SELECT id FROM sharing_posts WHERE tenant_id = ? AND account_id = ? AND status = ?`,
		func(r db.Row) error {
			var id string
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		}, tenantID, accountID, Queued)
	if err != nil {
		return fmt.Errorf("sharing: requeue: %w", err)
	}
	for _, id := range ids {
		if err := s.deliverTx(ctx, tx, tenantID, id); err != nil {
			return err
		}
	}
	return nil
}

// DeleteAccount removes an account and its posts.
func (s *Store) DeleteAccount(ctx context.Context, tenantID, id string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sharing_posts WHERE tenant_id = ? AND account_id = ?`, tenantID, id); err != nil {
			return fmt.Errorf("sharing: delete posts: %w", err)
		}
		res, err := tx.Exec(ctx, `DELETE FROM sharing_accounts WHERE tenant_id = ? AND id = ?`, tenantID, id)
		if err != nil {
			return fmt.Errorf("sharing: delete account: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// secret opens an account's sealed secret.
func (s *Store) secret(ctx context.Context, tenantID, id string) (string, error) {
	var sealed string
	if err := s.db.QueryRow(ctx, `SELECT secret FROM sharing_accounts WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&sealed); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("sharing: secret: %w", err)
	}
	return s.seal.open(sealed, tenantID, id)
}

// setAccountState records an account's state and what was said of it.
func (s *Store) setAccountState(ctx context.Context, tenantID, id, status, checked string) error {
	_, err := s.db.Exec(ctx, `UPDATE sharing_accounts SET status = ?, checked = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		status, checked, s.now(), tenantID, id)
	if err != nil {
		return fmt.Errorf("sharing: account state: %w", err)
	}
	return nil
}

const postCols = `p.id, p.tenant_id, p.account_id, p.kind, p.item_id, p.title, p.link, p.body, p.status, p.error, p.remote_url,
	p.created_at, p.updated_at, p.sent_at, a.network, a.host`

func scanPost(row interface{ Scan(...any) error }) (*Post, error) {
	var p Post
	var sent sql.NullTime
	err := row.Scan(&p.ID, &p.TenantID, &p.AccountID, &p.Kind, &p.ItemID, &p.Title, &p.Link, &p.Text, &p.Status, &p.Error,
		&p.RemoteURL, &p.CreatedAt, &p.Updated, &sent, &p.Network, &p.Host)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sharing: post: %w", err)
	}
	if sent.Valid {
		p.SentAt = sent.Time
	}
	return &p, nil
}

// Post returns one of the collectivité's posts.
func (s *Store) Post(ctx context.Context, tenantID, id string) (*Post, error) {
	return scanPost(s.db.QueryRow(ctx, `SELECT `+postCols+` FROM sharing_posts p JOIN sharing_accounts a ON a.id = p.account_id
		WHERE p.tenant_id = ? AND p.id = ?`, tenantID, id))
}

// Posts lists the collectivité's posts in the given states, newest first,
// at most limit.
func (s *Store) Posts(ctx context.Context, tenantID string, limit int, states ...string) ([]*Post, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(states)), ", ")
	args := []any{tenantID}
	for _, st := range states {
		args = append(args, st)
	}
	rows, err := s.db.Query(ctx, `SELECT `+postCols+` FROM sharing_posts p JOIN sharing_accounts a ON a.id = p.account_id
		WHERE p.tenant_id = ? AND p.status IN (`+marks+`) ORDER BY p.updated_at DESC, p.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sharing: posts: %w", err)
	}
	defer rows.Close()
	var out []*Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// setPost records a post's state after an attempt or a decision.
func (s *Store) setPost(ctx context.Context, tenantID, id, status, errText, remote string) error {
	now := s.now()
	var sent any
	if status == Sent {
		sent = now
	}
	_, err := s.db.Exec(ctx, `UPDATE sharing_posts SET status = ?, error = ?, remote_url = ?, updated_at = ?, sent_at = ?
		WHERE tenant_id = ? AND id = ?`, status, errText, remote, now, sent, tenantID, id)
	if err != nil {
		return fmt.Errorf("sharing: post state: %w", err)
	}
	return nil
}

// Approve sends a waiting post, with its text as the administrator
// edited it (empty: unchanged).
func (s *Store) Approve(ctx context.Context, tenantID, id, text string) error {
	p, err := s.Post(ctx, tenantID, id)
	if err != nil {
		return err
	}
	if p.Status != Pending {
		return guichet.Errorf(guichet.EConflict, "Cette publication n'attend plus de validation.")
	}
	if strings.TrimSpace(text) != "" {
		p.Text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	}
	if err := CheckText(p.Network, p.Text); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sharing_posts SET body = ?, status = ?, error = '', updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = ?`, p.Text, Queued, s.now(), tenantID, id, Pending)
		if err != nil {
			return fmt.Errorf("sharing: approve: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return guichet.Errorf(guichet.EConflict, "Cette publication n'attend plus de validation.")
		}
		return s.deliverTx(ctx, tx, tenantID, id)
	})
}

// CheckText refuses an empty text, or one over the network's limit.
func CheckText(network, text string) error {
	limit := (&Account{Network: network}).Limit()
	if strings.TrimSpace(text) == "" {
		return guichet.Invalid(map[string]string{"text": "Le texte de la publication est vide."})
	}
	if n := Length(network, text); n > limit {
		return guichet.Invalid(map[string]string{"text": fmt.Sprintf("Le texte compte %d caractères, pour %d au plus.", n, limit)})
	}
	return nil
}

// Cancel drops a post waiting for approval or failed.
func (s *Store) Cancel(ctx context.Context, tenantID, id string) error {
	res, err := s.db.Exec(ctx, `UPDATE sharing_posts SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status IN (?, ?)`,
		Cancelled, s.now(), tenantID, id, Pending, Failed)
	if err != nil {
		return fmt.Errorf("sharing: cancel: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Post(ctx, tenantID, id); err != nil {
			return err
		}
		return guichet.Errorf(guichet.EConflict, "Cette publication ne peut plus être annulée.")
	}
	return nil
}

// Retry sends a failed post again.
func (s *Store) Retry(ctx context.Context, tenantID, id string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sharing_posts SET status = ?, error = '', updated_at = ? WHERE tenant_id = ? AND id = ? AND status = ?`,
			Queued, s.now(), tenantID, id, Failed)
		if err != nil {
			return fmt.Errorf("sharing: retry: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM sharing_posts WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one); err != nil {
				return ErrNotFound
			}
			return guichet.Errorf(guichet.EConflict, "Seule une publication en échec peut être renvoyée.")
		}
		return s.deliverTx(ctx, tx, tenantID, id)
	})
}

// SetState records a post's state as the demonstration and the tests'
// fixtures need it (a post sent, one failed), without calling a network.
func (s *Store) SetState(ctx context.Context, tenantID, id, status, errText, remote string) error {
	return s.setPost(ctx, tenantID, id, status, errText, remote)
}

// PostOf returns the post of an item for an account.
func (s *Store) PostOf(ctx context.Context, tenantID, accountID, kind, itemID string) (*Post, error) {
	return scanPost(s.db.QueryRow(ctx, `SELECT `+postCols+` FROM sharing_posts p JOIN sharing_accounts a ON a.id = p.account_id
		WHERE p.tenant_id = ? AND p.account_id = ? AND p.kind = ? AND p.item_id = ?`, tenantID, accountID, kind, itemID))
}
