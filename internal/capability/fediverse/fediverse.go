// Package fediverse makes each collectivité an ActivityPub actor: its
// key pair, the WebFinger answer for @slug@host and @mairie@host, the
// actor's documents, the followers it accepts, the publications (news,
// events, alerts) it announces to them through the job queue, signed
// with HTTP signatures (draft-cavage, as Mastodon and Fedify use them),
// and the replies it receives, shown under the item once moderated.
package fediverse

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/tokens"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the fediverse's tables.
var Migrations = db.Embedded("fediverse", migrationFiles)

// The kinds of publication the actor carries.
const (
	KindNews  = "news"
	KindEvent = "event"
	KindAlert = "alert"
)

// Kinds lists them in the order the administrators' page shows them.
var Kinds = []string{KindNews, KindEvent, KindAlert}

// ErrNotFound answers what the fediverse does not know.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Page introuvable.")

// Store keeps each collectivité's actor, followers, announced items and
// replies.
type Store struct {
	db  *db.DB
	key [32]byte
	// Now is the clock every rule reads.
	Now clock.Clock
	// Queue delivers activities, one job per inbox.
	Queue *jobs.Queue
	// Client fetches remote actors and delivers activities.
	Client *Client
	// Site gives a collectivité's canonical address ("https://montclair.fr"),
	// the base of its actor's identifiers, and its time zone. It does not
	// depend on the request: an actor keeps one identity whatever host a
	// visitor typed.
	Site Links
	// Outgoing lets activities leave for other servers: off for a demo
	// without a public address.
	Outgoing bool
	// Sources are what the collectivité publishes (kernel.Publications).
	Sources func() []kernel.PublicationSource
	// Tenants lists the collectivités whose publications are announced.
	Tenants func(ctx context.Context) ([]string, error)
}

// NewStore returns the store on d; secretKey seals the actors' private
// keys.
func NewStore(d *db.DB, secretKey string) *Store {
	return &Store{db: d, key: tokens.Key("fediverse/actor-keys", secretKey), Now: clock.System, Client: NewClient()}
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return clock.Or(s.Now)().UTC().Truncate(time.Second) }

// Actor is a collectivité's actor: its keys and what it carries.
type Actor struct {
	TenantID     string
	PublicKeyPEM string
	private      *rsa.PrivateKey
	Publish      map[string]bool
	CreatedAt    time.Time
}

// PrivateKey returns the actor's signing key.
func (a *Actor) PrivateKey() *rsa.PrivateKey { return a.private }

// keyBits is the size of the actors' RSA keys: what Mastodon verifies.
const keyBits = 2048

// Actor returns the collectivité's actor, created with a new key pair on
// first use.
func (s *Store) Actor(ctx context.Context, tenantID string) (*Actor, error) {
	a, err := s.loadActor(ctx, tenantID)
	if !errors.Is(err, sql.ErrNoRows) {
		return a, err
	}
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	pubPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	// Two requests creating the actor at once: the first one's key stays.
	_, err = s.db.Exec(ctx, `INSERT INTO fediverse_actors (tenant_id, public_key_pem, private_key_sealed, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id) DO NOTHING`,
		tenantID, pubPEM, s.seal(privDER, tenantID), s.now())
	if err != nil {
		return nil, fmt.Errorf("fediverse: create actor: %w", err)
	}
	return s.loadActor(ctx, tenantID)
}

func (s *Store) loadActor(ctx context.Context, tenantID string) (*Actor, error) {
	a := &Actor{TenantID: tenantID, Publish: map[string]bool{}}
	var sealed string
	var news, events, alerts bool
	err := s.db.QueryRow(ctx, `SELECT public_key_pem, private_key_sealed, publish_news, publish_events, publish_alerts, created_at
		FROM fediverse_actors WHERE tenant_id = ?`, tenantID).Scan(&a.PublicKeyPEM, &sealed, &news, &events, &alerts, &a.CreatedAt)
	if err != nil {
		return nil, err
	}
	a.Publish[KindNews], a.Publish[KindEvent], a.Publish[KindAlert] = news, events, alerts
	der, err := s.open(sealed, tenantID)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("fediverse: actor key: %w", err)
	}
	priv, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("fediverse: actor key is not RSA")
	}
	a.private = priv
	return a, nil
}

// SetPublish turns the announcement of one kind of publication on or off.
func (s *Store) SetPublish(ctx context.Context, tenantID string, publish map[string]bool) error {
	if _, err := s.Actor(ctx, tenantID); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `UPDATE fediverse_actors SET publish_news = ?, publish_events = ?, publish_alerts = ? WHERE tenant_id = ?`,
		publish[KindNews], publish[KindEvent], publish[KindAlert], tenantID)
	return err
}

// sealedPrefix marks a sealed key.
const sealedPrefix = "v1:"

// seal encrypts a private key with AES-GCM under the server's derived
// key, bound to its collectivité: a reader of the database alone cannot
// sign as the collectivité.
func (s *Store) seal(plain []byte, tenantID string) string {
	aead := s.aead()
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, []byte("actor/"+tenantID)))
}

func (s *Store) open(stored, tenantID string) ([]byte, error) {
	raw, ok := strings.CutPrefix(stored, sealedPrefix)
	b, err := base64.RawStdEncoding.DecodeString(raw)
	aead := s.aead()
	if !ok || err != nil || len(b) < aead.NonceSize() {
		return nil, errors.New("fediverse: the actor's key cannot be opened with this server key")
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte("actor/"+tenantID))
	if err != nil {
		return nil, errors.New("fediverse: the actor's key cannot be opened with this server key")
	}
	return plain, nil
}

func (s *Store) aead() cipher.AEAD {
	block, err := aes.NewCipher(s.key[:])
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// Follower is an actor following a collectivité.
type Follower struct {
	ID, ActorURI, Inbox, SharedInbox string
	// FollowID is the Follow activity's identifier, which the Accept names.
	FollowID  string
	CreatedAt time.Time
}

// FollowerCount returns how many actors follow the collectivité.
func (s *Store) FollowerCount(ctx context.Context, tenantID string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM fediverse_followers WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n, err
}

// Followers lists the collectivité's followers, oldest first.
func (s *Store) Followers(ctx context.Context, tenantID string) ([]Follower, error) {
	rows, err := s.db.Query(ctx, `SELECT id, actor_uri, inbox, shared_inbox, created_at FROM fediverse_followers
		WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Follower
	for rows.Next() {
		var f Follower
		if err := rows.Scan(&f.ID, &f.ActorURI, &f.Inbox, &f.SharedInbox, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddFollower records (or renews) a follower.
func (s *Store) AddFollower(ctx context.Context, tx *db.Tx, tenantID string, f Follower) error {
	_, err := tx.Exec(ctx, `INSERT INTO fediverse_followers (id, tenant_id, actor_uri, inbox, shared_inbox, follow_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, actor_uri) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
			follow_id = excluded.follow_id`,
		newID(), tenantID, f.ActorURI, f.Inbox, f.SharedInbox, f.FollowID, s.now())
	return err
}

// RemoveFollower forgets a follower; it reports whether there was one.
func (s *Store) RemoveFollower(ctx context.Context, tenantID, actorURI string) (bool, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM fediverse_followers WHERE tenant_id = ? AND actor_uri = ?`, tenantID, actorURI)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// removeInbox forgets the followers delivered at an inbox that answered
// it is gone for good.
func (s *Store) removeInbox(ctx context.Context, tenantID, inbox string) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM fediverse_followers WHERE tenant_id = ? AND (inbox = ? OR shared_inbox = ?)`,
		tenantID, inbox, inbox)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
