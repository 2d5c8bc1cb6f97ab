package reports

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Radii of an area alert, in metres.
const (
	MinRadius = 100
	MaxRadius = 2000
)

// AreaAlert mails its address each new report within Radius metres of a
// point, of one category or any.
type AreaAlert struct {
	ID, TenantID, Email string
	Lat, Lon            float64
	Radius              int
	// CategoryID is "" for every category.
	CategoryID  string
	Lang        string
	CreatedAt   time.Time
	ConfirmedAt *time.Time
}

// checkAlert returns a's address cleaned, or French messages per field.
func (s *Store) checkAlert(ctx context.Context, tenantID string, a *AreaAlert) error {
	errs := map[string]string{}
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	if !plainAddress(a.Email) {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	checkPosition(errs, a.Lat, a.Lon)
	if a.Radius < MinRadius || a.Radius > MaxRadius {
		errs["radius"] = "Choisissez une distance entre 100 et 2 000 mètres."
	}
	if a.CategoryID != "" {
		c, err := s.Category(ctx, tenantID, a.CategoryID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if c == nil || !c.Active {
			errs["category"] = "Choisissez une catégorie de la liste."
		}
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// SubscribeArea records an area alert and mails the link that confirms
// it (double opt-in), whose token it returns: nothing else reaches the
// address until its owner follows it.
func (s *Store) SubscribeArea(ctx context.Context, tenantID string, a AreaAlert) (string, error) {
	if err := s.checkAlert(ctx, tenantID, &a); err != nil {
		return "", err
	}
	st, err := s.site(ctx, tenantID)
	if err != nil {
		return "", err
	}
	token, hash := publishing.NewLink()
	a.ID, a.TenantID, a.Lang, a.CreatedAt = uuid.NewString(), tenantID, publishing.MailLang(a.Lang), s.now()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO report_area_alerts (id, tenant_id, email, lat, lon, radius, category_id, lang,
			confirm_hash, unsubscribe_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, tenantID, a.Email,
			a.Lat, a.Lon, a.Radius, a.CategoryID, a.Lang, hash, publishing.NewUnsubscribeToken(), a.CreatedAt); err != nil {
			return err
		}
		return s.send(ctx, tx, tenantID, a.Email, "alert_confirm", a.Lang, map[string]any{
			"ConfirmURL": st.url + AlertConfirmPrefix + token, "Radius": a.Radius, "MapURL": OSMLink(a.Lat, a.Lon)})
	})
	if err != nil {
		return "", wrap("subscribe area", err)
	}
	return token, nil
}

// Errors of an area alert's confirmation link.
var (
	// ErrAlertLinkInvalid covers an unknown link, or one past its week.
	ErrAlertLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	// ErrAlertConfirmed is a link followed a second time.
	ErrAlertConfirmed = guichet.Errorf(guichet.EConflict, "Cette alerte est déjà confirmée.")
)

// areaAlerts is the double opt-in of area alerts.
var areaAlerts = publishing.OptIn{
	Table: "report_area_alerts", HashColumn: "confirm_hash", UnsubscribeColumn: "unsubscribe_token",
	Pending:    publishing.Cond{SQL: "confirmed_at IS NULL"},
	Confirm:    func(now time.Time) publishing.Cond { return publishing.Cond{SQL: "confirmed_at = ?", Args: []any{now}} },
	ErrInvalid: ErrAlertLinkInvalid, ErrConfirmed: ErrAlertConfirmed,
}

// AreaAlertByLink returns the alert of a confirmation link, confirmed or
// not, without changing it: its page shows what confirming does.
func (s *Store) AreaAlertByLink(ctx context.Context, tenantID, token string) (*AreaAlert, error) {
	link, err := areaAlerts.ByLink(ctx, s.db, tenantID, token, s.now())
	if err != nil {
		return nil, err
	}
	var a AreaAlert
	var confirmed sql.NullTime
	err = s.db.QueryRow(ctx, `SELECT id, tenant_id, email, lat, lon, radius, category_id, lang, created_at, confirmed_at
		FROM report_area_alerts WHERE tenant_id = ? AND id = ?`, tenantID, link.ID).Scan(&a.ID, &a.TenantID, &a.Email,
		&a.Lat, &a.Lon, &a.Radius, &a.CategoryID, &a.Lang, &a.CreatedAt, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrAlertLinkInvalid
	}
	a.ConfirmedAt = publishing.FromNull(confirmed)
	return &a, wrap("area alert", err)
}

// ConfirmAreaAlert starts the alert of a confirmation link; a second use
// is told it is already confirmed (ErrAlertConfirmed).
func (s *Store) ConfirmAreaAlert(ctx context.Context, tenantID, token string) error {
	return wrap("confirm area alert", areaAlerts.ConfirmLink(ctx, s.db, tenantID, token, s.now()))
}

// UnsubscribeArea ends the alert of an unsubscribe link; an unknown or
// used link is not an error (the alert is no more).
func (s *Store) UnsubscribeArea(ctx context.Context, tenantID, token string) error {
	return wrap("unsubscribe area", areaAlerts.Unsubscribe(ctx, s.db, tenantID, token))
}

// alertee is an area alert's address that a new report falls in.
type alertee struct{ email, lang, unsubscribe string }

// alertArea mails a newly confirmed report to the confirmed alerts whose
// circle holds it, of its category or any: one mail per address, none to
// its author.
func (s *Store) alertArea(ctx context.Context, tx *db.Tx, st site, r *Report, c *Category) error {
	list, err := alerteesOf(ctx, tx, r)
	if err != nil {
		return err
	}
	for _, a := range list {
		data := reportData(st, r, c)
		data["Description"], data["UnsubscribeURL"] = r.Description, st.url+AlertUnsubscribePrefix+a.unsubscribe
		if err := s.send(ctx, tx, r.TenantID, a.email, "area_alert", a.lang, data); err != nil {
			return err
		}
	}
	return nil
}

// alerteesOf reads the alerts in the band of latitudes the widest circle
// reaches, then keeps those whose circle holds the point.
func alerteesOf(ctx context.Context, q db.Querier, r *Report) ([]alertee, error) {
	band := MaxRadius / metresPerDegree
	seen := map[string]bool{r.Contact.Email: true}
	var out []alertee
	err := db.Each(ctx, q, `SELECT email, lang, unsubscribe_token, lat, lon, radius FROM report_area_alerts
		WHERE tenant_id = ? AND confirmed_at IS NOT NULL AND lat BETWEEN ? AND ? AND (category_id = '' OR category_id = ?)
		ORDER BY created_at, id`, func(row db.Row) error {
		var a alertee
		var lat, lon float64
		var radius int
		if err := row.Scan(&a.email, &a.lang, &a.unsubscribe, &lat, &lon, &radius); err != nil {
			return err
		}
		if !seen[a.email] && Distance(lat, lon, r.Lat, r.Lon) <= float64(radius) {
			seen[a.email] = true
			out = append(out, a)
		}
		return nil
	}, r.TenantID, r.Lat-band, r.Lat+band, r.CategoryID)
	return out, err
}
