package procedure

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
)

// Generate files n made-up cases of p (spread over the past year, in
// every state after filing), in batches, for scale tests and the
// "guichet seed cases" command; progress is called after each batch.
func (s *Store) Generate(ctx context.Context, p *Procedure, n int, progress func(done int)) error {
	const batch = 400
	names := []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
		"Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard"}
	states := []State{Filed, Instruction, Instruction, Waiting, Accepted, Accepted, Refused, Dismissed}
	now := s.now()
	var first int
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO case_counters (tenant_id, year, last) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id, year) DO UPDATE SET last = case_counters.last + ? RETURNING last`,
			p.TenantID, now.Year(), n, n).Scan(&first)
	})
	if err != nil {
		return wrap("generate", err)
	}
	first -= n
	cols := strings.Count(caseColumns, ",") + 1
	row := "(" + placeholders(cols) + ")"
	for done := 0; done < n; {
		k := min(batch, n-done)
		args := make([]any, 0, k*cols)
		for i := 0; i < k; i++ {
			seq := done + i
			name := names[seq%len(names)] + " " + names[(seq/len(names))%len(names)]
			at := now.Add(-time.Duration(n-seq) * 5 * time.Minute)
			due := at.AddDate(0, 0, p.DeadlineDays)
			st := states[seq%len(states)]
			var closed, del any
			if st.Closed() {
				c, d := at.Add(72*time.Hour), at.AddDate(0, 0, p.RetentionDays)
				closed, del = c, d
			}
			answers, _ := json.Marshal(Answers{"nom": {Value: name}, "enfants": {Items: []Answers{{"prenom": {Value: "Enfant " + fmt.Sprint(seq)}}}}})
			args = append(args, uuid.NewString(), p.TenantID, p.ID, p.Version, fmt.Sprintf("DEM-%d-%06d", now.Year(), first+seq+1),
				string(st), nil, fmt.Sprintf("demandeur%d@exemple.fr", seq), true, "", name, string(answers), 0, "", "",
				"", "fr", at, due, closed, del, at, at)
		}
		q := `INSERT INTO cases (` + caseColumns + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		if _, err := s.db.Exec(ctx, q, args...); err != nil {
			return wrap("generate", err)
		}
		// applicant_key is not among caseColumns: fill it for the batch.
		done += k
		if progress != nil {
			progress(done)
		}
	}
	_, err = s.db.Exec(ctx, `UPDATE cases SET applicant_key = LOWER(applicant) WHERE tenant_id = ? AND procedure_id = ? AND applicant_key = ''`,
		p.TenantID, p.ID)
	if err == nil && s.db.Dialect() == db.Postgres {
		// Planner statistics after a bulk load, as autovacuum would later.
		_, err = s.db.Exec(ctx, `ANALYZE cases`)
	}
	return wrap("generate", err)
}
