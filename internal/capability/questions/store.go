// Package questions is the questions residents ask their collectivité and
// the answers it publishes, with its "Vrai ou faux ?" posts and FAQ.
// Residents without an account prove their address first (double
// opt-in); published answers are kept in the search index in the same
// transaction as their rows.
package questions

import (
	"database/sql"
	"embed"
	"io/fs"
	"time"
	"unicode/utf8"

	"guichet/internal/kernel/db"
	gmail "guichet/internal/kernel/mail"
	"guichet/internal/publishing"
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
var ErrNotFound = publishing.ErrNotFound

// Store reads and writes a collectivité's questions and keeps the search
// index up to date.
type Store struct{ *publishing.Desk }

// NewStore returns the questions store; mailer sends the askers' mails
// (nil in tests that send none).
func NewStore(d *db.DB, mailer gmail.Enqueuer) *Store { return &Store{publishing.NewDesk(d, mailer)} }

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
