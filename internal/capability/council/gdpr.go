package council

import (
	"context"
	"database/sql"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
	"guichet/internal/publishing"
)

// The followers' addresses are the council's only personal data about
// residents: members' names and votes are public by law (L2121-25,
// L2121-21). A follow never confirmed goes when its link expires; a
// confirmed one stays until its owner unsubscribes or is erased.
var UnconfirmedFollowerDays = int(publishing.ConfirmWithin / (24 * time.Hour))

type exportedFollow struct {
	Email       string     `json:"email"`
	Language    string     `json:"language"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// Export returns the person's subscription to new acts.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("", "email")
	out := []exportedFollow{}
	err := db.Each(ctx, s.DB(), `SELECT email, lang, created_at, confirmed_at FROM council_subscribers WHERE tenant_id = ? AND `+where+`
		ORDER BY created_at`, func(r db.Row) error {
		var e exportedFollow
		var confirmed sql.NullTime
		err := r.Scan(&e.Email, &e.Language, &e.CreatedAt, &confirmed)
		e.ConfirmedAt = publishing.FromNull(confirmed)
		out = append(out, e)
		return err
	}, append([]any{p.TenantID}, args...)...)
	return out, wrap("export followers", err)
}

// Eraser says what erasing a person does: their subscription to new acts
// is deleted.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "council", Effect: "council.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	where, args := p.Match("", "email")
	_, err := s.DB().Exec(ctx, `DELETE FROM council_subscribers WHERE tenant_id = ? AND `+where, append([]any{p.TenantID}, args...)...)
	return wrap("erase follower", err)
}

// PurgeUnconfirmedFollowers deletes the follows whose link expired
// unused.
func (s *Store) PurgeUnconfirmedFollowers(ctx context.Context) (int64, error) {
	res, err := s.DB().Exec(ctx, `DELETE FROM council_subscribers WHERE confirmed_at IS NULL AND created_at < ?`,
		privacy.Cutoff(s.Stamp(), UnconfirmedFollowerDays))
	if err != nil {
		return 0, wrap("retention", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rule the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "council.followers", Apply: s.PurgeUnconfirmedFollowers}}
}

// Processing returns the council's line of the register; its texts are
// in the web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const k = "council.privacy.followers."
	return []privacy.Activity{{Key: "council.followers", Order: 215, Bases: []privacy.Basis{privacy.Consent},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", UnconfirmedFollowerDays), Recipients: privacy.T(k + "recipients"),
		InUse: s.InUse}}
}

// InUse reports whether the collectivité publishes acts.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM council_acts WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n > 0, err
}
