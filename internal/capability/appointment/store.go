package appointment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"guichet/internal/publishing/search"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
)

// Store reads and writes a collectivité's agendas and bookings.
type Store struct {
	db      *db.DB
	secret  []byte
	jobs    *jobs.Queue
	mail    mail.Enqueuer
	tenants TenantGetter
	// Now is the clock; tests move it.
	Now func() time.Time

	defs definitions
	occ  occupancy
	busy claims
	// confirm gathers bookings' confirmations into batches.
	confirm confirmations
	// commits gathers bookings waiting for SQLite's writer into one
	// transaction (see inBookingTx).
	commits commits
	changes *invalidate.Bus
	// Search, when set, lists the kinds of appointment in the site search.
	Search *search.Index
}

// NewStore returns the store; secret derives the bookings' manage links.
// Its caches listen on a seam of their own until Join.
func NewStore(d *db.DB, secret string) *Store {
	s := &Store{db: d, secret: []byte(secret), Now: clock.System}
	s.Join(invalidate.New())
	return s
}

// Join announces the store's changes on b and registers its caches there.
func (s *Store) Join(b *invalidate.Bus) {
	s.changes = b
	b.Register(invalidate.Cache{Name: "appointment-agendas", Holds: []invalidate.Kind{invalidate.Agenda},
		TTL: agendaTTL, Drop: s.defs.drop})
	b.Register(invalidate.Cache{Name: "appointment-occupancy", Holds: []invalidate.Kind{invalidate.Bookings},
		TTL: busyTTL, Drop: s.occ.drop})
	b.Register(invalidate.Cache{Name: "appointment-slots", Holds: []invalidate.Kind{invalidate.Agenda},
		TTL: busyTTL, Drop: s.occ.dropSlots})
}

// changed announces, once committed, a change of kind to agendaID ("" for
// every agenda of the collectivité).
func (s *Store) changed(ctx context.Context, kind invalidate.Kind, tenantID, agendaID string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: kind, TenantID: tenantID, Key: agendaID})
	if kind == invalidate.Agenda {
		s.indexChanged(ctx, tenantID)
	}
}

// DB returns the database (benchmarks measure its raw insert rate).
func (s *Store) DB() *db.DB { return s.db }

const agendaColumns = `id, tenant_id, slug, service, name, place, description, step_minutes, buffer_minutes,
	min_notice_minutes, window_days, release_minute, reminders, hold_minutes, alsace_moselle, active, created_at, updated_at,
	service_key, confirm_minutes, guests_per_day`

func scanAgenda(row interface{ Scan(...any) error }) (*Agenda, error) {
	var (
		a                                   Agenda
		step, buffer, notice, hold, confirm int
		reminders                           string
	)
	err := row.Scan(&a.ID, &a.TenantID, &a.Slug, &a.Service, &a.Name, &a.Place, &a.Description, &step, &buffer,
		&notice, &a.WindowDays, &a.ReleaseMinute, &reminders, &hold, &a.AlsaceMoselle, &a.Active, &a.CreatedAt, &a.UpdatedAt,
		&a.ServiceKey, &confirm, &a.GuestsPerDay)
	if err != nil {
		return nil, err
	}
	a.Step, a.Buffer = minutes(step), minutes(buffer)
	a.MinNotice, a.Hold, a.ConfirmHold = minutes(notice), minutes(hold), minutes(confirm)
	a.Reminders = parseReminders(reminders)
	return &a, nil
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func parseReminders(s string) []time.Duration {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		if d, err := time.ParseDuration(strings.TrimSpace(f)); err == nil && d > 0 {
			out = append(out, d)
		}
	}
	return out
}

// FormatReminders writes reminder delays as Go durations separated by commas.
func FormatReminders(r []time.Duration) string {
	parts := make([]string, len(r))
	for i, d := range r {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

// Agendas returns the collectivité's agendas (active ones only when
// activeOnly), without their details. The active ones, which public pages
// list, come from a cache this process keeps current (see activeAgendas).
func (s *Store) Agendas(ctx context.Context, tenantID string, activeOnly bool) ([]*Agenda, error) {
	if activeOnly {
		return s.activeAgendas(ctx, tenantID)
	}
	return s.queryAgendas(ctx, tenantID, false)
}

func (s *Store) queryAgendas(ctx context.Context, tenantID string, activeOnly bool) ([]*Agenda, error) {
	q := `SELECT ` + agendaColumns + ` FROM appointment_agendas WHERE tenant_id = ?`
	if activeOnly {
		q += ` AND active = TRUE`
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY service, name`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("appointment: agendas: %w", err)
	}
	defer rows.Close()
	var out []*Agenda
	for rows.Next() {
		a, err := scanAgenda(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Agenda returns one agenda by slug or id with its resources, types and
// hours, from a cache that this process keeps current.
func (s *Store) Agenda(ctx context.Context, tenantID, key string) (*Agenda, error) {
	a, _, err := s.cached(ctx, tenantID, key)
	return a, err
}

func (s *Store) loadAgenda(ctx context.Context, tenantID, key string) (*Agenda, error) {
	a, err := scanAgenda(s.db.QueryRow(ctx, `SELECT `+agendaColumns+` FROM appointment_agendas
		WHERE tenant_id = ? AND (slug = ? OR id = ?)`, tenantID, key, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, guichet.Errorf(guichet.ENotFound, "Agenda introuvable.")
	}
	if err != nil {
		return nil, fmt.Errorf("appointment: agenda: %w", err)
	}
	if err := s.loadDetails(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Store) loadDetails(ctx context.Context, a *Agenda) error {
	rows, err := s.db.Query(ctx, `SELECT id, name, kind, position FROM appointment_resources
		WHERE tenant_id = ? AND agenda_id = ? ORDER BY position, name`, a.TenantID, a.ID)
	if err != nil {
		return fmt.Errorf("appointment: resources: %w", err)
	}
	for rows.Next() {
		r := Resource{AgendaID: a.ID}
		if err := rows.Scan(&r.ID, &r.Name, &r.Kind, &r.Position); err != nil {
			rows.Close()
			return err
		}
		a.Resources = append(a.Resources, r)
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT id, slug, name, duration_minutes, people, documents, ants, one_per_person, position
		FROM appointment_types WHERE tenant_id = ? AND agenda_id = ? ORDER BY position, name`, a.TenantID, a.ID)
	if err != nil {
		return fmt.Errorf("appointment: types: %w", err)
	}
	for rows.Next() {
		t := Type{AgendaID: a.ID}
		var d int
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &d, &t.People, &t.Documents, &t.ANTS, &t.OnePerPerson, &t.Position); err != nil {
			rows.Close()
			return err
		}
		t.Duration = minutes(d)
		a.Types = append(a.Types, t)
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT weekday, start_minute, end_minute FROM appointment_hours
		WHERE tenant_id = ? AND agenda_id = ? ORDER BY weekday, start_minute`, a.TenantID, a.ID)
	if err != nil {
		return fmt.Errorf("appointment: hours: %w", err)
	}
	for rows.Next() {
		var h Hours
		var wd int
		if err := rows.Scan(&wd, &h.Start, &h.End); err != nil {
			rows.Close()
			return err
		}
		h.Weekday = time.Weekday(wd)
		a.Hours = append(a.Hours, h)
	}
	rows.Close()
	return s.loadResourceHours(ctx, a)
}

func (s *Store) loadResourceHours(ctx context.Context, a *Agenda) error {
	rows, err := s.db.Query(ctx, `SELECT resource_id, weekday, start_minute, end_minute FROM appointment_resource_hours
		WHERE tenant_id = ? AND agenda_id = ? ORDER BY weekday, start_minute`, a.TenantID, a.ID)
	if err != nil {
		return fmt.Errorf("appointment: resource hours: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h Hours
		var wd int
		if err := rows.Scan(&id, &wd, &h.Start, &h.End); err != nil {
			return err
		}
		h.Weekday = time.Weekday(wd)
		if r := a.Resource(id); r != nil {
			r.Hours = append(r.Hours, h)
		}
	}
	return rows.Err()
}

// Validate checks an agenda's settings.
func (a *Agenda) Validate() error {
	f := map[string]string{}
	if strings.TrimSpace(a.Name) == "" {
		f["name"] = "Indiquez le nom de l'agenda."
	}
	if strings.TrimSpace(a.Service) == "" {
		f["service"] = "Indiquez le service."
	}
	if !validSlug(a.ServiceKey) {
		f["service_key"] = "Choisissez le service de l'équipe qui gère l'agenda."
	}
	if !validSlug(a.Slug) {
		f["slug"] = "L'adresse ne peut contenir que des lettres minuscules, des chiffres et des tirets."
	}
	if a.Step < Unit || a.Step > 4*time.Hour || a.Step%Unit != 0 {
		f["step"] = "Le pas doit être un multiple de 5 minutes, entre 5 minutes et 4 heures."
	}
	if a.Buffer < 0 || a.Buffer > 2*time.Hour || a.Buffer%Unit != 0 {
		f["buffer"] = "La pause doit être un multiple de 5 minutes, d'au plus 2 heures."
	}
	if a.MinNotice < 0 || a.MinNotice > 30*24*time.Hour {
		f["notice"] = "Le délai de prévenance doit être compris entre 0 et 30 jours."
	}
	if a.WindowDays < 1 || a.WindowDays > 366 {
		f["window"] = "La période de réservation doit être comprise entre 1 et 366 jours."
	}
	if a.ReleaseMinute < 0 || a.ReleaseMinute >= 1440 {
		f["release"] = "L'heure d'ouverture des nouveaux créneaux est invalide."
	}
	if a.Hold < 5*time.Minute || a.Hold > 7*24*time.Hour {
		f["hold"] = "La durée de réservation pour la liste d'attente doit être comprise entre 5 minutes et 7 jours."
	}
	if a.ConfirmHold < 5*time.Minute || a.ConfirmHold > 24*time.Hour {
		f["confirm_hold"] = "Le délai de confirmation par courriel doit être compris entre 5 minutes et 24 heures."
	}
	if a.GuestsPerDay < 1 || a.GuestsPerDay > maxGuestsPerDay {
		f["guests_per_day"] = fmt.Sprintf("Le nombre de rendez-vous sans compte par jour doit être compris entre 1 et %d.", maxGuestsPerDay)
	}
	if !ValidHours(a.Hours) {
		f["hours"] = hoursInvalid
	}
	for _, r := range a.Resources {
		if !ValidHours(r.Hours) {
			f["hours"] = hoursInvalid
		}
	}
	if len(f) > 0 {
		return guichet.Invalid(f)
	}
	return nil
}

const hoursInvalid = "Les horaires doivent être des heures de début et de fin, multiples de 5 minutes."

// ValidHours reports whether every range is a weekday's start before its
// end, both multiples of 5 minutes within the day.
func ValidHours(hours []Hours) bool {
	for _, h := range hours {
		if h.Weekday < time.Sunday || h.Weekday > time.Saturday || h.Start < 0 || h.End > 1440 || h.Start >= h.End ||
			h.Start%5 != 0 || h.End%5 != 0 {
			return false
		}
	}
	return true
}

func validSlug(s string) bool {
	if s == "" || len(s) > 60 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// CreateAgenda stores a new agenda with its resources, types and hours.
func (s *Store) CreateAgenda(ctx context.Context, a *Agenda) error {
	if a.ConfirmHold == 0 {
		a.ConfirmHold = DefaultConfirmHold
	}
	if a.GuestsPerDay == 0 {
		a.GuestsPerDay = DefaultGuestsPerDay
	}
	if err := a.Validate(); err != nil {
		return err
	}
	now := s.Now()
	a.ID, a.CreatedAt, a.UpdatedAt = uuid.NewString(), now, now
	defer s.changed(ctx, invalidate.Agenda, a.TenantID, a.ID)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO appointment_agendas (`+agendaColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.TenantID, a.Slug, a.Service, a.Name, a.Place, a.Description, int(a.Step/time.Minute),
			int(a.Buffer/time.Minute), int(a.MinNotice/time.Minute), a.WindowDays, a.ReleaseMinute,
			FormatReminders(a.Reminders), int(a.Hold/time.Minute), a.AlsaceMoselle, a.Active, now, now,
			a.ServiceKey, int(a.ConfirmHold/time.Minute), a.GuestsPerDay)
		if db.IsUniqueViolation(err) {
			return guichet.Invalid(map[string]string{"slug": "Un autre agenda a déjà cette adresse."})
		}
		if err != nil {
			return fmt.Errorf("appointment: create agenda: %w", err)
		}
		for i := range a.Resources {
			r := &a.Resources[i]
			r.ID, r.AgendaID = uuid.NewString(), a.ID
			if r.Kind == "" {
				r.Kind = "counter"
			}
			if _, err := tx.Exec(ctx, `INSERT INTO appointment_resources (id, tenant_id, agenda_id, name, kind, position)
				VALUES (?, ?, ?, ?, ?, ?)`, r.ID, a.TenantID, a.ID, r.Name, r.Kind, r.Position); err != nil {
				return fmt.Errorf("appointment: create resource: %w", err)
			}
			if err := insertResourceHours(ctx, tx, a.TenantID, a.ID, r.ID, r.Hours); err != nil {
				return err
			}
		}
		for i := range a.Types {
			if err := insertType(ctx, tx, a, &a.Types[i]); err != nil {
				return err
			}
		}
		return replaceHours(ctx, tx, a)
	})
}

func insertType(ctx context.Context, tx *db.Tx, a *Agenda, t *Type) error {
	if t.Duration < Unit || t.Duration%Unit != 0 {
		return guichet.Invalid(map[string]string{"duration": "La durée doit être un multiple de 5 minutes."})
	}
	t.ID, t.AgendaID = uuid.NewString(), a.ID
	if t.People < 1 {
		t.People = 1
	}
	_, err := tx.Exec(ctx, `INSERT INTO appointment_types (id, tenant_id, agenda_id, slug, name, duration_minutes, people,
		documents, ants, one_per_person, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, a.TenantID, a.ID,
		t.Slug, t.Name, int(t.Duration/time.Minute), t.People, t.Documents, t.ANTS, t.OnePerPerson, t.Position)
	if err != nil {
		return fmt.Errorf("appointment: create type: %w", err)
	}
	return nil
}

func replaceHours(ctx context.Context, tx *db.Tx, a *Agenda) error {
	if _, err := tx.Exec(ctx, `DELETE FROM appointment_hours WHERE tenant_id = ? AND agenda_id = ?`, a.TenantID, a.ID); err != nil {
		return err
	}
	for _, h := range a.Hours {
		if _, err := tx.Exec(ctx, `INSERT INTO appointment_hours (tenant_id, agenda_id, weekday, start_minute, end_minute)
			VALUES (?, ?, ?, ?, ?)`, a.TenantID, a.ID, int(h.Weekday), h.Start, h.End); err != nil {
			return fmt.Errorf("appointment: hours: %w", err)
		}
	}
	return nil
}

func insertResourceHours(ctx context.Context, tx *db.Tx, tenantID, agendaID, resourceID string, hours []Hours) error {
	for _, h := range hours {
		if _, err := tx.Exec(ctx, `INSERT INTO appointment_resource_hours (tenant_id, agenda_id, resource_id, weekday,
			start_minute, end_minute) VALUES (?, ?, ?, ?, ?, ?)`, tenantID, agendaID, resourceID, int(h.Weekday), h.Start, h.End); err != nil {
			return fmt.Errorf("appointment: resource hours: %w", err)
		}
	}
	return nil
}

// SetResourceHours replaces the weekly hours of an agenda's resource;
// none makes it follow the agenda's hours again.
func (s *Store) SetResourceHours(ctx context.Context, tenantID, agendaID, resourceID string, hours []Hours) error {
	if !ValidHours(hours) {
		return guichet.Invalid(map[string]string{"hours": hoursInvalid})
	}
	defer s.changed(ctx, invalidate.Agenda, tenantID, agendaID)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_resources WHERE tenant_id = ? AND agenda_id = ? AND id = ?`,
			tenantID, agendaID, resourceID).Scan(&n); err != nil {
			return fmt.Errorf("appointment: resource hours: %w", err)
		}
		if n == 0 {
			return guichet.Errorf(guichet.ENotFound, "Ressource introuvable.")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM appointment_resource_hours WHERE tenant_id = ? AND agenda_id = ? AND resource_id = ?`,
			tenantID, agendaID, resourceID); err != nil {
			return fmt.Errorf("appointment: resource hours: %w", err)
		}
		return insertResourceHours(ctx, tx, tenantID, agendaID, resourceID, hours)
	})
}

// UpdateSettings saves an agenda's settings and weekly hours.
func (s *Store) UpdateSettings(ctx context.Context, a *Agenda) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.UpdatedAt = s.Now()
	defer s.changed(ctx, invalidate.Agenda, a.TenantID, a.ID)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE appointment_agendas SET name = ?, service = ?, place = ?, description = ?,
			step_minutes = ?, buffer_minutes = ?, min_notice_minutes = ?, window_days = ?, release_minute = ?,
			reminders = ?, hold_minutes = ?, alsace_moselle = ?, active = ?, updated_at = ?,
			service_key = ?, confirm_minutes = ?, guests_per_day = ?
			WHERE tenant_id = ? AND id = ?`, a.Name, a.Service, a.Place, a.Description, int(a.Step/time.Minute),
			int(a.Buffer/time.Minute), int(a.MinNotice/time.Minute), a.WindowDays, a.ReleaseMinute,
			FormatReminders(a.Reminders), int(a.Hold/time.Minute), a.AlsaceMoselle, a.Active, a.UpdatedAt,
			a.ServiceKey, int(a.ConfirmHold/time.Minute), a.GuestsPerDay, a.TenantID, a.ID)
		if err != nil {
			return fmt.Errorf("appointment: update agenda: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return guichet.Errorf(guichet.ENotFound, "Agenda introuvable.")
		}
		return replaceHours(ctx, tx, a)
	})
}

// Exceptions returns an agenda's exceptions from day from to day to.
func (s *Store) Exceptions(ctx context.Context, tenantID, agendaID string, from, to Day) ([]Exception, error) {
	if _, e, err := s.cached(ctx, tenantID, agendaID); err == nil {
		if out, ok := e.exceptionsBetween(from, to); ok {
			return out, nil
		}
	}
	return s.loadExceptions(ctx, tenantID, agendaID, from, to)
}

func (s *Store) loadExceptions(ctx context.Context, tenantID, agendaID string, from, to Day) ([]Exception, error) {
	rows, err := s.db.Query(ctx, `SELECT id, resource_id, day, start_minute, end_minute, kind, reason
		FROM appointment_exceptions WHERE tenant_id = ? AND agenda_id = ? AND day >= ? AND day <= ?
		ORDER BY day, start_minute`, tenantID, agendaID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("appointment: exceptions: %w", err)
	}
	defer rows.Close()
	var out []Exception
	for rows.Next() {
		e := Exception{AgendaID: agendaID}
		if err := rows.Scan(&e.ID, &e.ResourceID, &e.Day, &e.Start, &e.End, &e.Kind, &e.Reason); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddException records a closure, a block or an extra opening.
func (s *Store) AddException(ctx context.Context, tenantID string, e *Exception) error {
	f := map[string]string{}
	if _, err := ParseDay(e.Day); err != nil {
		f["day"] = "Indiquez une date valide."
	}
	if e.Start < 0 || e.End > 1440 || e.Start >= e.End {
		f["start"] = "L'heure de fin doit suivre l'heure de début."
	}
	if e.Kind != Open && e.Kind != Closed {
		f["kind"] = "Choisissez fermeture ou ouverture."
	}
	if len(f) > 0 {
		return guichet.Invalid(f)
	}
	e.ID = uuid.NewString()
	defer s.changed(ctx, invalidate.Agenda, tenantID, e.AgendaID)
	_, err := s.db.Exec(ctx, `INSERT INTO appointment_exceptions (id, tenant_id, agenda_id, resource_id, day,
		start_minute, end_minute, kind, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, tenantID, e.AgendaID, e.ResourceID, e.Day, e.Start, e.End, e.Kind, e.Reason, s.Now())
	if err != nil {
		return fmt.Errorf("appointment: add exception: %w", err)
	}
	return nil
}

// RemoveException deletes an exception of an agenda.
func (s *Store) RemoveException(ctx context.Context, tenantID, agendaID, id string) error {
	defer s.changed(ctx, invalidate.Agenda, tenantID, agendaID)
	res, err := s.db.Exec(ctx, `DELETE FROM appointment_exceptions WHERE tenant_id = ? AND agenda_id = ? AND id = ?`,
		tenantID, agendaID, id)
	if err != nil {
		return fmt.Errorf("appointment: remove exception: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return guichet.Errorf(guichet.ENotFound, "Exception introuvable.")
	}
	return nil
}

// BusyBetween returns what occupies the agenda's resources between from
// and to: active bookings with their buffers. A hold whose time is up no
// longer counts, even before the sweep cancels it.
func (s *Store) BusyBetween(ctx context.Context, a *Agenda, from, to time.Time) (Busy, error) {
	busy, _, err := s.busyBetween(ctx, a, from, to)
	return busy, err
}

// busyBetween is BusyBetween that also returns when the first hold it
// counts ends, in Unix seconds (noExpiry when none does).
func (s *Store) busyBetween(ctx context.Context, a *Agenda, from, to time.Time) (Busy, int64, error) {
	// Appointments last less than a day: the lower bound keeps the index range short.
	rows, err := s.db.Query(ctx, `SELECT resource_id, starts_at, busy_until, hold_until FROM appointment_bookings
		WHERE tenant_id = ? AND agenda_id = ? AND starts_at < ? AND starts_at > ? AND busy_until > ? AND status <> ?
		AND (hold_until IS NULL OR hold_until > ?)
		ORDER BY resource_id, starts_at`, a.TenantID, a.ID, to.UTC(), from.Add(-24*time.Hour).UTC(), from.UTC(), StatusCancelled,
		s.Now().UTC())
	if err != nil {
		return nil, 0, fmt.Errorf("appointment: busy: %w", err)
	}
	defer rows.Close()
	// Active bookings of one resource never overlap (their units are
	// unique), so the intervals are kept as they are, one per booking.
	busy := Busy{}
	expiry := int64(noExpiry)
	for rows.Next() {
		var res string
		var start, end time.Time
		var hold sql.NullTime
		if err := rows.Scan(&res, &start, &end, &hold); err != nil {
			return nil, 0, err
		}
		busy[res] = append(busy[res], Interval{start.Unix(), end.Unix()})
		if hold.Valid {
			expiry = min(expiry, hold.Time.Unix())
		}
	}
	return busy, expiry, rows.Err()
}

// Free returns the free slots of typ from day from to day to, as seen now.
func (s *Store) Free(ctx context.Context, a *Agenda, loc *time.Location, typ *Type, from, to Day) ([]Slot, *Calendar, error) {
	now := s.Now()
	if today := DayOf(now, loc); from.Before(today) {
		from = today
	}
	var c *Calendar
	if e, err := s.cachedEntry(ctx, a.TenantID, a.ID); err == nil && e.agenda.sameSlotRules(a) && !from.Before(e.from) {
		c = e.calendar(a, loc)
	} else {
		exc, err := s.loadExceptions(ctx, a.TenantID, a.ID, from, to)
		if err != nil {
			return nil, nil, err
		}
		c = NewCalendar(a, loc, exc)
	}
	def := c.def
	if last := c.LastDay(now); last.Before(to) {
		to = last
	}
	if to.Before(from) {
		return nil, c, nil
	}
	busy, gen, err := s.busySnapshot(ctx, a, loc, from.Time(loc), to.AddDays(1).Time(loc).Add(a.Buffer))
	if err != nil {
		return nil, nil, err
	}
	earliest := now.Add(a.MinNotice).Unix()
	if def == nil || gen == 0 {
		return c.slots(typ, from, to, earliest, busy), c, nil
	}
	k := slotsKey{def: def, loc: loc, typeID: typ.ID, duration: typ.Duration, from: from, to: to}
	return s.memoSlots(k, gen, c, typ, earliest, busy), c, nil
}
