package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Draft is a report as its author sends it.
type Draft struct {
	CategoryID           string
	Lat, Lon             float64
	Address, Description string
	Answers              Answers
	// Photos are uploads sent with the report (Open311); Staged are the
	// tokens of photos the form staged (StagePhoto), moved onto the
	// report when it is recorded. MaxPhotos in all.
	Photos  []PhotoUpload
	Staged  []string
	Contact Contact
	// AccountID is the signed-in author's account; with EmailVerified
	// (its address is proven) the report is confirmed at once.
	AccountID     string
	EmailVerified bool
	// APIKeyID is the Open311 client's key, checked by KeyByToken: its
	// holder answers for the report, confirmed at once.
	APIKeyID string
	// Lang is the language of the author's mails.
	Lang string
}

// trusted reports whether the draft needs no confirmation by mail.
func (d *Draft) trusted() bool { return d.APIKeyID != "" || d.AccountID != "" && d.EmailVerified }

var phoneRE = regexp.MustCompile(`^[0-9+() .-]{6,30}$`)

// check returns the report d describes in category c (nil when not one
// of the active ones), or French messages per field.
func (d *Draft) check(c *Category) (*Report, map[string]string) {
	errs := map[string]string{}
	r := &Report{CategoryID: d.CategoryID, Lat: d.Lat, Lon: d.Lon, Address: strings.TrimSpace(d.Address),
		Description: strings.TrimSpace(d.Description), AccountID: d.AccountID, Lang: publishing.MailLang(d.Lang),
		Source: SourceWeb, APIKeyID: d.APIKeyID, Status: New, Answers: Answers{}}
	if d.APIKeyID != "" {
		r.Source = SourceOpen311
	}
	if c == nil || !c.Active {
		errs["category"] = "Choisissez une catégorie de la liste."
	} else if answers, aerrs := c.CheckAnswers(d.Answers); aerrs != nil {
		mergeErrors(errs, aerrs)
	} else {
		r.Answers = answers
	}
	checkPosition(errs, d.Lat, d.Lon)
	publishing.CheckText(errs, "description", r.Description, 10, 5000,
		"Décrivez le problème en quelques mots (10 caractères au moins).", "La description dépasse 5 000 caractères.")
	publishing.CheckText(errs, "address", r.Address, 0, 300, "", "L'adresse dépasse 300 caractères.")
	r.Contact = d.checkContact(errs)
	checkPhotos(errs, d.Photos, len(d.Staged))
	return r, errs
}

func mergeErrors(into, from map[string]string) {
	for k, v := range from {
		if into[k] == "" {
			into[k] = v
		}
	}
}

// checkContact returns the author's contact, its address required of a
// guest.
func (d *Draft) checkContact(errs map[string]string) Contact {
	c := Contact{Name: strings.TrimSpace(d.Contact.Name), Email: strings.ToLower(strings.TrimSpace(d.Contact.Email)),
		Phone: strings.TrimSpace(d.Contact.Phone)}
	publishing.CheckText(errs, "name", c.Name, 0, 120, "", "Le nom dépasse 120 caractères.")
	switch {
	case c.Email == "" && !d.trusted():
		errs["email"] = "Indiquez votre adresse électronique : un lien vous y sera envoyé pour confirmer le signalement."
	case c.Email != "" && !plainAddress(c.Email):
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		errs["phone"] = "Indiquez un numéro de téléphone valide, par exemple 05 49 00 00 00."
	}
	return c
}

// Submit records a report. A guest's waits unconfirmed: the returned
// token is that of the link mailed to them to confirm it (Confirm). A
// signed-in author with a proven address, or an Open311 client, is
// trusted: the report is confirmed, routed and announced at once, and
// the token is empty. The reference is the next of the collectivité's
// year. Staged photos become the report's in its transaction; one the
// collectivité no longer has refuses the report on the "photos" field.
// A draft without a position (0, 0) takes the first staged photo's
// that has one.
func (s *Store) Submit(ctx context.Context, tenantID string, d Draft) (*Report, string, error) {
	c, err := s.Category(ctx, tenantID, d.CategoryID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, "", err
	}
	cutoff := s.now().Add(-StagedFor)
	d.Staged = distinct(d.Staged)
	var staged []stagedRow
	if len(d.Photos)+len(d.Staged) <= MaxPhotos { // more are refused unread
		if staged, err = s.stagedOf(ctx, tenantID, d.Staged, cutoff); err != nil {
			return nil, "", err
		}
	}
	d.positionFrom(staged)
	r, errs := d.check(c)
	if len(staged) < len(d.Staged) {
		mergeErrors(errs, errStagedGone().Fields)
	}
	if err := s.checkKey(ctx, tenantID, d.APIKeyID, errs); err != nil {
		return nil, "", err
	}
	if len(errs) > 0 {
		return nil, "", guichet.Invalid(errs)
	}
	st, err := s.site(ctx, tenantID)
	if err != nil {
		return nil, "", err
	}
	ps, err := s.putPhotos(ctx, tenantID, d.Photos)
	if err != nil {
		return nil, "", err
	}
	r.ID, r.TenantID = uuid.NewString(), tenantID
	token := ""
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		moved, err := claimStaged(ctx, tx, tenantID, d.Staged, cutoff)
		if err != nil {
			return err
		}
		token, err = s.insert(ctx, tx, st, r, c, append(moved, ps...), d.trusted())
		return err
	})
	if err != nil {
		s.removeFiles(ctx, keysOf(ps))
		return nil, "", wrap("submit", err)
	}
	return r, token, nil
}

// positionFrom places a draft without a position where the first of
// the staged photos that says where it was taken was.
func (d *Draft) positionFrom(staged []stagedRow) {
	if d.Lat != 0 || d.Lon != 0 {
		return
	}
	for _, p := range staged {
		if p.HasPosition {
			d.Lat, d.Lon = p.Lat, p.Lon
			return
		}
	}
}

// checkKey names the key when it is not one of the collectivité's live
// keys.
func (s *Store) checkKey(ctx context.Context, tenantID, keyID string, errs map[string]string) error {
	if keyID == "" {
		return nil
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM report_api_keys WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL`,
		tenantID, keyID).Scan(&n)
	if err == nil && n == 0 {
		errs["api_key"] = "Cette clé d'accès n'est pas valable."
	}
	return wrap("check key", err)
}

// insert writes the report with its reference and photos; a trusted one
// is confirmed, the others mailed their link, whose token it returns.
func (s *Store) insert(ctx context.Context, tx *db.Tx, st site, r *Report, c *Category, ps []Photo, trusted bool) (string, error) {
	now := s.now()
	ref, err := nextReference(ctx, tx, r.TenantID, now.In(st.loc).Year())
	if err != nil {
		return "", err
	}
	r.Reference, r.CreatedAt, r.UpdatedAt = ref, now, now
	token, hash := "", ""
	if trusted {
		r.ConfirmedAt = &now
	} else {
		token, hash = publishing.NewLink()
	}
	if err := insertReport(ctx, tx, r, hash); err != nil {
		return "", err
	}
	if err := insertPhotos(ctx, tx, r.TenantID, r.ID, ps, now); err != nil {
		return "", err
	}
	if trusted {
		return "", s.announce(ctx, tx, st, r, c)
	}
	return token, s.send(ctx, tx, r.TenantID, r.Contact.Email, "report_confirm", r.Lang, map[string]any{
		"Category": c.Name, "ConfirmURL": st.url + ConfirmPrefix + token})
}

// nextReference takes the next number of the collectivité's year: the
// counter's row is written and read in one statement, so two reports
// never share a number on either engine.
func nextReference(ctx context.Context, tx *db.Tx, tenantID string, year int) (string, error) {
	var last int
	err := tx.QueryRow(ctx, `INSERT INTO report_counters (tenant_id, year, last) VALUES (?, ?, 1)
		ON CONFLICT (tenant_id, year) DO UPDATE SET last = report_counters.last + 1 RETURNING last`, tenantID, year).Scan(&last)
	return fmt.Sprintf("SIG-%d-%06d", year, last), err
}

func insertReport(ctx context.Context, tx *db.Tx, r *Report, confirmHash string) error {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO reports (id, tenant_id, reference, category_id, lat, lon, address, description, answers,
		status, contact_name, contact_email, contact_phone, account_id, source, api_key_id, lang, confirm_hash, created_at,
		updated_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.TenantID, r.Reference, r.CategoryID, r.Lat, r.Lon, r.Address, r.Description, string(answers), r.Status,
		r.Contact.Name, r.Contact.Email, r.Contact.Phone, r.AccountID, r.Source, r.APIKeyID, r.Lang, confirmHash,
		r.CreatedAt, r.UpdatedAt, publishing.NullTime(r.ConfirmedAt))
	return err
}

// ReporterName is who the public history says acted when the author did.
const ReporterName = "l'auteur du signalement"

// announce does what follows a report's confirmation, in its
// transaction: the secret link of its author, the first line of its
// history, the contractor's mail, the author's acknowledgement and the
// area alerts around it.
func (s *Store) announce(ctx context.Context, tx *db.Tx, st site, r *Report, c *Category) error {
	manage, hash := publishing.NewLink()
	if _, err := tx.Exec(ctx, `UPDATE reports SET manage_hash = ? WHERE tenant_id = ? AND id = ?`, hash, r.TenantID, r.ID); err != nil {
		return err
	}
	if err := addUpdate(ctx, tx, r, Update{Status: New, By: ReporterName, At: *r.ConfirmedAt}); err != nil {
		return err
	}
	if err := s.route(ctx, tx, st, r, c); err != nil {
		return err
	}
	data := reportData(st, r, c)
	data["ManageURL"] = st.url + ManagePrefix + manage
	if err := s.send(ctx, tx, r.TenantID, r.Contact.Email, "report_received", r.Lang, data); err != nil {
		return err
	}
	return s.alertArea(ctx, tx, st, r, c)
}

// route mails the report to the category's contractor, if it has one,
// without its author's contact. Staff see it in their service's queue.
func (s *Store) route(ctx context.Context, tx *db.Tx, st site, r *Report, c *Category) error {
	if c.ContractorEmail == "" {
		return nil
	}
	ps, err := photos(ctx, tx, r.TenantID, r.ID)
	if err != nil {
		return err
	}
	urls := []string{}
	for _, p := range ps {
		urls = append(urls, st.url+p.Path())
	}
	data := reportData(st, r, c)
	for k, v := range map[string]any{"Description": r.Description, "Lat": degrees(r.Lat), "Lon": degrees(r.Lon),
		"MapURL": OSMLink(r.Lat, r.Lon), "Answers": answerLines(c, r.Answers), "PhotoURLs": urls,
		"ReportedAt": r.ConfirmedAt.In(st.loc).Format("02/01/2006 15:04")} {
		data[k] = v
	}
	return s.send(ctx, tx, r.TenantID, c.ContractorEmail, "report_contractor", "fr", data)
}

// Errors of a report's confirmation link.
var (
	// ErrLinkInvalid covers an unknown link, or one past its week.
	ErrLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	// ErrAlreadyConfirmed is a link followed a second time.
	ErrAlreadyConfirmed = guichet.Errorf(guichet.EConflict, "Ce signalement est déjà confirmé.")
)

// authors is the double opt-in of guests' reports.
var authors = publishing.OptIn{
	Table: "reports", HashColumn: "confirm_hash",
	Pending:    publishing.Cond{SQL: "confirmed_at IS NULL"},
	Confirm:    func(now time.Time) publishing.Cond { return publishing.Cond{SQL: "confirmed_at = ?", Args: []any{now}} },
	ErrInvalid: ErrLinkInvalid, ErrConfirmed: ErrAlreadyConfirmed,
}

// ReportByLink returns the report of a confirmation link, confirmed or
// not, without changing it: the link's page asks for a click first,
// since mail scanners open links.
func (s *Store) ReportByLink(ctx context.Context, tenantID, token string) (*Report, error) {
	link, err := authors.ByLink(ctx, s.db, tenantID, token, s.now())
	if err != nil {
		return nil, err
	}
	r, err := s.Report(ctx, tenantID, link.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrLinkInvalid
	}
	return r, err
}

// Confirm confirms the report of a link once its author pressed the
// button, then, in the same transaction, routes and announces it. A
// second use is told the report is already confirmed.
func (s *Store) Confirm(ctx context.Context, tenantID, token string) (*Report, error) {
	st, err := s.site(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var r *Report
	now := s.now()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		link, err := authors.ByLink(ctx, tx, tenantID, token, now)
		if err != nil {
			return err
		}
		if err := authors.ConfirmLink(ctx, tx, tenantID, token, now); err != nil {
			return err
		}
		if r, err = reportQ(ctx, tx, tenantID, link.ID); err != nil {
			return err
		}
		c, err := categoryQ(ctx, tx, tenantID, r.CategoryID)
		if err != nil {
			return err
		}
		return s.announce(ctx, tx, st, r, c)
	})
	return r, wrap("confirm", err)
}
