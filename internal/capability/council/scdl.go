package council

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"guichet/internal/kernel/db"
)

// SCDLColumns are the columns of the SCDL délibérations schema 2.1.5
// (schema.data.gouv.fr/scdl/deliberations), in its order.
var SCDLColumns = []string{"COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM",
	"DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR",
	"VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL"}

// Publisher names the collectivité in its open data.
type Publisher struct {
	Name, SIRET string
	// BaseURL is the collectivité's site address, for each act's link.
	BaseURL string
}

// WriteSCDL writes the deliberations online on day as the SCDL
// délibérations CSV (comma-separated, UTF-8), oldest first, reading
// them in one pass so that a large town's export holds little memory.
func (s *Store) WriteSCDL(ctx context.Context, w io.Writer, tenantID, day string, p Publisher) (rows int, err error) {
	out := csv.NewWriter(w)
	if err := out.Write(SCDLColumns); err != nil {
		return 0, err
	}
	num := func(v int) string { return strconv.Itoa(v) }
	err = db.Each(ctx, s.DB(), `SELECT `+actColumns+` FROM council_acts WHERE tenant_id = ? AND kind = ? AND status = ?
		AND (online_until = '' OR online_until >= ?) ORDER BY adopted_on, number`, func(r db.Row) error {
		a, err := scanAct(r)
		if err != nil {
			return err
		}
		sub := a.Subject()
		rec := []string{p.Name, p.SIRET, a.Number, a.AdoptedOn, a.SubjectCode, sub.Label(), a.Title, a.BudgetYear, a.BudgetName,
			a.PrefectureID, a.TransmittedOn, "", "", "", "", "", p.BaseURL + a.URL() + "/acte.pdf"}
		if v := a.Vote; v != nil {
			rec[11], rec[12], rec[13], rec[14], rec[15] = num(v.InOffice), num(v.Voters), num(v.For), num(v.Against), num(v.Abstentions)
		}
		rows++
		return out.Write(rec)
	}, tenantID, Deliberation, Published, day)
	if err != nil {
		return rows, wrap("scdl export", err)
	}
	out.Flush()
	return rows, out.Error()
}

// LastPublished returns the day the latest act was published ("" when
// none), for the catalogue's date of update.
func (s *Store) LastPublished(ctx context.Context, tenantID string) (first, last string, err error) {
	var a, b *string
	err = s.DB().QueryRow(ctx, `SELECT MIN(adopted_on), MAX(adopted_on) FROM council_acts WHERE tenant_id = ? AND kind = ? AND status = ?`,
		tenantID, Deliberation, Published).Scan(&a, &b)
	if a != nil {
		first = *a
	}
	if b != nil {
		last = *b
	}
	return first, last, wrap("last published", err)
}
