// Package newsletter is a collectivité's newsletter: lists people
// subscribe to without an account (double opt-in, their consent recorded
// with its date and source), campaigns composed of blocks in French and
// English, their sending at a chosen pace through the job queue with
// one-click unsubscription, the archive of past campaigns, bounces and
// complaints, and opens and clicks measured only for those who agreed.
package newsletter

import (
	"embed"
	"io/fs"
	"slices"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/mail"
	"guichet/internal/publishing"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the newsletter's tables.
var Migrations = db.Embedded("newsletter", migrationFiles)

//go:embed mail/*.txt
var mailFiles embed.FS

// MailFiles returns the newsletter's mail templates (mail/*).
func MailFiles() fs.FS { return mailFiles }

// Kinds of list: a topic, a neighbourhood, a community.
const (
	KindTopic         = "theme"
	KindNeighbourhood = "quartier"
	KindCommunity     = "communaute"
)

// ListKinds are the kinds editors choose from, in this order.
var ListKinds = []string{KindTopic, KindNeighbourhood, KindCommunity}

// Statuses of a subscriber.
const (
	SubscriberPending   = "pending"
	SubscriberActive    = "active"
	SubscriberSuspended = "suspended"
)

// Store reads and writes a collectivité's newsletter.
type Store struct {
	*publishing.Desk
	// Outbox takes the test sends, and every message when no SMTP server
	// is configured; Bulk sends the campaigns otherwise.
	Outbox *mail.Outbox
	// MeasureKey signs the addresses of opens and clicks.
	MeasureKey []byte

	sending Sending
	bucket  files.Storage
}

// NewStore returns the newsletter's store.
func NewStore(d *db.DB, outbox *mail.Outbox) *Store {
	s := &Store{Desk: publishing.NewDesk(d, outbox), Outbox: outbox}
	return s
}

// ErrNotFound is any record missing from the request's collectivité.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Élément introuvable.")

// only keeps the values of values found in allowed, once each.
func only(values, allowed []string) []string {
	var out []string
	for _, v := range values {
		if slices.Contains(allowed, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
