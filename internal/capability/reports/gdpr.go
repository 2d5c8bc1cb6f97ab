package reports

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Retention of the reports' personal data, in days.
var (
	// UnconfirmedDays: a report, a follow or an area alert whose link was
	// never followed goes once the link has expired.
	UnconfirmedDays = int(publishing.ConfirmWithin / (24 * time.Hour))
)

// ContactDays: this many days after a report was fixed, closed or marked
// a duplicate, it loses its author's name, address, phone and account,
// and its followers go; the report itself stays public.
const ContactDays = 365

// exportedReport is what a person's data export shows of their report.
type exportedReport struct {
	Reference   string     `json:"reference"`
	Category    string     `json:"category"`
	Lat         float64    `json:"lat"`
	Lon         float64    `json:"lon"`
	Address     string     `json:"address,omitempty"`
	Description string     `json:"description"`
	Answers     Answers    `json:"answers,omitempty"`
	Name        string     `json:"name,omitempty"`
	Email       string     `json:"email,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	Status      Status     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// exportedFollow is one report the person follows.
type exportedFollow struct {
	Reference   string     `json:"reference"`
	Email       string     `json:"email"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// exportedAlert is one of their area alerts.
type exportedAlert struct {
	Email       string     `json:"email"`
	Lat         float64    `json:"lat"`
	Lon         float64    `json:"lon"`
	Radius      int        `json:"radius_metres"`
	Category    string     `json:"category,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// exported is the whole of a person's export here.
type exported struct {
	Reports    []exportedReport `json:"reports"`
	Follows    []exportedFollow `json:"follows"`
	AreaAlerts []exportedAlert  `json:"area_alerts"`
}

// Export returns the reports the person made, those they follow and
// their area alerts, by account or proven address (RGPD right of access
// and portability). Staged photos are not among them, nor does Erase
// touch them: they carry no account nor address, so nothing ties them
// to a person, and they go unused after StagedFor (PurgeStaged); those
// sent with a report are its photos, and follow it.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := exported{Reports: []exportedReport{}, Follows: []exportedFollow{}, AreaAlerts: []exportedAlert{}}
	names, err := s.categoryNames(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	for _, step := range []func() error{
		func() error { return s.exportReports(ctx, p, names, &out.Reports) },
		func() error { return s.exportFollows(ctx, p, &out.Follows) },
		func() error { return s.exportAlerts(ctx, p, names, &out.AreaAlerts) },
	} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("reports: export: %w", err)
		}
	}
	return out, nil
}

func (s *Store) categoryNames(ctx context.Context, tenantID string) (map[string]string, error) {
	cats, err := s.Categories(ctx, tenantID)
	names := map[string]string{}
	for _, c := range cats {
		names[c.ID] = c.Name
	}
	return names, err
}

func (s *Store) exportReports(ctx context.Context, p account.Person, names map[string]string, out *[]exportedReport) error {
	where, args := p.Match("account_id", "contact_email")
	return db.Each(ctx, s.db, `SELECT `+reportCols+` FROM reports WHERE tenant_id = ? AND `+where+` ORDER BY created_at, id`,
		func(row db.Row) error {
			r, err := scanReport(row)
			if err != nil {
				return err
			}
			*out = append(*out, exportedReport{Reference: r.Reference, Category: names[r.CategoryID], Lat: r.Lat, Lon: r.Lon,
				Address: r.Address, Description: r.Description, Answers: r.Answers, Name: r.Contact.Name,
				Email: r.Contact.Email, Phone: r.Contact.Phone, Status: r.Status, CreatedAt: r.CreatedAt, ConfirmedAt: r.ConfirmedAt})
			return nil
		}, append([]any{p.TenantID}, args...)...)
}

func (s *Store) exportFollows(ctx context.Context, p account.Person, out *[]exportedFollow) error {
	where, args := p.Match("f.account_id", "f.email")
	return db.Each(ctx, s.db, `SELECT r.reference, f.email, f.created_at, f.confirmed_at FROM report_followers f
		JOIN reports r ON r.id = f.report_id AND r.tenant_id = f.tenant_id WHERE f.tenant_id = ? AND `+where+`
		ORDER BY f.created_at, f.id`, func(row db.Row) error {
		var e exportedFollow
		var confirmed sql.NullTime
		err := row.Scan(&e.Reference, &e.Email, &e.CreatedAt, &confirmed)
		e.ConfirmedAt = publishing.FromNull(confirmed)
		*out = append(*out, e)
		return err
	}, append([]any{p.TenantID}, args...)...)
}

func (s *Store) exportAlerts(ctx context.Context, p account.Person, names map[string]string, out *[]exportedAlert) error {
	where, args := p.Match("", "email")
	return db.Each(ctx, s.db, `SELECT email, lat, lon, radius, category_id, created_at, confirmed_at FROM report_area_alerts
		WHERE tenant_id = ? AND `+where+` ORDER BY created_at, id`, func(row db.Row) error {
		var e exportedAlert
		var category string
		var confirmed sql.NullTime
		err := row.Scan(&e.Email, &e.Lat, &e.Lon, &e.Radius, &category, &e.CreatedAt, &confirmed)
		e.Category, e.ConfirmedAt = names[category], publishing.FromNull(confirmed)
		*out = append(*out, e)
		return err
	}, append([]any{p.TenantID}, args...)...)
}

// Erase carries out a person's erasure, in one transaction: the reports
// they made stay public, since they tell of the public space and not of
// them, but lose their name, address, phone, account and secret link;
// those never confirmed go with their photos; their follows and area
// alerts are deleted. The web layer registers it as the capability's
// account.Eraser, with the message that says so.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	var keys []string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		rw, rargs := p.Match("r.account_id", "r.contact_email")
		var err error
		if keys, _, err = dropReports(ctx, tx, `r.tenant_id = ? AND r.confirmed_at IS NULL AND `+rw,
			append([]any{p.TenantID}, rargs...)...); err != nil {
			return err
		}
		where, args := p.Match("account_id", "contact_email")
		if _, err := tx.Exec(ctx, `UPDATE reports SET `+anonymous+` WHERE tenant_id = ? AND `+where,
			append([]any{p.TenantID}, args...)...); err != nil {
			return err
		}
		fw, fargs := p.Match("account_id", "email")
		if _, err := tx.Exec(ctx, `DELETE FROM report_followers WHERE tenant_id = ? AND `+fw, append([]any{p.TenantID}, fargs...)...); err != nil {
			return err
		}
		aw, aargs := p.Match("", "email")
		_, err = tx.Exec(ctx, `DELETE FROM report_area_alerts WHERE tenant_id = ? AND `+aw, append([]any{p.TenantID}, aargs...)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("reports: erase: %w", err)
	}
	s.removeFiles(ctx, keys)
	return nil
}

// anonymous is what a report keeps of its author: nothing.
const anonymous = `contact_name = '', contact_email = '', contact_phone = '', account_id = '', manage_hash = '', confirm_hash = ''`

// dropReports deletes the reports matching where (on alias r), their
// history, photos and follows with them (ON DELETE CASCADE), and
// returns their photos' and thumbnails' keys, to delete once committed,
// and how many reports went.
func dropReports(ctx context.Context, tx *db.Tx, where string, args ...any) ([]string, int64, error) {
	var keys []string
	if err := db.Each(ctx, tx, `SELECT p.file_key, p.thumb_key FROM report_photos p JOIN reports r ON r.id = p.report_id
		WHERE `+where, func(row db.Row) error {
		var k, thumb string
		err := row.Scan(&k, &thumb)
		keys = append(keys, k)
		if thumb != "" {
			keys = append(keys, thumb)
		}
		return err
	}, args...); err != nil {
		return nil, 0, err
	}
	n, err := db.Affected(ctx, tx, `DELETE FROM reports WHERE id IN (SELECT r.id FROM reports r WHERE `+where+`)`, args...)
	return keys, n, err
}
