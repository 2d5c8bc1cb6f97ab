// Package participation keeps what residents say to one another and to
// the mairie: discussion spaces (one per community or topic) with their
// threads, replies, reactions and follows; debates whose arguments for
// and against stand side by side; consultations and polls with one
// ballot per person; and the moderation of all of it (a spam screen,
// reports, a queue, hiding with a reason the author reads, appeals,
// blocks).
package participation

import (
	"embed"
	"io/fs"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the participation's tables.
var Migrations = db.Embedded("participation", migrationFiles)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the mails' templates (mail/*.txt), to add to the
// outbox's registry as module "participation".
func MailFiles() fs.FS { return mailFiles }

// BasePath is where the participation's public pages live.
const BasePath = "/participer"

// Kinds of thread.
const (
	Discussion = "discussion"
	Debate     = "debat"
)

// Sides of a debate's argument.
const (
	For     = "pour"
	Against = "contre"
)

// States of a message (and of a thread, its opening message's).
const (
	Visible = "visible"
	Pending = "pending" // held for a moderator before anyone reads it
	Hidden  = "hidden"  // hidden by a moderator, with a reason
)

// Space is a place of discussion: a community's (CommunityID set) or a
// topic's.
type Space struct {
	ID, TenantID string
	Slug, Name   string
	// Description is Markdown.
	Description string
	// CommunityID and CommunityName tie the space to a community of the
	// collectivité (kernel.Communities), copied when tied.
	CommunityID, CommunityName string
	Rules                      Rules
	Position                   int
	CreatedAt                  time.Time
	// Threads is how many visible threads it holds (filled by lists).
	Threads int
}

// Path is the space's page.
func (s *Space) Path() string { return BasePath + "/espaces/" + s.Slug }

// Rules are a space's moderation rules.
type Rules struct {
	// PremoderateNew holds the messages of accounts younger than
	// NewAccount until a moderator lets them through.
	PremoderateNew bool
	// LinksAllowed lets messages carry web addresses.
	LinksAllowed bool
}

// NewAccount is the age under which an account counts as new, for the
// spam screen and the spaces that premoderate new accounts.
const NewAccount = 7 * 24 * time.Hour

// Thread is a discussion or a debate.
type Thread struct {
	ID, TenantID, SpaceID string
	Kind                  string
	Title                 string
	AuthorID              string
	ByStaff               bool
	// Event ties the thread to a meeting of the agenda (EventID empty:
	// none), copied when tied.
	EventID, EventTitle, EventPath string
	EventStarts                    time.Time
	// State is its opening message's.
	State string
	// Summary is a closed debate's summary, written by a moderator.
	Summary  string
	ClosedAt *time.Time
	// Replies counts its visible messages but the opening one.
	Replies      int
	CreatedAt    time.Time
	LastActivity time.Time
}

// Path is the thread's page.
func (t *Thread) Path() string {
	if t.Kind == Debate {
		return BasePath + "/debats/" + t.ID
	}
	return BasePath + "/discussions/" + t.ID
}

// Closed reports whether the thread takes no more messages.
func (t *Thread) Closed() bool { return t.ClosedAt != nil }

// Message is a thread's opening message, a reply or a debate's argument.
type Message struct {
	ID, TenantID, ThreadID string
	AuthorID, AuthorName   string
	ByStaff                bool
	Opener                 bool
	// Side is a debate argument's (For or Against), empty otherwise.
	Side string
	// Body is plain text; links are shown as links where the space
	// allows them.
	Body  string
	State string
	// Reason is why a moderator hid it, shown to readers and its author.
	Reason    string
	SpamScore int
	// Supports is how many residents support a debate's argument.
	Supports    int
	ModeratedAt *time.Time
	CreatedAt   time.Time
}

// Author is who writes a message, as the screen judges them.
type Author struct {
	ID, Name string
	// Since is when their account was created.
	Since time.Time
	// Staff writes for the mairie: never screened nor held.
	Staff bool
}

// Limits of the fields residents write.
const (
	MaxTitle = 150
	MaxBody  = 5000
	MaxName  = 120
)

// Errors the web layer maps once.
var (
	ErrNotFound  = guichet.Errorf(guichet.ENotFound, "Cette page de participation n'existe pas.")
	ErrClosed    = guichet.Errorf(guichet.EConflict, "Cette discussion est close : elle ne reçoit plus de message.")
	ErrBlocked   = guichet.Errorf(guichet.EForbidden, "Un modérateur a suspendu votre droit d'écrire dans les espaces de participation.")
	ErrSlugTaken = guichet.Errorf(guichet.EConflict, "Cette adresse est déjà prise.")
)
