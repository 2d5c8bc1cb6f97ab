// Package queue is the counter queue of a collectivité's reception sites:
// services, counters opened by agents, kiosks, the day's tickets (numbered
// per service and day, without gaps), their calls, the wait estimate, the
// display boards' state and the figures. Kiosks, phones, boards and agents'
// consoles all go through its Store; every change is told to the live hub,
// which carries it to every node.
package queue

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

// Migrations creates the queue's tables.
var Migrations = db.Embedded("queue", migrationFiles)

//go:embed mail/*.txt
var mailFiles embed.FS

// MailFiles returns the queue's mail templates.
func MailFiles() embed.FS { return mailFiles }

// Ticket states.
const (
	Waiting   = "waiting"
	Called    = "called" // at a counter, from the call until done or absent
	Done      = "done"
	Absent    = "absent"
	Cancelled = "cancelled"
)

// Where a ticket was taken.
const (
	FromKiosk       = "kiosk"
	FromPhone       = "phone"
	FromCounter     = "counter" // an agent's, for a visitor at the desk
	FromAppointment = "appointment"
)

// Priorities: a checked-in appointment goes first at its time, then the
// priority tickets the collectivité allows (reduced mobility, pregnancy),
// then everyone by arrival.
const (
	Normal      = 0
	Priority    = 1
	Appointment = 2
)

// Counter states.
const (
	Closed = "closed"
	Open   = "open"
	Paused = "paused"
)

// Outcomes an agent records when a visit ends.
var Outcomes = []string{"traite", "a-completer", "oriente", "rendez-vous"}

// Pictograms a service may show on kiosks (static/img/queue/<name>.svg).
var Pictograms = []string{"info", "etat-civil", "identite", "social", "urbanisme", "livre", "paiement", "courrier"}

// Errors the web layer maps to pages and statuses.
var (
	ErrNotFound       = guichet.Errorf(guichet.ENotFound, "Introuvable.")
	ErrTicketNotFound = guichet.Errorf(guichet.ENotFound, "Ce ticket n'existe pas ou n'est plus valable.")
	ErrCounterClosed  = guichet.Errorf(guichet.EConflict, "Ce guichet est fermé : ouvrez-le d'abord.")
	ErrCounterTaken   = guichet.Errorf(guichet.EConflict, "Ce guichet est déjà ouvert par un autre agent.")
	ErrBusy           = guichet.Errorf(guichet.EConflict, "Terminez d'abord le ticket en cours.")
	ErrNoTicket       = guichet.Errorf(guichet.EConflict, "Aucun ticket en cours à ce guichet.")
	ErrNotWaiting     = guichet.Errorf(guichet.EConflict, "Ce ticket n'est plus en attente.")
	ErrNoService      = guichet.Invalid(map[string]string{"services": "Choisissez au moins un service."})
	ErrNoCheckIn      = guichet.Errorf(guichet.ENotFound,
		"Aucun rendez-vous d'aujourd'hui ne porte cette référence. Vérifiez-la, ou adressez-vous à l'accueil.")
	ErrCheckInElsewhere = guichet.Errorf(guichet.EConflict,
		"Ce site n'accueille pas les rendez-vous de ce service : adressez-vous à l'accueil.")
)

// Site is one reception place of a collectivité.
type Site struct {
	ID, TenantID, Slug, Name string
	Address, Hours           string
	// Information is the practical information kiosks show (plain text).
	Information string
	// PriorityAllowed lets visitors ask for a priority ticket.
	PriorityAllowed bool
	// NearTurn is how many people ahead a remote ticket is told its turn
	// is near.
	NearTurn  int
	CreatedAt time.Time
	Services  []Service
	Counters  []Counter
}

// Service returns the site's service with id, or nil.
func (s *Site) Service(id string) *Service {
	for i := range s.Services {
		if s.Services[i].ID == id {
			return &s.Services[i]
		}
	}
	return nil
}

// Counter returns the site's counter with id, or nil.
func (s *Site) Counter(id string) *Counter {
	for i := range s.Counters {
		if s.Counters[i].ID == id {
			return &s.Counters[i]
		}
	}
	return nil
}

// Service is what visitors queue for at a site.
type Service struct {
	ID, TenantID, SiteID string
	Letter               string // starts its tickets' numbers: A042
	Name, NameEn         string
	Description          string
	Pictogram            string
	// AppointmentService is the staff service whose appointments check in
	// here ("etat-civil"), or "".
	AppointmentService string
	// Average is the rolling mean service time.
	Average  time.Duration
	Position int
}

// Title returns the service's name in lang.
func (s Service) Title(lang string) string {
	if lang == "en" && s.NameEn != "" {
		return s.NameEn
	}
	return s.Name
}

// Minutes is the rolling average in whole minutes, for display.
func (s Service) Minutes() int { return int((s.Average + 30*time.Second) / time.Minute) }

// Counter is a desk where an agent calls tickets.
type Counter struct {
	ID, TenantID, SiteID, Name string
	State                      string
	AgentID, AgentName         string
	Services                   []string // service ids it serves while open
	Position                   int
	ChangedAt                  time.Time
}

// Serves reports whether the counter, open, calls tickets of service id.
func (c *Counter) Serves(id string) bool { return c.State == Open && slices.Contains(c.Services, id) }

// Kiosk is a touch terminal of a site.
type Kiosk struct {
	ID, TenantID, SiteID, Name string
	Generation                 int
	// Idle is how long without a touch before the kiosk warns, then
	// returns to its home page (RGAA 13.1: adjustable).
	Idle      time.Duration
	CreatedAt time.Time
	SeenAt    *time.Time
}

// Ticket is one place in a site's queue.
type Ticket struct {
	ID, TenantID, SiteID, ServiceID string
	Day                             string // local YYYY-MM-DD
	Number                          int
	Label                           string // A042
	Source                          string
	Priority                        int
	State                           string
	Email, Lang                     string
	AppointmentRef                  string
	// ForCounter, when set, is the only counter that may call it (a
	// transfer to a counter).
	ForCounter             string
	CounterID, CounterName string
	Outcome                string
	Recalls                int
	// Estimate is the wait announced when it was taken (-1: unknown).
	Estimate   time.Duration
	NearTold   bool
	CreatedAt  time.Time
	QueuedAt   time.Time // the arrival, or the transfer, that orders it
	EligibleAt time.Time // an appointment's time: not called before
	CalledAt   *time.Time
	EndedAt    *time.Time
}

// Open reports whether the ticket is still waiting or at a counter.
func (t *Ticket) Open() bool { return t.State == Waiting || t.State == Called }

// normalLetter keeps a service letter to one or two capital letters.
func normalLetter(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' && b.Len() < 2 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
