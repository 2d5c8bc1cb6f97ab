package council

import (
	"context"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/pdf"
	"guichet/internal/publishing"
)

// Store reads and writes a collectivité's council and acts; it keeps the
// search index in step with what is published.
type Store struct {
	*publishing.Desk
	files files.Storage
	// Jobs, when set, mails each published act to its followers.
	Jobs *jobs.Queue
	// CheckStorage, when set, refuses files once the collectivité's files
	// fill their quota (kernel.CheckStorage).
	CheckStorage func(ctx context.Context, tenantID string) error
	// ExtractText reads the text of a PDF for search (pdf.Text); tests
	// may replace it.
	ExtractText func(ctx context.Context, body []byte) (string, error)
	pdfs        pdf.Writer
}

// NewStore returns the council's store, keeping files in storage and
// sending its mails through mailer (nil: none).
func NewStore(d *db.DB, storage files.Storage, mailer mail.Enqueuer) *Store {
	return &Store{Desk: publishing.NewDesk(d, mailer), files: storage, ExtractText: pdf.Text}
}

// today is the collectivité's calendar day at the store's time.
func (s *Store) today(loc *time.Location) string { return s.Now().In(loc).Format(DateLayout) }

// DateLayout is how calendar dates are kept and exchanged (ISO 8601).
const DateLayout = "2006-01-02"

// ParseDate reads a calendar date, "" for an empty one.
func ParseDate(v string) (time.Time, error) { return time.Parse(DateLayout, v) }

func wrap(what string, err error) error {
	if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrPublished) || errors.Is(err, ErrMinutesPublished) {
		return err
	}
	return fmt.Errorf("council: %s: %w", what, err)
}
