// Package mail sends email through a durable outbox: a message is stored,
// a job delivers it over SMTP with retries and backoff, and nothing queued
// is lost on restart. Each domain ships its templates in its own files.
package mail

import (
	"context"

	"guichet/internal/kernel/db"
)

// Message is one email to send, rendered from a template at delivery time.
type Message struct {
	TenantID string
	To       string
	// Template names a template as "module/name": the module's embedded
	// files mail/name.<lang>.txt (and optionally .html), whose "subject"
	// block gives the subject. Besides Data's keys, templates receive
	// TenantName, Tenant (the *tenant.Tenant), To and Lang, unless Data
	// sets them. A missing key is an error, reported by Enqueue.
	Template string
	Lang     string         // "fr" or "en"; French when empty
	Data     map[string]any // values for the template
	// Attachments are sent as they are (an appointment's .ics, say).
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"` // with parameters, e.g. "text/calendar; method=REQUEST"
	Data        []byte `json:"data"`
}

// Enqueuer puts a message in the outbox; domains depend on this, not on
// the outbox itself. Call it outside any transaction of the database: on
// SQLite a transaction holds the only writer connection, which Enqueue
// needs. Inside one, use TxEnqueuer.
type Enqueuer interface {
	Enqueue(ctx context.Context, m Message) error
}

// TxEnqueuer puts a message in the outbox within the caller's transaction:
// the message and its delivery job exist only if tx commits.
type TxEnqueuer interface {
	EnqueueTx(ctx context.Context, tx *db.Tx, m Message) error
}
