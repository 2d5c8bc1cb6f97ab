package reports

import (
	"context"
	"strconv"
	"strings"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// send queues a mail in tx; a store without a mailer sends none, and no
// address means no mail.
func (s *Store) send(ctx context.Context, tx *db.Tx, tenantID, to, template, lang string, data map[string]any) error {
	if s.Mail == nil || to == "" {
		return nil
	}
	return s.Mail.EnqueueTx(ctx, tx, mail.Message{TenantID: tenantID, To: to, Template: "reports/" + template,
		Lang: lang, Data: data})
}

// answerLine is one answer as mails write it.
type answerLine struct{ Label, Value string }

// answerLines writes r's answers in the order of c's questions, list
// answers by their choices' names.
func answerLines(c *Category, a Answers) []answerLine {
	out := []answerLine{}
	for _, q := range c.Questions {
		values := a[q.Code]
		if len(values) == 0 {
			continue
		}
		names := make([]string, len(values))
		for i, v := range values {
			names[i] = choiceName(q, v)
		}
		out = append(out, answerLine{Label: q.Label, Value: strings.Join(names, ", ")})
	}
	return out
}

func choiceName(q Question, key string) string {
	for _, c := range q.Values {
		if c.Key == key {
			return c.Name
		}
	}
	return key
}

// degrees writes a coordinate as the mails show it.
func degrees(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

// reportData is what every mail about a report says of it.
func reportData(st site, r *Report, c *Category) map[string]any {
	return map[string]any{"Reference": r.Reference, "Category": c.Name, "Address": r.Address,
		"URL": st.url + r.Path()}
}
