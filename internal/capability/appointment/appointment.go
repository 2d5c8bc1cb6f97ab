// Package appointment holds agendas (per service and place), their
// resources, weekly hours, exceptions and appointment types; the slot
// engine; bookings, whose no-double-booking guarantee is a primary key of
// the database; the waiting list and the reminders.
package appointment

import (
	"embed"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the appointment tables.
var Migrations = db.Embedded("appointment", migrationFiles)

// Unit is the grain of occupation: every duration, step and buffer is a
// multiple of it, and each occupied unit of a resource is one row.
const Unit = 5 * time.Minute

// Booking statuses. Booked, Held, Pending, Arrived, Done and NoShow occupy
// their slot; Held and Pending only until HoldUntil.
const (
	StatusBooked    = "booked"
	StatusHeld      = "held"    // offered to the waiting list, until HoldUntil
	StatusPending   = "pending" // a guest's, until they confirm the emailed link or HoldUntil
	StatusArrived   = "arrived"
	StatusDone      = "done"
	StatusNoShow    = "noshow"
	StatusCancelled = "cancelled"
)

// Exception kinds.
const (
	Closed = "closed"
	Open   = "open"
)

// Errors the web layer maps to pages and statuses.
var (
	ErrSlotTaken    = guichet.Errorf(guichet.EConflict, "Ce créneau vient d'être réservé.")
	ErrAlreadyHeld  = guichet.Errorf(guichet.EConflict, "Vous avez déjà un rendez-vous de ce type à venir.")
	ErrNotFound     = guichet.Errorf(guichet.ENotFound, "Rendez-vous introuvable.")
	ErrSlotInvalid  = guichet.Errorf(guichet.EInvalid, "Ce créneau n'est pas proposé.")
	ErrNotCancelled = guichet.Errorf(guichet.EConflict, "Ce rendez-vous ne peut plus être modifié.")
	ErrHoldExpired  = guichet.Errorf(guichet.EConflict,
		"Le délai de confirmation est dépassé : le créneau a été libéré. Choisissez de nouveau un horaire.")
	ErrGuestLimit = guichet.Errorf(guichet.EConflict,
		"Les rendez-vous sans compte vérifié sont complets ce jour-là : choisissez un autre jour, ou connectez-vous avec un compte dont l'adresse est vérifiée.")
	ErrANTSInUse = guichet.Invalid(map[string]string{"ants": "Ce numéro de pré-demande a déjà un rendez-vous à venir : une pré-demande ne donne droit qu'à un rendez-vous."})
)

// Defaults of an agenda's guest rules, and their bounds.
const (
	DefaultConfirmHold  = 30 * time.Minute
	DefaultGuestsPerDay = 10
	maxGuestsPerDay     = 1000
)

// Agenda is the calendar of one service at one place.
type Agenda struct {
	ID, TenantID, Slug string
	// ServiceKey is the staff service (a key of staff.Services) whose
	// agents manage the agenda; Service is the name residents see.
	ServiceKey           string
	Service, Name        string
	Place, Description   string
	Step, Buffer         time.Duration
	MinNotice            time.Duration
	WindowDays           int
	ReleaseMinute        int             // local minute after midnight when a new day opens
	Reminders            []time.Duration // before the appointment
	Hold                 time.Duration   // how long a waiting-list offer is held
	ConfirmHold          time.Duration   // how long a guest's booking waits for its emailed confirmation
	GuestsPerDay         int             // bookings by guests on any one day, at most
	AlsaceMoselle        bool            // two more public holidays
	Active               bool
	CreatedAt, UpdatedAt time.Time
	Resources            []Resource
	Types                []Type
	Hours                []Hours
}

// Resource is what a booking occupies: a counter, an agent, a fingerprint station.
type Resource struct {
	ID, AgendaID, Name, Kind string
	Position                 int
	// Hours, when set, replace the agenda's weekly hours for this resource;
	// the agenda's exceptions and public holidays still apply.
	Hours []Hours
}

// Type is a kind of appointment of an agenda.
type Type struct {
	ID, AgendaID, Slug, Name string
	Duration                 time.Duration
	People                   int
	Documents                string // one per line
	ANTS                     bool   // asks the ANTS pre-application number
	OnePerPerson             bool   // at most one active booking per person
	Position                 int
}

// DocumentList returns the documents to bring, one per item.
func (t *Type) DocumentList() []string {
	var out []string
	for _, l := range strings.Split(t.Documents, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Minutes returns the duration in minutes, for display.
func (t *Type) Minutes() int { return int(t.Duration / time.Minute) }

// Hours is one weekly opening range, in local minutes after midnight.
type Hours struct {
	Weekday    time.Weekday
	Start, End int
}

// Exception is a closure or an extra opening on one local day.
type Exception struct {
	ID, AgendaID string
	ResourceID   string // "" for the whole agenda
	Day          string // YYYY-MM-DD, local
	Start, End   int    // local minutes; 0 and 1440 for the whole day
	Kind         string
	Reason       string
}

// Type returns the agenda's type with slug or id, or nil.
func (a *Agenda) Type(key string) *Type {
	for i := range a.Types {
		if a.Types[i].Slug == key || a.Types[i].ID == key {
			return &a.Types[i]
		}
	}
	return nil
}

// Resource returns the agenda's resource with id, or nil.
func (a *Agenda) Resource(id string) *Resource {
	for i := range a.Resources {
		if a.Resources[i].ID == id {
			return &a.Resources[i]
		}
	}
	return nil
}

// Scope is what a staff member manages: every agenda (administrators), or
// those of their services.
type Scope struct {
	All      bool
	Services []string
}

// Allows reports whether the scope covers agenda a.
func (s Scope) Allows(a *Agenda) bool {
	return s.All || (a.ServiceKey != "" && slices.Contains(s.Services, a.ServiceKey))
}
