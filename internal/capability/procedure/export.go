package procedure

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxExportItems bounds the columns of a block without a maximum.
const maxExportItems = 20

// column is one CSV column: its header and how to read it from answers.
type column struct {
	head string
	get  func(Answers) string
}

func exportColumns(form *Form) []column {
	var cols []column
	form.Each(func(_ *Section, fl *Field) {
		fl2 := fl
		switch fl.Type {
		case Info:
		case Repeat:
			for i := 0; i < min(fl.itemLimit(), maxExportItems); i++ {
				for j := range fl2.Fields {
					sub, n := &fl2.Fields[j], i
					if !sub.HasAnswer() {
						continue
					}
					cols = append(cols, column{fmt.Sprintf("%s %d – %s", fl2.Label, i+1, sub.Label), func(a Answers) string {
						items := a[fl2.Key].Items
						if n >= len(items) {
							return ""
						}
						return items[n][sub.Key].Text()
					}})
				}
			}
		default:
			cols = append(cols, column{fl2.Label, func(a Answers) string { return a[fl2.Key].Text() }})
		}
	})
	return cols
}

// safeCell keeps a spreadsheet from reading a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ExportCSV writes a procedure's filed cases, one line each, with a column
// per field of the form (each item of a repeatable block in its own
// columns), streaming rows as they are read.
func (s *Store) ExportCSV(ctx context.Context, w io.Writer, p *Procedure, loc *time.Location) error {
	form, err := s.Form(ctx, p.TenantID, p.ID, p.Version)
	if err != nil {
		return err
	}
	cols := exportColumns(form)
	cw := csv.NewWriter(w)
	head := []string{"Référence", "Déposé le", "État", "Demandeur", "Courriel", "Agent", "Étiquettes", "Version"}
	for _, c := range cols {
		head = append(head, c.head)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rows, err := s.db.Query(ctx, `SELECT reference, submitted_at, state, applicant, email, assignee_name, labels, version, answers
		FROM cases WHERE tenant_id = ? AND procedure_id = ? AND submitted_at IS NOT NULL ORDER BY submitted_at, id`, p.TenantID, p.ID)
	if err != nil {
		return wrap("export", err)
	}
	defer rows.Close()
	line := make([]string, len(head))
	for rows.Next() {
		var ref, state, applicant, email, assignee, labels, raw string
		var at time.Time
		var version int
		if err := rows.Scan(&ref, &at, &state, &applicant, &email, &assignee, &labels, &version, &raw); err != nil {
			return err
		}
		var a Answers
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return fmt.Errorf("export %s: %w", ref, err)
		}
		line = append(line[:0], ref, at.In(loc).Format("2006-01-02 15:04"), State(state).Label(), safeCell(applicant),
			safeCell(email), safeCell(assignee), strings.Join(splitLabels(labels), " ; "), fmt.Sprint(version))
		for _, c := range cols {
			line = append(line, safeCell(c.get(a)))
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
