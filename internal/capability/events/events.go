// Package events is a collectivité's agenda: events, once or repeated
// weekly or monthly, their dates, and registrations to a date with a
// waiting list. An event's row, dates, revision and index entry are
// written in one transaction.
package events

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	gmail "guichet/internal/kernel/mail"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Migrations creates the events' tables: publishing's shared "content" set.
var Migrations = publishing.ContentTables

// Kind is an event's kind in the search index and revisions.
const Kind = "event"

// Categories are the categories editors choose from; the label of one is
// the web layer's message "publishing.cat.<value>".
var Categories = []string{"culture", "sport", "vie-municipale", "famille", "marche", "solidarite"}

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the emails events sends (mail/*.txt), to add to the
// outbox's registry as module "events".
func MailFiles() fs.FS { return mailFiles }

// Store reads and writes a collectivité's events and registrations and
// keeps the search index up to date.
type Store struct{ *publishing.Desk }

// NewStore returns the events' store; mailer sends the registrations'
// mails (nil in tests that send none).
func NewStore(d *db.DB, mailer gmail.Enqueuer) *Store { return &Store{publishing.NewDesk(d, mailer)} }

// Recurrences an event may have.
const (
	RepeatNone    = ""
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
	// maxOccurrences bounds a recurring event's dates (a year of weeks).
	maxOccurrences = 53
	// maxEventLength bounds the time from an event's start to its end.
	maxEventLength = 62 * 24 * time.Hour
)

// Event is one event of the agenda. Times are instants (UTC); all-day
// events start at midnight in the collectivité's time zone and End is the
// last day's midnight.
type Event struct {
	ID, TenantID, Slug, Category string
	Title, Summary, Body         string
	TitleEN, BodyEN              string
	Place, Address               string
	Start, End                   time.Time
	AllDay                       bool
	Recurrence                   string
	RecurrenceUntil              *time.Time
	Registration                 bool
	Capacity                     int
	Cancelled                    bool
	Status, Author               string
	PublishAt                    *time.Time
	Sequence                     int // the iCalendar SEQUENCE, increased at each change
	CreatedAt, UpdatedAt         time.Time
}

// Publication is the event's status and date.
func (e *Event) Publication() publishing.Publication {
	return publishing.Publication{Status: e.Status, PublishAt: e.PublishAt}
}

// Public reports whether visitors see the event at now.
func (e *Event) Public(now time.Time) bool { return e.Publication().Public(now) }

// URL is the event's public path.
func (e *Event) URL() string { return "/agenda/" + e.Slug }

func (e *Event) validate() error {
	errs := map[string]string{}
	e.Title, e.Summary, e.Place, e.Address = strings.TrimSpace(e.Title), strings.TrimSpace(e.Summary),
		strings.TrimSpace(e.Place), strings.TrimSpace(e.Address)
	publishing.CheckText(errs, "title", e.Title, 1, 160, "Indiquez un titre.", "Le titre dépasse 160 caractères.")
	publishing.CheckText(errs, "summary", e.Summary, 0, 300, "", "Le résumé dépasse 300 caractères.")
	publishing.CheckText(errs, "body", e.Body, 0, 50000, "", "Le texte dépasse 50 000 caractères.")
	publishing.CheckText(errs, "place", e.Place, 1, 160, "Indiquez le lieu.", "Le lieu dépasse 160 caractères.")
	publishing.CheckText(errs, "address", e.Address, 0, 250, "", "L'adresse dépasse 250 caractères.")
	if !slices.Contains(Categories, e.Category) {
		errs["category"] = "Choisissez une catégorie."
	}
	switch {
	case e.Start.IsZero():
		errs["start_date"] = "Indiquez la date de début."
	case e.End.Before(e.Start):
		errs["end_date"] = "La fin doit suivre le début."
	case e.End.Sub(e.Start) > maxEventLength:
		errs["end_date"] = "Un événement dure au plus deux mois."
	}
	if e.Recurrence != RepeatNone && e.Recurrence != RepeatWeekly && e.Recurrence != RepeatMonthly {
		errs["recurrence"] = "Choisissez une répétition."
	}
	if e.Recurrence != RepeatNone && e.RecurrenceUntil != nil && e.RecurrenceUntil.Before(e.Start) {
		errs["recurrence_until"] = "La dernière date doit suivre le début."
	}
	if e.Registration && (e.Capacity < 1 || e.Capacity > 100000) {
		errs["capacity"] = "Indiquez le nombre de places (1 à 100 000)."
	}
	publishing.CheckStatus(errs, e.Status)
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// Occurrence is one date of an event.
type Occurrence struct{ Start, End time.Time }

// OccurrenceAt returns the date of e that starts at start, as long as the
// first.
func (e *Event) OccurrenceAt(start time.Time) Occurrence {
	return Occurrence{Start: start, End: start.Add(e.End.Sub(e.Start))}
}

// DateText is a date of an event as people read it: its day ("5 décembre
// 2026", or a span of days) and its hours ("14:00 – 16:00", none all day).
type DateText struct{ Day, Hours string }

// Label is the date as one line: "5 décembre 2026, 14:00 – 16:00".
func (d DateText) Label() string {
	if d.Hours == "" {
		return d.Day
	}
	return d.Day + ", " + d.Hours
}

// DateText writes date o of e in loc and lang: a page's, or the language
// of the person an email goes to.
func (e *Event) DateText(loc *time.Location, lang string, o Occurrence) DateText {
	start, end := o.Start.In(loc), o.End.In(loc)
	d := DateText{Day: guichet.Date(start, lang)}
	switch {
	case e.AllDay && end.YearDay() != start.YearDay():
		d.Day += " – " + guichet.Date(end, lang)
	case e.AllDay:
	case end.YearDay() != start.YearDay() || end.Year() != start.Year():
		d.Hours = start.Format("15:04") + " – " + guichet.Date(end, lang) + " " + end.Format("15:04")
	default:
		d.Hours = start.Format("15:04") + " – " + end.Format("15:04")
	}
	return d
}

// Occurrences returns the event's dates: one, or one per week or month
// until RecurrenceUntil (a year at most). Repeats keep the wall-clock time
// in loc, so that a 10:00 market stays at 10:00 across a change of time.
func (e *Event) Occurrences(loc *time.Location) []Occurrence {
	out := []Occurrence{{e.Start, e.End}}
	if e.Recurrence == RepeatNone {
		return out
	}
	until := e.Start.AddDate(1, 0, 0)
	if e.RecurrenceUntil != nil && e.RecurrenceUntil.Before(until) {
		until = *e.RecurrenceUntil
	}
	ls, le := e.Start.In(loc), e.End.In(loc)
	for i := 1; len(out) < maxOccurrences; i++ {
		var s, en time.Time
		if e.Recurrence == RepeatWeekly {
			s, en = ls.AddDate(0, 0, 7*i), le.AddDate(0, 0, 7*i)
		} else {
			s, en = ls.AddDate(0, i, 0), le.AddDate(0, i, 0)
			if s.Day() != ls.Day() {
				continue // no 31 February: that month is skipped
			}
		}
		if s.After(until) {
			break
		}
		out = append(out, Occurrence{s.UTC(), en.UTC()})
	}
	return out
}

const eventColumns = `id, tenant_id, slug, category, title, summary, body, title_en, body_en, place, address, starts_at, ends_at,
	all_day, recurrence, recurrence_until, registration, capacity, cancelled, status, publish_at, author, sequence, created_at, updated_at`

func scanEvent(row interface{ Scan(...any) error }, extra ...any) (*Event, error) {
	var e Event
	var until, at sql.NullTime
	dest := []any{&e.ID, &e.TenantID, &e.Slug, &e.Category, &e.Title, &e.Summary, &e.Body, &e.TitleEN, &e.BodyEN,
		&e.Place, &e.Address, &e.Start, &e.End, &e.AllDay, &e.Recurrence, &until, &e.Registration, &e.Capacity,
		&e.Cancelled, &e.Status, &at, &e.Author, &e.Sequence, &e.CreatedAt, &e.UpdatedAt}
	err := row.Scan(append(dest, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, publishing.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("events: event: %w", err)
	}
	e.Start, e.End = e.Start.UTC(), e.End.UTC()
	e.RecurrenceUntil, e.PublishAt = publishing.FromNull(until), publishing.FromNull(at)
	return &e, nil
}

// Save creates or updates an event, its dates, a revision and the
// search index in one transaction. loc is the collectivité's time zone.
func (s *Store) Save(ctx context.Context, e *Event, loc *time.Location, author, action string) error {
	if e.Status == "" {
		e.Status = publishing.StatusDraft
	}
	if err := e.validate(); err != nil {
		return err
	}
	now := s.Stamp()
	if e.Status == publishing.StatusPublished && e.PublishAt == nil {
		e.PublishAt = &now
	}
	e.UpdatedAt, e.Author = now, author
	creating := e.ID == ""
	if creating {
		e.ID, e.CreatedAt = uuid.NewString(), now
		if e.Slug == "" {
			e.Slug = publishing.Slugify(e.Title)
		}
	} else {
		e.Sequence++
	}
	err := publishing.InsertWithSlug(ctx, s.DB(), &e.Slug, func(tx *db.Tx) error {
		var err error
		if creating {
			_, err = tx.Exec(ctx, `INSERT INTO content_events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.ID, e.TenantID, e.Slug, e.Category, e.Title, e.Summary, e.Body, e.TitleEN, e.BodyEN, e.Place, e.Address,
				e.Start, e.End, e.AllDay, e.Recurrence, publishing.NullTime(e.RecurrenceUntil), e.Registration, e.Capacity, e.Cancelled,
				e.Status, publishing.NullTime(e.PublishAt), e.Author, e.Sequence, e.CreatedAt, e.UpdatedAt)
		} else {
			var res sql.Result
			res, err = tx.Exec(ctx, `UPDATE content_events SET category = ?, title = ?, summary = ?, body = ?, title_en = ?,
				body_en = ?, place = ?, address = ?, starts_at = ?, ends_at = ?, all_day = ?, recurrence = ?, recurrence_until = ?,
				registration = ?, capacity = ?, cancelled = ?, status = ?, publish_at = ?, author = ?, sequence = ?, updated_at = ?
				WHERE tenant_id = ? AND id = ?`, e.Category, e.Title, e.Summary, e.Body, e.TitleEN, e.BodyEN, e.Place, e.Address,
				e.Start, e.End, e.AllDay, e.Recurrence, publishing.NullTime(e.RecurrenceUntil), e.Registration, e.Capacity, e.Cancelled,
				e.Status, publishing.NullTime(e.PublishAt), e.Author, e.Sequence, e.UpdatedAt, e.TenantID, e.ID)
			if err == nil {
				if k, _ := res.RowsAffected(); k == 0 {
					return publishing.ErrNotFound
				}
			}
		}
		if err != nil {
			return err
		}
		if err := s.writeDates(ctx, tx, e, loc); err != nil {
			return err
		}
		if err := s.History.Record(ctx, tx, s.Now(), e.TenantID, e.ID, Kind, author, action, e.Title, e); err != nil {
			return err
		}
		return publishing.Index(ctx, tx, e.Status == publishing.StatusPublished, e.doc())
	})
	if errors.Is(err, publishing.ErrNotFound) {
		return publishing.ErrNotFound
	}
	if err == nil {
		s.Changed(ctx, e.TenantID)
	}
	return err
}

func (s *Store) writeDates(ctx context.Context, tx *db.Tx, e *Event, loc *time.Location) error {
	if _, err := tx.Exec(ctx, `DELETE FROM content_event_dates WHERE tenant_id = ? AND event_id = ?`, e.TenantID, e.ID); err != nil {
		return err
	}
	for _, o := range e.Occurrences(loc) {
		if _, err := tx.Exec(ctx, `INSERT INTO content_event_dates (tenant_id, event_id, starts_at, ends_at, category, public)
			VALUES (?, ?, ?, ?, ?, ?)`, e.TenantID, e.ID, o.Start, o.End, e.Category, e.Status == publishing.StatusPublished); err != nil {
			return err
		}
	}
	return nil
}

func (e *Event) doc() search.Doc {
	d := search.Doc{TenantID: e.TenantID, Kind: Kind, ID: e.ID, Title: e.Title, URL: e.URL(),
		Body: strings.TrimSpace(e.Summary + "\n" + e.Place + " " + e.Address + "\n" + publishing.PlainText(e.Body))}
	if e.PublishAt != nil {
		d.PublishedAt = *e.PublishAt
	}
	return d
}

// ByID returns any event of the collectivité, for editors.
func (s *Store) ByID(ctx context.Context, tenantID, id string) (*Event, error) {
	return scanEvent(s.DB().QueryRow(ctx, `SELECT `+eventColumns+` FROM content_events WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Public returns a published event by slug.
func (s *Store) Public(ctx context.Context, tenantID, slug string) (*Event, error) {
	return scanEvent(s.DB().QueryRow(ctx, `SELECT `+eventColumns+` FROM content_events
		WHERE tenant_id = ? AND slug = ? AND status = ? AND publish_at <= ?`, tenantID, slug, publishing.StatusPublished, s.Stamp()))
}

// Dated is an event at one of its dates.
type Dated struct {
	*Event
	Occurrence
}

// Filter selects dates of the agenda.
type Filter struct {
	Category string
	From, To time.Time // dates overlapping [From, To); To zero means no end
	Past     bool      // the archive: dates ended before From, newest first
	After    publishing.Cursor
	Limit    int
	// Details reads each event's category, address, recurrence and
	// registration settings too.
	Details bool
}

// longestDate bounds how long one date lasts: an event lasts two months at
// most, and a monthly repeat, which keeps the days of the month, may
// stretch a date by the months' lengths (and a change of time by an hour).
const longestDate = maxEventLength + 7*24*time.Hour

// List returns public event dates in order, one page at a time. Its
// events hold what the agenda shows (cardColumns), and with f.Details
// what the API gives (detailColumns): no body, no translation, no
// publication or change dates.
// Each part of a page is read by walking the dates in start order from a
// bound on starts_at, so that a page costs the same whatever the size of
// the agenda.
func (s *Store) List(ctx context.Context, tenantID string, f Filter) ([]Dated, publishing.Cursor, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	query, args := s.datesSQL(tenantID, f, limit+1)
	rows, err := s.DB().Query(ctx, query, args...)
	if err != nil {
		return nil, publishing.Cursor{}, fmt.Errorf("events: list events: %w", err)
	}
	out, err := scanDates(rows, tenantID, f.Details)
	if err != nil {
		return nil, publishing.Cursor{}, err
	}
	slices.SortFunc(out, func(a, b Dated) int {
		c := a.Occurrence.Start.Compare(b.Occurrence.Start)
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if f.Past {
			return -c
		}
		return c
	})
	var next publishing.Cursor
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = publishing.Cursor{At: last.Occurrence.Start, ID: last.ID}
	}
	return out, next, nil
}

// datesSQL is one statement reading every walk of the filter, at most
// limit dates each, in no particular order.
func (s *Store) datesSQL(tenantID string, f Filter, limit int) (string, []any) {
	parts := []dateRange{pastDates(f)}
	if !f.Past {
		parts = nextDates(f)
	}
	var query string
	var args []any
	for i, p := range parts {
		q, a := s.datesQuery(tenantID, f.Category, f.Details, p, limit)
		if len(parts) > 1 {
			q = "SELECT * FROM (" + q + ") AS part" + strconv.Itoa(i)
		}
		if i > 0 {
			query += " UNION ALL "
		}
		query, args = query+q, append(args, a...)
	}
	return query, args
}

// cardColumns are what the agenda's pages show of each event (the agenda,
// the home page); detailColumns add what the API gives of it. No texts,
// no times but the date's own: each column read costs on every row.
const (
	cardColumns   = `e.id, e.slug, e.title, e.summary, e.place, e.all_day, e.cancelled`
	detailColumns = cardColumns + `, e.category, e.address, e.recurrence, e.registration, e.capacity`
)

// scanDates reads dates of cardColumns, or detailColumns; the dates of one
// event share one Event.
func scanDates(rows *sql.Rows, tenantID string, details bool) ([]Dated, error) {
	defer rows.Close()
	var out []Dated
	seen := map[string]*Event{}
	for rows.Next() {
		e := Event{TenantID: tenantID}
		var o Occurrence
		dest := []any{&e.ID, &e.Slug, &e.Title, &e.Summary, &e.Place, &e.AllDay, &e.Cancelled}
		if details {
			dest = append(dest, &e.Category, &e.Address, &e.Recurrence, &e.Registration, &e.Capacity)
		}
		if err := rows.Scan(append(dest, &o.Start, &o.End)...); err != nil {
			return nil, fmt.Errorf("events: list events: %w", err)
		}
		ev := seen[e.ID]
		if ev == nil {
			ev = &e
			seen[e.ID] = ev
		}
		out = append(out, Dated{Event: ev, Occurrence: Occurrence{o.Start.UTC(), o.End.UTC()}})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: list events: %w", err)
	}
	return out, nil
}

// dateRange is one walk over the index of dates: a condition bounding
// starts_at on the side the walk starts from, and the walk's direction.
type dateRange struct {
	where string
	args  []any
	desc  bool
}

// nextDates splits the dates ending at or after From in two walks: dates
// already under way, which started at most longestDate earlier, and dates
// starting from From on. Without a lower bound on starts_at the walk
// would start at the collectivité's oldest date.
func nextDates(f Filter) []dateRange {
	var until string
	var untilArgs []any
	if !f.To.IsZero() {
		until, untilArgs = " AND d.starts_at < ?", []any{f.To}
	}
	var parts []dateRange
	if f.After.ID == "" || f.After.At.Before(f.From) {
		parts = append(parts, after(f.After, f.From.Add(-longestDate), "d.starts_at < ? AND d.ends_at >= ?", f.From, f.From))
	}
	parts = append(parts, after(f.After, f.From, ""))
	for i := range parts {
		parts[i].where += until
		parts[i].args = append(parts[i].args, untilArgs...)
	}
	return parts
}

// after walks forward from lower, or from the cursor c when it is later,
// over the dates meeting cond. Once starts_at >= c.At, (starts_at,
// event_id) > c reads as starts_at > c.At OR event_id > c.ID.
func after(c publishing.Cursor, lower time.Time, cond string, args ...any) dateRange {
	p := dateRange{where: "d.starts_at >= ?", args: []any{lower}}
	if c.ID != "" && !c.At.Before(lower) {
		p.where, p.args = "d.starts_at >= ? AND (d.starts_at > ? OR d.event_id > ?)", []any{c.At, c.At, c.ID}
	}
	if cond != "" {
		p.where, p.args = p.where+" AND "+cond, append(p.args, args...)
	}
	return p
}

// pastDates walks back from From over the dates ended before it, newest
// first; the few still under way are skipped on the way.
func pastDates(f Filter) dateRange {
	p := dateRange{where: "d.starts_at < ? AND d.ends_at < ?", args: []any{f.From, f.From}, desc: true}
	if f.After.ID != "" && f.After.At.Before(f.From) {
		p.where = "d.starts_at <= ? AND (d.starts_at < ? OR d.event_id < ?) AND d.ends_at < ?"
		p.args = []any{f.After.At, f.After.At, f.After.ID, f.From}
	}
	return p
}

// datesQuery reads the public dates of one walk, with their events.
func (s *Store) datesQuery(tenantID, category string, details bool, p dateRange, limit int) (string, []any) {
	where := "d.tenant_id = ? AND d.public = ?"
	args := []any{tenantID, true}
	if category != "" {
		where, args = where+" AND d.category = ?", append(args, category)
	}
	order := "d.starts_at, d.event_id"
	if p.desc {
		order = "d.starts_at DESC, d.event_id DESC"
	}
	args = append(append(args, p.args...), tenantID, s.Stamp(), limit)
	columns := cardColumns
	if details {
		columns = detailColumns
	}
	return `SELECT ` + columns + `, d.starts_at AS date_start, d.ends_at AS date_end FROM content_event_dates d
		JOIN content_events e ON e.id = d.event_id WHERE ` + where + ` AND ` + p.where + `
		AND e.tenant_id = ? AND e.publish_at <= ? ORDER BY ` + order + ` LIMIT ?`, args
}

// ListStaff returns every event for editors, last changed first.
func (s *Store) ListStaff(ctx context.Context, tenantID string, f publishing.ListFilter) ([]*Event, publishing.Cursor, error) {
	where, args := []string{"tenant_id = ?"}, []any{tenantID}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, f.Category)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, "LOWER(title) LIKE ?"), append(args, "%"+strings.ToLower(q)+"%")
	}
	if f.After.ID != "" {
		where = append(where, "(updated_at < ? OR (updated_at = ? AND id < ?))")
		args = append(args, f.After.At, f.After.At, f.After.ID)
	}
	limit := 20
	rows, err := s.DB().Query(ctx, `SELECT `+eventColumns+` FROM content_events WHERE `+strings.Join(where, " AND ")+
		` ORDER BY updated_at DESC, id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, publishing.Cursor{}, err
	}
	defer rows.Close()
	var out []*Event
	var next publishing.Cursor
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, publishing.Cursor{}, err
		}
		if len(out) == limit {
			next = publishing.Cursor{At: out[limit-1].UpdatedAt, ID: out[limit-1].ID}
			break
		}
		out = append(out, e)
	}
	return out, next, rows.Err()
}

// AllPublic returns the public events for a feed (category optional),
// those ending after since and every recurring one, in start order, at
// most limit. Recurring events, few, are read on their own index; the
// others are walked in start order from the earliest start that can end
// after since, so that the feed reads the events it lists and little
// more. Two statements: a UNION would copy the events' texts once more.
func (s *Store) AllPublic(ctx context.Context, tenantID, category string, since time.Time, limit int) ([]*Event, error) {
	where := "tenant_id = ? AND status = ? AND publish_at <= ?"
	args := []any{tenantID, publishing.StatusPublished, s.Stamp()}
	if category != "" {
		where, args = where+" AND category = ?", append(args, category)
	}
	out, err := s.feedEvents(ctx, where+" AND recurrence <> ''", args, limit)
	if err != nil {
		return nil, err
	}
	single, err := s.feedEvents(ctx, where+" AND recurrence = '' AND starts_at >= ? AND ends_at >= ?",
		append(args, since.Add(-maxEventLength), since), limit)
	if err != nil {
		return nil, err
	}
	out = append(out, single...)
	slices.SortFunc(out, func(a, b *Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out[:min(len(out), limit)], nil
}

func (s *Store) feedEvents(ctx context.Context, where string, args []any, limit int) ([]*Event, error) {
	rows, err := s.DB().Query(ctx, `SELECT `+eventColumns+` FROM content_events WHERE `+where+` ORDER BY starts_at, id LIMIT ?`,
		append(slices.Clip(args), limit)...)
	if err != nil {
		return nil, fmt.Errorf("events: feed: %w", err)
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Revised returns the event as revision r saved it.
func Revised(r *publishing.Revision) (*Event, error) {
	var e Event
	return &e, publishing.ContentHistory.Decode(r, Kind, &e)
}

// Restore brings back the texts, place, dates and registration
// settings of a revision of an event. Its publication and cancellation
// stay as they are now.
func (s *Store) Restore(ctx context.Context, tenantID, id, revisionID string, loc *time.Location, author string) (*Event, error) {
	rev, err := s.Revision(ctx, tenantID, Kind, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := Revised(rev)
	if err != nil {
		return nil, err
	}
	e, err := s.ByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	e.Title, e.Category, e.Summary, e.Body, e.TitleEN, e.BodyEN = old.Title, old.Category, old.Summary, old.Body, old.TitleEN, old.BodyEN
	e.Place, e.Address, e.Start, e.End, e.AllDay = old.Place, old.Address, old.Start, old.End, old.AllDay
	e.Recurrence, e.RecurrenceUntil, e.Registration, e.Capacity = old.Recurrence, old.RecurrenceUntil, old.Registration, old.Capacity
	return e, s.Save(ctx, e, loc, author, publishing.ActionRestored)
}
