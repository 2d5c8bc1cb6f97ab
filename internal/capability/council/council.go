// Package council holds a collectivité's council and its legal acts: the
// members and their terms, sessions (convocation, agenda, attendance and
// quorum, minutes), deliberations with their vote, the mayor's arrêtés and
// decisions, their publication (CGCT L2131-1: in full, dated, never
// changed, only rectified by a new act), the deadlines of the list of
// deliberations (L2121-25) and of the minutes (L2121-15), the SCDL
// open-data export and the people who follow new acts by email.
package council

import (
	"embed"

	"guichet"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the council's tables, and each engine's trigger
// that refuses a change to a published act.
var Migrations = db.Embedded("council", migrationFiles)

//go:embed mail/*.txt
var mailFiles embed.FS

// MailFiles returns the council's mail templates.
func MailFiles() embed.FS { return mailFiles }

// Kind is an act's kind in the search index.
const Kind = "act"

// Kinds of act.
const (
	Deliberation = "deliberation"
	Arrete       = "arrete"
	Decision     = "decision"
)

// ActKinds lists the kinds of act in display order.
var ActKinds = []string{Deliberation, Arrete, Decision}

// Roles of a council member, in the order of the table (tableau du
// conseil municipal, L2121-1).
const (
	Mayor      = "maire"
	Deputy     = "adjoint"
	Delegate   = "conseiller-delegue"
	Councillor = "conseiller"
)

// MemberRoles lists the roles in the table's order.
var MemberRoles = []string{Mayor, Deputy, Delegate, Councillor}

// Attendance of a member at a session.
const (
	Present     = "present"
	Represented = "represented" // gave a proxy (pouvoir) to another member
	Excused     = "excused"
	Absent      = "absent"
)

// AttendanceStatuses lists them in display order.
var AttendanceStatuses = []string{Present, Represented, Excused, Absent}

// Outcomes of a deliberation's vote.
const (
	Adopted  = "adopted"
	Rejected = "rejected"
)

// States of an act and of a session's minutes.
const (
	Draft     = "draft"
	Published = "published"
	Approved  = "approved" // minutes only: approved at a later session
)

// Errors every page shows as they are.
var (
	ErrNotFound         = guichet.Errorf(guichet.ENotFound, "Cet élément du conseil est introuvable.")
	ErrPublished        = guichet.Errorf(guichet.EConflict, "Un acte publié ne peut plus être modifié : publiez un acte rectificatif.")
	ErrMinutesPublished = guichet.Errorf(guichet.EConflict, "Le procès-verbal publié ne peut plus être modifié.")
)
