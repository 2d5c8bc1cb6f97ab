package queue

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tokens"
	"guichet/internal/publishing"
)

// Store keeps the sites, their services, counters, kiosks and tickets.
// Every query filters by tenant_id.
type Store struct {
	db  *db.DB
	Now clock.Clock
	// Live, when set, hears every change of a site's queue.
	Live *live.Hub
	// Mail, when set, tells remote tickets that their turn is near.
	Mail mail.Enqueuer
	// SiteURL gives the address in those mails.
	SiteURL   SiteURL
	kioskKey  [32]byte
	ticketKey [32]byte
}

// NewStore returns a store whose addresses of kiosks and tickets are
// signed with keys derived from secretKey.
func NewStore(d *db.DB, secretKey string) *Store {
	return &Store{db: d, Now: clock.System,
		kioskKey: tokens.Key("queue-kiosk", secretKey), ticketKey: tokens.Key("queue-ticket", secretKey)}
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return clock.Or(s.Now)().UTC() }

// mac signs what with key, URL-safe and short (128 bits).
func mac(key [32]byte, what string) string {
	h := hmac.New(sha256.New, key[:])
	h.Write([]byte(what))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// signedID returns id.mac; checkSigned returns id when handle is one.
func signedID(key [32]byte, id, extra string) string { return id + "." + mac(key, id+"/"+extra) }

func splitSigned(handle string) (id, sig string, ok bool) {
	id, sig, ok = strings.Cut(handle, ".")
	return id, sig, ok && id != "" && sig != "" && len(handle) < 200
}

// KioskHandle is the secret part of a kiosk's address: the device opens
// /borne/<handle>. Renewing the kiosk revokes it.
func (s *Store) KioskHandle(k *Kiosk) string {
	return signedID(s.kioskKey, k.ID, strconv.Itoa(k.Generation))
}

// TicketHandle is the secret part of a ticket's address (/ticket/<handle>),
// printed as a QR code and given to the phone that took it.
func (s *Store) TicketHandle(t *Ticket) string { return signedID(s.ticketKey, t.ID, t.TenantID) }

// KioskByHandle returns the kiosk a handle names, and notes that it was
// seen (at most once a minute).
func (s *Store) KioskByHandle(ctx context.Context, tenantID, handle string) (*Kiosk, error) {
	id, sig, ok := splitSigned(handle)
	if !ok {
		return nil, ErrNotFound
	}
	k, err := s.Kiosk(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(sig), []byte(mac(s.kioskKey, k.ID+"/"+strconv.Itoa(k.Generation)))) {
		return nil, ErrNotFound
	}
	now := s.now()
	if k.SeenAt == nil || now.Sub(*k.SeenAt) > time.Minute {
		if _, err := s.db.Exec(ctx, `UPDATE queue_kiosks SET seen_at = ? WHERE tenant_id = ? AND id = ?`, now, tenantID, k.ID); err != nil {
			return nil, fmt.Errorf("queue: kiosk seen: %w", err)
		}
	}
	return k, nil
}

// TicketByHandle returns the ticket a handle names.
func (s *Store) TicketByHandle(ctx context.Context, tenantID, handle string) (*Ticket, error) {
	id, sig, ok := splitSigned(handle)
	if !ok || !hmac.Equal([]byte(sig), []byte(mac(s.ticketKey, id+"/"+tenantID))) {
		return nil, ErrTicketNotFound
	}
	t, err := s.Ticket(ctx, tenantID, id)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrTicketNotFound
	}
	return t, err
}

// SiteInput is what an administrator sets on a site.
type SiteInput struct {
	Name, Slug, Address, Hours, Information string
	PriorityAllowed                         bool
	NearTurn                                int
}

func (in *SiteInput) check() error {
	errs := map[string]string{}
	in.Name, in.Slug = strings.TrimSpace(in.Name), slugOf(in.Slug, in.Name)
	if in.Name == "" || len(in.Name) > 120 {
		errs["name"] = "Indiquez le nom du site (120 caractères au plus)."
	}
	if in.Slug == "" {
		errs["slug"] = "Indiquez une adresse courte faite de lettres, de chiffres et de tirets."
	}
	if len(in.Address) > 300 || len(in.Hours) > 1000 || len(in.Information) > 4000 {
		errs["information"] = "Texte trop long."
	}
	if in.NearTurn < 1 || in.NearTurn > 20 {
		errs["near_turn"] = "Indiquez un nombre de personnes entre 1 et 20."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// slugOf returns the address a site asked for, or its name's.
func slugOf(slug, name string) string {
	if strings.TrimSpace(slug) == "" {
		slug = name
	}
	return publishing.Slugify(slug)
}

// CreateSite adds a site.
func (s *Store) CreateSite(ctx context.Context, tenantID string, in SiteInput) (*Site, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	site := &Site{ID: uuid.NewString(), TenantID: tenantID, Slug: in.Slug, Name: in.Name, Address: in.Address,
		Hours: in.Hours, Information: in.Information, PriorityAllowed: in.PriorityAllowed, NearTurn: in.NearTurn, CreatedAt: s.now()}
	_, err := s.db.Exec(ctx, `INSERT INTO queue_sites (id, tenant_id, slug, name, address, hours, information, priority_allowed, near_turn, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, site.ID, tenantID, site.Slug, site.Name, site.Address, site.Hours, site.Information,
		site.PriorityAllowed, site.NearTurn, site.CreatedAt)
	if db.IsUniqueViolation(err) {
		return nil, guichet.Invalid(map[string]string{"slug": "Un autre site porte déjà cette adresse courte."})
	}
	if err != nil {
		return nil, fmt.Errorf("queue: create site: %w", err)
	}
	return site, nil
}

// UpdateSite changes a site's settings (not its address).
func (s *Store) UpdateSite(ctx context.Context, site *Site, in SiteInput) error {
	in.Slug = site.Slug
	if err := in.check(); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `UPDATE queue_sites SET name = ?, address = ?, hours = ?, information = ?, priority_allowed = ?, near_turn = ?
		WHERE tenant_id = ? AND id = ?`, in.Name, in.Address, in.Hours, in.Information, in.PriorityAllowed, in.NearTurn, site.TenantID, site.ID)
	if err != nil {
		return fmt.Errorf("queue: update site: %w", err)
	}
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return nil
}

const siteColumns = `id, tenant_id, slug, name, address, hours, information, priority_allowed, near_turn, created_at`

func scanSite(row interface{ Scan(...any) error }) (*Site, error) {
	var x Site
	err := row.Scan(&x.ID, &x.TenantID, &x.Slug, &x.Name, &x.Address, &x.Hours, &x.Information, &x.PriorityAllowed, &x.NearTurn, &x.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &x, err
}

// Sites returns a collectivité's sites with their services and counters.
func (s *Store) Sites(ctx context.Context, tenantID string) ([]*Site, error) {
	rows, err := s.db.Query(ctx, `SELECT `+siteColumns+` FROM queue_sites WHERE tenant_id = ? ORDER BY name`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("queue: sites: %w", err)
	}
	var out []*Site
	for rows.Next() {
		x, err := scanSite(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, x := range out {
		if err := s.fill(ctx, x); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Site returns a site by id or slug, with its services and counters.
func (s *Store) Site(ctx context.Context, tenantID, key string) (*Site, error) {
	x, err := scanSite(s.db.QueryRow(ctx, `SELECT `+siteColumns+` FROM queue_sites WHERE tenant_id = ? AND (id = ? OR slug = ?)`,
		tenantID, key, key))
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("queue: site: %w", err)
	}
	return x, s.fill(ctx, x)
}

func (s *Store) fill(ctx context.Context, x *Site) error {
	rows, err := s.db.Query(ctx, `SELECT id, letter, name, name_en, description, pictogram, appointment_service, average_seconds, position
		FROM queue_services WHERE tenant_id = ? AND site_id = ? ORDER BY position, letter`, x.TenantID, x.ID)
	if err != nil {
		return fmt.Errorf("queue: services: %w", err)
	}
	x.Services = nil
	for rows.Next() {
		v := Service{TenantID: x.TenantID, SiteID: x.ID}
		var avg int
		if err := rows.Scan(&v.ID, &v.Letter, &v.Name, &v.NameEn, &v.Description, &v.Pictogram, &v.AppointmentService, &avg, &v.Position); err != nil {
			rows.Close()
			return err
		}
		v.Average = time.Duration(avg) * time.Second
		x.Services = append(x.Services, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.db.Query(ctx, `SELECT id, name, state, agent_id, agent_name, services, position, changed_at
		FROM queue_counters WHERE tenant_id = ? AND site_id = ? ORDER BY position, name`, x.TenantID, x.ID)
	if err != nil {
		return fmt.Errorf("queue: counters: %w", err)
	}
	defer rows.Close()
	x.Counters = nil
	for rows.Next() {
		c := Counter{TenantID: x.TenantID, SiteID: x.ID}
		var services string
		if err := rows.Scan(&c.ID, &c.Name, &c.State, &c.AgentID, &c.AgentName, &services, &c.Position, &c.ChangedAt); err != nil {
			return err
		}
		if services != "" {
			c.Services = strings.Split(services, ",")
		}
		x.Counters = append(x.Counters, c)
	}
	return rows.Err()
}

// ServiceInput is what an administrator sets on a service.
type ServiceInput struct {
	Letter, Name, NameEn, Description, Pictogram, AppointmentService string
	Minutes                                                          int // the first estimate of a visit
}

func (in *ServiceInput) check() error {
	errs := map[string]string{}
	in.Letter, in.Name = normalLetter(in.Letter), strings.TrimSpace(in.Name)
	if in.Letter == "" {
		errs["letter"] = "Indiquez une ou deux lettres, qui commencent les numéros des tickets."
	}
	if in.Name == "" || len(in.Name) > 80 || len(in.NameEn) > 80 || len(in.Description) > 300 {
		errs["name"] = "Indiquez le nom du service (80 caractères au plus)."
	}
	if in.Pictogram == "" {
		in.Pictogram = "info"
	}
	if !slices.Contains(Pictograms, in.Pictogram) {
		errs["pictogram"] = "Choisissez un pictogramme de la liste."
	}
	if in.Minutes < 1 || in.Minutes > 120 {
		errs["minutes"] = "Indiquez une durée de 1 à 120 minutes."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// AddService adds a service to a site.
func (s *Store) AddService(ctx context.Context, site *Site, in ServiceInput) (*Service, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	v := &Service{ID: uuid.NewString(), TenantID: site.TenantID, SiteID: site.ID, Letter: in.Letter, Name: in.Name, NameEn: in.NameEn,
		Description: in.Description, Pictogram: in.Pictogram, AppointmentService: in.AppointmentService,
		Average: time.Duration(in.Minutes) * time.Minute, Position: len(site.Services)}
	_, err := s.db.Exec(ctx, `INSERT INTO queue_services (id, tenant_id, site_id, letter, name, name_en, description, pictogram,
		appointment_service, average_seconds, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.TenantID, v.SiteID, v.Letter, v.Name, v.NameEn, v.Description, v.Pictogram, v.AppointmentService, int(v.Average/time.Second), v.Position)
	if db.IsUniqueViolation(err) {
		return nil, guichet.Invalid(map[string]string{"letter": "Un autre service de ce site a déjà cette lettre."})
	}
	if err != nil {
		return nil, fmt.Errorf("queue: add service: %w", err)
	}
	site.Services = append(site.Services, *v)
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return v, nil
}

// AddCounter adds a counter to a site, closed.
func (s *Store) AddCounter(ctx context.Context, site *Site, name string) (*Counter, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 40 {
		return nil, guichet.Invalid(map[string]string{"counter": "Indiquez le nom du guichet (40 caractères au plus) : « Guichet 3 »."})
	}
	c := &Counter{ID: uuid.NewString(), TenantID: site.TenantID, SiteID: site.ID, Name: name, State: Closed,
		Position: len(site.Counters), ChangedAt: s.now()}
	if _, err := s.db.Exec(ctx, `INSERT INTO queue_counters (id, tenant_id, site_id, name, state, position, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.TenantID, c.SiteID, c.Name, c.State, c.Position, c.ChangedAt); err != nil {
		return nil, fmt.Errorf("queue: add counter: %w", err)
	}
	site.Counters = append(site.Counters, *c)
	return c, nil
}

// Idle bounds of a kiosk's inactivity delay.
const (
	MinIdle = 20 * time.Second
	MaxIdle = 10 * time.Minute
)

// AddKiosk registers a kiosk for a site.
func (s *Store) AddKiosk(ctx context.Context, site *Site, name string, idle time.Duration) (*Kiosk, error) {
	name = strings.TrimSpace(name)
	errs := map[string]string{}
	if name == "" || len(name) > 60 {
		errs["kiosk"] = "Indiquez le nom de la borne (60 caractères au plus) : « Borne du hall »."
	}
	if idle < MinIdle || idle > MaxIdle {
		errs["idle"] = "Indiquez un délai d'inactivité de 20 à 600 secondes."
	}
	if len(errs) > 0 {
		return nil, guichet.Invalid(errs)
	}
	k := &Kiosk{ID: uuid.NewString(), TenantID: site.TenantID, SiteID: site.ID, Name: name, Generation: 1, Idle: idle, CreatedAt: s.now()}
	if _, err := s.db.Exec(ctx, `INSERT INTO queue_kiosks (id, tenant_id, site_id, name, generation, idle_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.TenantID, k.SiteID, k.Name, k.Generation, int(idle/time.Second), k.CreatedAt); err != nil {
		return nil, fmt.Errorf("queue: add kiosk: %w", err)
	}
	return k, nil
}

// RenewKiosk revokes a kiosk's address and gives it a new one.
func (s *Store) RenewKiosk(ctx context.Context, tenantID, id string) (*Kiosk, error) {
	res, err := s.db.Exec(ctx, `UPDATE queue_kiosks SET generation = generation + 1 WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return nil, fmt.Errorf("queue: renew kiosk: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNotFound
	}
	return s.Kiosk(ctx, tenantID, id)
}

// RemoveKiosk deletes a kiosk: its address stops working.
func (s *Store) RemoveKiosk(ctx context.Context, tenantID, id string) error {
	res, err := s.db.Exec(ctx, `DELETE FROM queue_kiosks WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return fmt.Errorf("queue: remove kiosk: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

const kioskColumns = `id, tenant_id, site_id, name, generation, idle_seconds, created_at, seen_at`

func scanKiosk(row interface{ Scan(...any) error }) (*Kiosk, error) {
	var k Kiosk
	var idle int
	var seen sql.NullTime
	err := row.Scan(&k.ID, &k.TenantID, &k.SiteID, &k.Name, &k.Generation, &idle, &k.CreatedAt, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	k.Idle = time.Duration(idle) * time.Second
	if seen.Valid {
		k.SeenAt = &seen.Time
	}
	return &k, nil
}

// Kiosk returns a kiosk by id.
func (s *Store) Kiosk(ctx context.Context, tenantID, id string) (*Kiosk, error) {
	return scanKiosk(s.db.QueryRow(ctx, `SELECT `+kioskColumns+` FROM queue_kiosks WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Kiosks returns a collectivité's kiosks.
func (s *Store) Kiosks(ctx context.Context, tenantID string) ([]*Kiosk, error) {
	rows, err := s.db.Query(ctx, `SELECT `+kioskColumns+` FROM queue_kiosks WHERE tenant_id = ? ORDER BY name`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("queue: kiosks: %w", err)
	}
	defer rows.Close()
	var out []*Kiosk
	for rows.Next() {
		k, err := scanKiosk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
