package publishing

import (
	"context"
	"database/sql"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/mail"
	"guichet/internal/publishing/search"
)

// ErrNotFound is returned for any item missing from the request's
// collectivité, whether it exists elsewhere or not.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Contenu introuvable.")

// Desk is what the store of every capability that publishes holds: its
// database, the search index, the outbox, the clock, and the seam where
// it announces that what the public sees changed. Stores embed it.
type Desk struct {
	db     *db.DB
	Search *search.Index
	mail   mail.Enqueuer
	// Now is the store's clock; tests move it.
	Now func() time.Time
	// changes hears of every write that changes what the public sees (the
	// web layers' caches of the home page and banners listen there).
	changes *invalidate.Bus
	// History is where the store's items keep their revisions: the shared
	// content set's table.
	History History
}

// ContentHistory keeps the revisions of the items of the shared content
// set (ContentTables), whatever their capability.
var ContentHistory = History{Table: "content_revisions", NotFound: ErrNotFound}

// NewDesk returns a desk on d; mailer sends the store's mails (nil in
// tests that send none).
func NewDesk(d *db.DB, mailer mail.Enqueuer) *Desk {
	k := &Desk{db: d, Search: search.New(d), mail: mailer, Now: clock.System, changes: invalidate.New(),
		History: ContentHistory}
	k.Search.Now = func() time.Time { return k.Now() } // published_at is on the store's clock
	return k
}

// DB returns the store's database.
func (k *Desk) DB() *db.DB { return k.db }

// Join announces the store's changes on b; caches register on the
// store's seam, so join before creating them.
func (k *Desk) Join(b *invalidate.Bus) { k.changes = b }

// Changes returns the seam the store announces its changes on.
func (k *Desk) Changes() *invalidate.Bus { return k.changes }

// Stamp is the store's time to the second, as rows keep it.
func (k *Desk) Stamp() time.Time { return k.Now().UTC().Truncate(time.Second) }

// Changed announces, once committed, that what tenantID's public sees
// changed.
func (k *Desk) Changed(ctx context.Context, tenantID string) {
	k.changes.Changed(ctx, invalidate.Change{Kind: invalidate.Content, TenantID: tenantID})
}

// Send puts a mail in the outbox; a store without a mailer (tests) sends
// none.
func (k *Desk) Send(ctx context.Context, tenantID, to, template, lang string, data map[string]any) error {
	if k.mail == nil {
		return nil
	}
	return k.mail.Enqueue(ctx, mail.Message{TenantID: tenantID, To: to, Template: template, Lang: lang, Data: data})
}

// MailLang is the language of a person's emails: English if they used
// the site in English, French otherwise.
func MailLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "fr"
}

// CheckText names field in errs when v is shorter than minLen (with
// empty) or longer than maxLen characters (with long), unless the field
// already has an error.
func CheckText(errs map[string]string, field, v string, minLen, maxLen int, empty, long string) {
	switch n := utf8.RuneCountInString(v); {
	case n < minLen && errs[field] == "":
		errs[field] = empty
	case n > maxLen && errs[field] == "":
		errs[field] = long
	}
}

// CheckStatus names the status field in errs when status is not one of
// the publication statuses.
func CheckStatus(errs map[string]string, status string) {
	if !ValidStatus(status) {
		errs["status"] = "Choisissez un état de publication."
	}
}

// NullTime is t for a nullable column.
func NullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// FromNull is a nullable column's time, nil when null.
func FromNull(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// Revisions returns an item's history, newest first (at most 100).
func (k *Desk) Revisions(ctx context.Context, tenantID, itemID string) ([]Revision, error) {
	return k.History.List(ctx, k.db, tenantID, itemID)
}

// Revision returns one revision of an item of kind; a revision of another
// item, kind or collectivité is not found.
func (k *Desk) Revision(ctx context.Context, tenantID, kind, itemID, id string) (*Revision, error) {
	return k.History.Get(ctx, k.db, tenantID, kind, itemID, id)
}
