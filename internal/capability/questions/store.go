// Package questions is the questions residents ask their collectivité and
// the answers it publishes, with its "Vrai ou faux ?" posts and FAQ.
// Residents without an account prove their address first (double
// opt-in); published answers are kept in the search index in the same
// transaction as their rows.
package questions

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	gmail "guichet/internal/kernel/mail"
	"guichet/internal/publishing/search"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the questions' own set. Their table, content_questions,
// was created by publishing's shared "content" set (publishing.ContentTables),
// which is applied before it.
var Migrations = db.Embedded("questions", migrationFiles)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the emails questions sends (mail/*.txt), to add to the
// outbox's registry as module "questions".
func MailFiles() fs.FS { return mailFiles }

// KindQuestion is the kind of an answered question in the search index.
const KindQuestion = "question"

// ErrNotFound is returned for any question missing from the request's
// collectivité, whether it exists elsewhere or not.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Contenu introuvable.")

// Store reads and writes a collectivité's questions and keeps the search
// index up to date.
type Store struct {
	db     *db.DB
	Search *search.Index
	mail   gmail.Enqueuer
	// Now is the store's clock; tests move it.
	Now func() time.Time
	// changes hears of every write that changes what the public sees.
	changes *invalidate.Bus
}

// NewStore returns the questions store; mailer sends the askers' mails
// (nil in tests that send none).
func NewStore(d *db.DB, mailer gmail.Enqueuer) *Store {
	s := &Store{db: d, Search: search.New(d), mail: mailer, Now: clock.System, changes: invalidate.New()}
	s.Search.Now = func() time.Time { return s.Now() }
	return s
}

// Join announces the store's changes on b.
func (s *Store) Join(b *invalidate.Bus) { s.changes = b }

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Second) }

// changed announces, once committed, that what tenantID's public sees
// changed: published answers are content, as the caches of local
// information hear it.
func (s *Store) changed(ctx context.Context, tenantID string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.Content, TenantID: tenantID})
}

// send puts a mail in the outbox; a store without a mailer (tests) sends
// none.
func (s *Store) send(ctx context.Context, tenantID, to, template, lang string, data map[string]any) error {
	if s.mail == nil {
		return nil
	}
	return s.mail.Enqueue(ctx, gmail.Message{TenantID: tenantID, To: to, Template: template, Lang: lang, Data: data})
}

// mailLang is the language of a person's emails: English if they used
// the site in English, French otherwise.
func mailLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "fr"
}

// checkText sets a field's error when v is shorter than minLen or longer
// than maxLen runes.
func checkText(errs map[string]string, field, v string, minLen, maxLen int, empty, long string) {
	switch n := utf8.RuneCountInString(v); {
	case n < minLen && errs[field] == "":
		errs[field] = empty
	case n > maxLen && errs[field] == "":
		errs[field] = long
	}
}

func fromNull(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}
