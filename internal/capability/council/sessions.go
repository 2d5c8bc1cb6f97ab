package council

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Session is a sitting of the council (séance).
type Session struct {
	ID, TenantID string
	StartsAt     time.Time
	Place, Kind  string // Kind: "ordinaire" or "extraordinaire"
	// SecondCall marks a session convened again after one without quorum:
	// it deliberates whatever the number present (L2121-17).
	SecondCall bool
	VideoURL   string
	// ConvenedOn is the day the convocation was sent, "" before.
	ConvenedOn               string
	PresidentID, SecretaryID string
	Held                     bool // attendance recorded: the session took place
	ListPublishedAt          *time.Time
	Minutes                  Minutes
	CreatedAt, UpdatedAt     time.Time
	Items                    []*Item
	Documents                []*Document
	Attendance               map[string]Attendance // by member id
	Convened                 []string              // names of the members convened
}

// Minutes is a session's procès-verbal: drafted from the session,
// approved at a later session, then published.
type Minutes struct {
	Text        string
	State       string // "", Draft, Approved, Published
	ApprovedIn  string // the session that approved it
	ApprovedOn  string // that session's day
	FileID      string
	PublishedAt *time.Time
}

// Item is a point of a session's agenda.
type Item struct {
	ID, SessionID     string
	Position          int
	Title, Rapporteur string
	Report            string // the explanatory report (note de synthèse)
	Discussion        string // the substance of the discussions, for the minutes
}

// Document is a session's public document or an item's annex.
type Document struct {
	ID, SessionID, ItemID, Title string
	File                         *File
}

// Attendance is a member's presence at a session.
type Attendance struct {
	Status  string
	ProxyID string // for Represented: the member holding the proxy
}

// Day is the session's calendar day in loc.
func (s *Session) Day(loc *time.Location) string { return s.StartsAt.In(loc).Format(DateLayout) }

// Kinds of session.
var SessionKinds = []string{"ordinaire", "extraordinaire"}

// SessionInput is what the secretary sets of a session.
type SessionInput struct {
	StartsAt                 time.Time
	Place, Kind, VideoURL    string
	SecondCall               bool
	PresidentID, SecretaryID string
}

func (in *SessionInput) validate() error {
	errs := map[string]string{}
	in.Place, in.VideoURL = strings.TrimSpace(in.Place), strings.TrimSpace(in.VideoURL)
	if in.StartsAt.IsZero() {
		errs["starts_at"] = "Indiquez la date et l'heure de la séance."
	}
	publishing.CheckText(errs, "place", in.Place, 2, 200, "Indiquez le lieu de la séance.", "Le lieu dépasse 200 caractères.")
	if !slices.Contains(SessionKinds, in.Kind) {
		errs["kind"] = "Choisissez le type de séance."
	}
	if in.VideoURL != "" {
		if u, err := url.Parse(in.VideoURL); err != nil || u.Scheme != "https" || u.Host == "" || len(in.VideoURL) > 500 {
			errs["video_url"] = "Le lien vidéo est une adresse https://."
		}
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// CreateSession adds a session.
func (s *Store) CreateSession(ctx context.Context, tenantID string, in SessionInput) (*Session, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.Stamp()
	id := uuid.NewString()
	_, err := s.DB().Exec(ctx, `INSERT INTO council_sessions (id, tenant_id, starts_at, place, kind, second_call, video_url,
		president_id, secretary_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, tenantID,
		in.StartsAt.UTC(), in.Place, in.Kind, in.SecondCall, in.VideoURL, in.PresidentID, in.SecretaryID, now, now)
	if err != nil {
		return nil, wrap("create session", err)
	}
	s.Changed(ctx, tenantID)
	return s.Session(ctx, tenantID, id)
}

// UpdateSession changes a session's settings.
func (s *Store) UpdateSession(ctx context.Context, tenantID, id string, in SessionInput) error {
	if err := in.validate(); err != nil {
		return err
	}
	n, err := db.Affected(ctx, s.DB(), `UPDATE council_sessions SET starts_at = ?, place = ?, kind = ?, second_call = ?,
		video_url = ?, president_id = ?, secretary_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		in.StartsAt.UTC(), in.Place, in.Kind, in.SecondCall, in.VideoURL, in.PresidentID, in.SecretaryID, s.Stamp(), tenantID, id)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	s.Changed(ctx, tenantID)
	return wrap("update session", err)
}

const sessionColumns = `id, tenant_id, starts_at, place, kind, second_call, video_url, convened_on, president_id, secretary_id,
	held, list_published_at, minutes_text, minutes_state, minutes_approved_in, minutes_approved_on, minutes_file_id,
	minutes_published_at, created_at, updated_at`

func scanSession(row interface{ Scan(...any) error }) (*Session, error) {
	var x Session
	var list, minutes sql.NullTime
	err := row.Scan(&x.ID, &x.TenantID, &x.StartsAt, &x.Place, &x.Kind, &x.SecondCall, &x.VideoURL, &x.ConvenedOn,
		&x.PresidentID, &x.SecretaryID, &x.Held, &list, &x.Minutes.Text, &x.Minutes.State, &x.Minutes.ApprovedIn,
		&x.Minutes.ApprovedOn, &x.Minutes.FileID, &minutes, &x.CreatedAt, &x.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, wrap("session", err)
	}
	x.StartsAt = x.StartsAt.UTC()
	x.ListPublishedAt, x.Minutes.PublishedAt = publishing.FromNull(list), publishing.FromNull(minutes)
	return &x, nil
}

// Sessions returns the collectivité's sessions, latest first, without
// their agenda.
func (s *Store) Sessions(ctx context.Context, tenantID string) ([]*Session, error) {
	var out []*Session
	err := db.Each(ctx, s.DB(), `SELECT `+sessionColumns+` FROM council_sessions WHERE tenant_id = ? ORDER BY starts_at DESC`,
		func(r db.Row) error {
			x, err := scanSession(r)
			out = append(out, x)
			return err
		}, tenantID)
	return out, wrap("sessions", err)
}

// Session returns a session with its agenda, documents, attendance and
// the members convened.
func (s *Store) Session(ctx context.Context, tenantID, id string) (*Session, error) {
	x, err := scanSession(s.DB().QueryRow(ctx, `SELECT `+sessionColumns+` FROM council_sessions WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, err
	}
	err = db.Each(ctx, s.DB(), `SELECT id, session_id, position, title, rapporteur, report, discussion FROM council_items
		WHERE tenant_id = ? AND session_id = ? ORDER BY position`, func(r db.Row) error {
		var it Item
		err := r.Scan(&it.ID, &it.SessionID, &it.Position, &it.Title, &it.Rapporteur, &it.Report, &it.Discussion)
		x.Items = append(x.Items, &it)
		return err
	}, tenantID, id)
	if err != nil {
		return nil, wrap("items", err)
	}
	x.Attendance = map[string]Attendance{}
	err = db.Each(ctx, s.DB(), `SELECT member_id, status, proxy_id FROM council_attendance WHERE tenant_id = ? AND session_id = ?`,
		func(r db.Row) error {
			var m string
			var a Attendance
			err := r.Scan(&m, &a.Status, &a.ProxyID)
			x.Attendance[m] = a
			return err
		}, tenantID, id)
	if err != nil {
		return nil, wrap("attendance", err)
	}
	err = db.Each(ctx, s.DB(), `SELECT member_name FROM council_convocations WHERE tenant_id = ? AND session_id = ? ORDER BY member_name`,
		func(r db.Row) error {
			var name string
			err := r.Scan(&name)
			x.Convened = append(x.Convened, name)
			return err
		}, tenantID, id)
	if err != nil {
		return nil, wrap("convocations", err)
	}
	x.Documents, err = s.documents(ctx, tenantID, id)
	return x, err
}

// ItemInput is what the secretary writes of an agenda item.
type ItemInput struct {
	Title, Rapporteur, Report, Discussion string
}

func (in *ItemInput) validate() error {
	errs := map[string]string{}
	in.Title, in.Rapporteur = strings.TrimSpace(in.Title), strings.TrimSpace(in.Rapporteur)
	publishing.CheckText(errs, "title", in.Title, 2, 300, "Indiquez l'intitulé du point.", "L'intitulé dépasse 300 caractères.")
	publishing.CheckText(errs, "rapporteur", in.Rapporteur, 0, 120, "", "Le nom du rapporteur dépasse 120 caractères.")
	publishing.CheckText(errs, "report", in.Report, 0, 20000, "", "Le rapport dépasse 20 000 caractères.")
	publishing.CheckText(errs, "discussion", in.Discussion, 0, 20000, "", "La synthèse des débats dépasse 20 000 caractères.")
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// AddItem appends a point to a session's agenda.
func (s *Store) AddItem(ctx context.Context, tenantID, sessionID string, in ItemInput) (*Item, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	it := &Item{ID: uuid.NewString(), SessionID: sessionID, Title: in.Title, Rapporteur: in.Rapporteur, Report: in.Report,
		Discussion: in.Discussion}
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) + 1 FROM council_items WHERE tenant_id = ? AND session_id = ?`,
			tenantID, sessionID).Scan(&it.Position); err != nil {
			return err
		}
		var found int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM council_sessions WHERE tenant_id = ? AND id = ?`, tenantID, sessionID).Scan(&found); err != nil {
			return err
		}
		if found == 0 {
			return ErrNotFound
		}
		_, err := tx.Exec(ctx, `INSERT INTO council_items (id, tenant_id, session_id, position, title, rapporteur, report, discussion)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, it.ID, tenantID, sessionID, it.Position, it.Title, it.Rapporteur, it.Report, it.Discussion)
		return err
	})
	if err != nil {
		return nil, wrap("add item", err)
	}
	s.Changed(ctx, tenantID)
	return it, nil
}

// UpdateItem rewrites an agenda item.
func (s *Store) UpdateItem(ctx context.Context, tenantID, sessionID, itemID string, in ItemInput) error {
	if err := in.validate(); err != nil {
		return err
	}
	n, err := db.Affected(ctx, s.DB(), `UPDATE council_items SET title = ?, rapporteur = ?, report = ?, discussion = ?
		WHERE tenant_id = ? AND session_id = ? AND id = ?`, in.Title, in.Rapporteur, in.Report, in.Discussion, tenantID, sessionID, itemID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	s.Changed(ctx, tenantID)
	return wrap("update item", err)
}

// Convene records that the convocation was sent on day (YYYY-MM-DD; ""
// for today) to the members in office; recording it again keeps the new
// day and recipients.
func (s *Store) Convene(ctx context.Context, tenantID, sessionID, day string, loc *time.Location) error {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	if len(x.Items) == 0 {
		return guichet.Errorf(guichet.EInvalid, "Ajoutez au moins un point à l'ordre du jour avant de convoquer.")
	}
	if day == "" {
		day = s.today(loc)
	}
	if _, err := ParseDate(day); err != nil || day > s.today(loc) || day > x.Day(loc) {
		return guichet.Invalid(map[string]string{"convened_on": "La convocation est envoyée avant la séance, et au plus tard aujourd'hui."})
	}
	members, err := s.MembersOn(ctx, tenantID, x.Day(loc))
	if err != nil {
		return err
	}
	now := s.Stamp()
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM council_convocations WHERE tenant_id = ? AND session_id = ?`, tenantID, sessionID); err != nil {
			return err
		}
		for _, m := range members {
			if _, err := tx.Exec(ctx, `INSERT INTO council_convocations (tenant_id, session_id, member_id, member_name, sent_at)
				VALUES (?, ?, ?, ?, ?)`, tenantID, sessionID, m.ID, m.Name, now); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE council_sessions SET convened_on = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			day, now, tenantID, sessionID)
		return err
	})
	s.Changed(ctx, tenantID)
	return wrap("convene", err)
}

// RecordAttendance records who was present, represented (and by whom),
// excused or absent; the session is then held.
func (s *Store) RecordAttendance(ctx context.Context, tenantID, sessionID string, loc *time.Location, marks map[string]Attendance) error {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	members, err := s.MembersOn(ctx, tenantID, x.Day(loc))
	if err != nil {
		return err
	}
	errs := map[string]string{}
	for _, m := range members {
		a := marks[m.ID]
		if !slices.Contains(AttendanceStatuses, a.Status) {
			errs["member_"+m.ID] = fmt.Sprintf("Indiquez la présence de %s.", m.Name)
			continue
		}
		if a.Status != Represented {
			a.ProxyID = ""
			marks[m.ID] = a
			continue
		}
		holder, ok := marks[a.ProxyID]
		if a.ProxyID == m.ID || !ok || holder.Status != Present {
			errs["proxy_"+m.ID] = fmt.Sprintf("Le pouvoir de %s est donné à un élu présent.", m.Name)
		}
	}
	held := map[string]int{}
	for _, m := range members {
		if a := marks[m.ID]; a.Status == Represented && errs["proxy_"+m.ID] == "" {
			held[a.ProxyID]++
			if held[a.ProxyID] > 1 { // L2121-20: one proxy per member
				errs["proxy_"+m.ID] = "Un élu ne peut détenir qu'un seul pouvoir."
			}
		}
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM council_attendance WHERE tenant_id = ? AND session_id = ?`, tenantID, sessionID); err != nil {
			return err
		}
		for _, m := range members {
			a := marks[m.ID]
			if _, err := tx.Exec(ctx, `INSERT INTO council_attendance (tenant_id, session_id, member_id, status, proxy_id)
				VALUES (?, ?, ?, ?, ?)`, tenantID, sessionID, m.ID, a.Status, a.ProxyID); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE council_sessions SET held = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			true, s.Stamp(), tenantID, sessionID)
		return err
	})
	s.Changed(ctx, tenantID)
	return wrap("attendance", err)
}

// Quorum is the count that decides whether a session may deliberate.
type Quorum struct {
	InOffice, Present, Represented, Needed int
	Reached                                bool
	SecondCall                             bool
}

// QuorumOf counts a held session: the majority of the members in office
// must be physically present (L2121-17); a session convened again after
// one without quorum deliberates whatever the number.
func QuorumOf(x *Session, inOffice int) Quorum {
	q := Quorum{InOffice: inOffice, Needed: inOffice/2 + 1, SecondCall: x.SecondCall}
	for _, a := range x.Attendance {
		switch a.Status {
		case Present:
			q.Present++
		case Represented:
			q.Represented++
		}
	}
	q.Reached = q.Present >= q.Needed || x.SecondCall
	return q
}

// ItemSession returns the session of an agenda item, "" when none holds it.
func (s *Store) ItemSession(ctx context.Context, tenantID, itemID string) (string, error) {
	var id string
	err := s.DB().QueryRow(ctx, `SELECT session_id FROM council_items WHERE tenant_id = ? AND id = ?`, tenantID, itemID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, wrap("item session", err)
}
