package reports

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
	"guichet/internal/publishing"
)

// Change is what an agent does to a report: a new status, a note for the
// public, or both.
type Change struct {
	// Status is the new status; "" (or the current one) adds a note only.
	Status     Status
	PublicNote string
	// DuplicateOf is the original (its id or reference) when Status is
	// Duplicate.
	DuplicateOf string
	// By is the agent's display name, shown in the history.
	By string
	// Seen, when set, is how many lines the report's history had when
	// the agent read it (len(Detail.Updates)): a report changed since,
	// by another status or a note, is ErrChanged.
	Seen *int
}

// ErrChanged is a change made on a report that moved meanwhile.
var ErrChanged = guichet.Errorf(guichet.EConflict, "Ce signalement vient d'être modifié : rechargez la page.")

// Change applies ch to a confirmed report, records it in the public
// history and mails the author and the followers, all in one
// transaction.
func (s *Store) Change(ctx context.Context, tenantID, reportID string, ch Change) (*Report, error) {
	ch.PublicNote, ch.By = strings.TrimSpace(ch.PublicNote), strings.TrimSpace(ch.By)
	st, err := s.site(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var r *Report
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if r, err = confirmedQ(ctx, tx, tenantID, reportID); err != nil {
			return err
		}
		u, err := s.applyChange(ctx, tx, r, ch)
		if err != nil {
			return err
		}
		return s.tell(ctx, tx, st, r, u, true)
	})
	return r, wrap("change", err)
}

// confirmedQ returns a confirmed report: an unconfirmed one is no one's
// business but its author's.
func confirmedQ(ctx context.Context, q db.Querier, tenantID, id string) (*Report, error) {
	r, err := reportQ(ctx, q, tenantID, id)
	if err == nil && !r.Confirmed() {
		return nil, ErrNotFound
	}
	return r, err
}

// checkChange returns the status ch leads to, or why it may not.
func checkChange(r *Report, ch Change) (Status, error) {
	errs := map[string]string{}
	publishing.CheckText(errs, "by", ch.By, 1, 120, "Indiquez le nom affiché de l'agent.", "Le nom affiché dépasse 120 caractères.")
	publishing.CheckText(errs, "public_note", ch.PublicNote, 0, 2000, "", "La note dépasse 2 000 caractères.")
	to := ch.Status
	if to == "" || to == r.Status {
		to = r.Status
		publishing.CheckText(errs, "public_note", ch.PublicNote, 1, 2000, "Écrivez la note à publier, ou choisissez un nouvel état.", "")
	} else if !to.Valid() {
		errs["status"] = "Choisissez un état de la liste."
	}
	if len(errs) > 0 {
		return "", guichet.Invalid(errs)
	}
	if to != r.Status && !r.Status.CanMoveTo(to) {
		return "", guichet.Errorf(guichet.EConflict, "Un signalement « %s » ne peut pas passer à « %s ».", r.Status.Label(), to.Label())
	}
	return to, nil
}

// applyChange writes ch on r and its history line, and returns that line.
func (s *Store) applyChange(ctx context.Context, tx *db.Tx, r *Report, ch Change) (Update, error) {
	if ch.Seen != nil {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM report_updates WHERE tenant_id = ? AND report_id = ?`,
			r.TenantID, r.ID).Scan(&n); err != nil {
			return Update{}, err
		}
		if n != *ch.Seen {
			return Update{}, ErrChanged
		}
	}
	to, err := checkChange(r, ch)
	if err != nil {
		return Update{}, err
	}
	if to == Duplicate && to != r.Status {
		if r.DuplicateOf, err = originalOf(ctx, tx, r, ch.DuplicateOf); err != nil {
			return Update{}, err
		}
	}
	from, was, now := r.Status, r.UpdatedAt, s.now()
	r.move(to, now)
	r.PublicNote = ch.PublicNote
	if err := saveStatus(ctx, tx, r, from, was); err != nil {
		return Update{}, err
	}
	u := Update{Status: to, Note: ch.PublicNote, By: ch.By, At: now}
	return u, addUpdate(ctx, tx, r, u)
}

// move sets r's status to and the times that go with it.
func (r *Report) move(to Status, now time.Time) {
	if to == r.Status {
		r.UpdatedAt = now
		return
	}
	if r.AcknowledgedAt == nil && to != New {
		r.AcknowledgedAt = &now
	}
	switch to {
	case Fixed:
		r.FixedAt, r.ResolvedAt = &now, &now
	case Closed, Duplicate:
		r.ClosedAt, r.ResolvedAt = &now, &now
	}
	r.Status, r.UpdatedAt = to, now
}

// saveStatus writes r's status and times if it still has status from
// and was last updated at was: a change committed meanwhile by another
// transaction makes it ErrChanged.
func saveStatus(ctx context.Context, tx *db.Tx, r *Report, from Status, was time.Time) error {
	n, err := db.Affected(ctx, tx, `UPDATE reports SET status = ?, public_note = ?, duplicate_of = ?, updated_at = ?,
		acknowledged_at = ?, fixed_at = ?, closed_at = ?, resolved_at = ? WHERE tenant_id = ? AND id = ? AND status = ?
		AND updated_at = ?`,
		r.Status, r.PublicNote, r.DuplicateOf, r.UpdatedAt, publishing.NullTime(r.AcknowledgedAt),
		publishing.NullTime(r.FixedAt), publishing.NullTime(r.ClosedAt), publishing.NullTime(r.ResolvedAt),
		r.TenantID, r.ID, from, was)
	if err == nil && n == 0 {
		return ErrChanged
	}
	return err
}

// errNoOriginal names the duplicate's field.
var errNoOriginal = guichet.Invalid(map[string]string{"duplicate_of": "Indiquez un autre signalement ouvert de la collectivité (sa référence, par exemple SIG-2026-000123)."})

// originalOf returns the id of the report r repeats, named by its id or
// reference: another confirmed, open report of the collectivité.
func originalOf(ctx context.Context, q db.Querier, r *Report, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	col := "id"
	if strings.HasPrefix(strings.ToUpper(ref), "SIG-") {
		col, ref = "reference", strings.ToUpper(ref)
	}
	o, err := scanReport(q.QueryRow(ctx, `SELECT `+reportCols+` FROM reports WHERE tenant_id = ? AND `+col+` = ?`, r.TenantID, ref))
	if errors.Is(err, ErrNotFound) || err == nil && (o.ID == r.ID || !o.Confirmed() || !o.Status.Open()) {
		return "", errNoOriginal
	}
	if err != nil {
		return "", err
	}
	return o.ID, nil
}

// Proof is how the author of a report proves it is theirs: their
// account, or the secret link mailed to them when it was confirmed.
type Proof struct{ AccountID, Token string }

// ErrNotAuthor is a reopening by someone who did not prove they
// reported.
var ErrNotAuthor = guichet.Errorf(guichet.EForbidden, "Seul l'auteur du signalement peut le rouvrir.")

// proves reports whether p proves authorship of a report with account
// accountID and secret link hash manageHash.
func (p Proof) proves(accountID, manageHash string) bool {
	if p.AccountID != "" && p.AccountID == accountID {
		return true
	}
	return p.Token != "" && manageHash != "" && subtle.ConstantTimeCompare([]byte(tokens.Hash(p.Token)), []byte(manageHash)) == 1
}

// Reopen sends a fixed or closed report back to ReopenedTo when its
// author says, within ReopenWithin, that the problem is still there;
// their reason is published in the history and mailed to the followers.
func (s *Store) Reopen(ctx context.Context, tenantID, reportID, reason string, p Proof) (*Report, error) {
	reason = strings.TrimSpace(reason)
	errs := map[string]string{}
	publishing.CheckText(errs, "reason", reason, 5, 2000, "Dites en quelques mots pourquoi le problème n'est pas réglé.",
		"La raison dépasse 2 000 caractères.")
	if len(errs) > 0 {
		return nil, guichet.Invalid(errs)
	}
	st, err := s.site(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var r *Report
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if r, err = s.reopenable(ctx, tx, tenantID, reportID, p); err != nil {
			return err
		}
		u, err := s.reopen(ctx, tx, r, reason)
		if err != nil {
			return err
		}
		return s.tell(ctx, tx, st, r, u, false)
	})
	return r, wrap("reopen", err)
}

// reopenable returns the report if p proves its author and it may be
// reopened now.
func (s *Store) reopenable(ctx context.Context, q db.Querier, tenantID, reportID string, p Proof) (*Report, error) {
	r, err := confirmedQ(ctx, q, tenantID, reportID)
	if err != nil {
		return nil, err
	}
	var hash string
	if err := q.QueryRow(ctx, `SELECT manage_hash FROM reports WHERE tenant_id = ? AND id = ?`, tenantID, reportID).Scan(&hash); err != nil {
		return nil, err
	}
	if !p.proves(r.AccountID, hash) {
		return nil, ErrNotAuthor
	}
	switch {
	case r.Status == Duplicate:
		return nil, guichet.Errorf(guichet.EConflict, "Un doublon ne se rouvre pas : suivez le signalement d'origine.")
	case r.Status.Open():
		return nil, guichet.Errorf(guichet.EConflict, "Ce signalement est encore ouvert.")
	case !Reopenable(r.Status, r.ResolvedAt, s.now()):
		return nil, guichet.Errorf(guichet.EConflict, "Ce signalement a été réglé il y a plus de %d jours : faites un nouveau signalement.",
			int(ReopenWithin/(24*time.Hour)))
	}
	return r, nil
}

// reopen writes the reopening and its history line.
func (s *Store) reopen(ctx context.Context, tx *db.Tx, r *Report, reason string) (Update, error) {
	from, was, now := r.Status, r.UpdatedAt, s.now()
	r.Status, r.PublicNote, r.UpdatedAt = ReopenedTo, reason, now
	r.FixedAt, r.ClosedAt, r.ResolvedAt = nil, nil, nil
	if err := saveStatus(ctx, tx, r, from, was); err != nil {
		return Update{}, err
	}
	u := Update{Status: ReopenedTo, Note: reason, By: ReporterName, At: now}
	return u, addUpdate(ctx, tx, r, u)
}

// ErrManageLinkInvalid is an unknown secret link, or one whose report
// lost its author's details.
var ErrManageLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de suivi n'est plus valable.")

// ReportByManageLink returns the report of its author's secret link,
// with its contact: the page where they follow and reopen it.
func (s *Store) ReportByManageLink(ctx context.Context, tenantID, token string) (*Report, error) {
	if token == "" {
		return nil, ErrManageLinkInvalid
	}
	r, err := scanReport(s.db.QueryRow(ctx, `SELECT `+reportCols+` FROM reports WHERE tenant_id = ? AND manage_hash = ?`,
		tenantID, tokens.Hash(token)))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrManageLinkInvalid
	}
	return r, wrap("report by manage link", err)
}

// tell mails a history line to the author (unless they wrote it) and to
// the confirmed followers, once per address, each in their language.
func (s *Store) tell(ctx context.Context, tx *db.Tx, st site, r *Report, u Update, author bool) error {
	c, err := categoryQ(ctx, tx, r.TenantID, r.CategoryID)
	if err != nil {
		return err
	}
	list, err := followersOf(ctx, tx, r)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	if author && r.Contact.Email != "" {
		list = append([]follower{{email: r.Contact.Email, lang: r.Lang}}, list...)
	} else {
		seen[r.Contact.Email] = true // they know what they did
	}
	for _, f := range list {
		if seen[f.email] {
			continue
		}
		seen[f.email] = true
		if err := s.send(ctx, tx, r.TenantID, f.email, "report_update", f.lang, updateData(st, r, c, u, f)); err != nil {
			return fmt.Errorf("mail %s: %w", f.email, err)
		}
	}
	return nil
}

func updateData(st site, r *Report, c *Category, u Update, f follower) map[string]any {
	data := reportData(st, r, c)
	data["Status"], data["Note"], data["UnfollowURL"] = string(u.Status), u.Note, ""
	if f.unfollow != "" {
		data["UnfollowURL"] = st.url + UnfollowPrefix + f.unfollow
	}
	return data
}
