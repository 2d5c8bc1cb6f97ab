package council

import (
	"fmt"
	"strings"

	"guichet"
	"guichet/internal/kernel/pdf"
	"guichet/internal/publishing"
)

// writeAct lays out an act the collectivité published without its
// signed scan: its number, date, subject, vote and full text.
func writeAct(d *pdf.Doc, a *Act) {
	d.Footer(KindLabel(a.Kind) + " n° " + a.Number)
	d.Text(16, true, KindLabel(a.Kind)+" n° "+a.Number)
	d.Gap(2)
	d.Text(12, true, a.Title)
	d.Gap(4)
	if day, err := ParseDate(a.AdoptedOn); err == nil {
		d.Line("Date de l'acte", guichet.Date(day, "fr"))
	}
	sub := a.Subject()
	d.Line("Matière (ACTES)", sub.Code+" – "+sub.Label())
	if a.Vote != nil {
		v := a.Vote
		d.Line("Membres en exercice", fmt.Sprint(v.InOffice))
		d.Line("Votants", fmt.Sprint(v.Voters))
		d.Line("Pour / contre / abst.", fmt.Sprintf("%d / %d / %d", v.For, v.Against, v.Abstentions))
		outcome := "Adoptée"
		if a.Outcome == Rejected {
			outcome = "Rejetée"
		}
		d.Line("Résultat", outcome)
	}
	if a.BudgetYear != "" {
		d.Line("Budget", a.BudgetName+" "+a.BudgetYear)
	}
	d.Gap(4)
	d.Paragraphs(publishing.PlainText(a.Body))
	if a.Vote != nil && len(a.Vote.Names) > 0 {
		d.Heading("Scrutin public")
		var lines []string
		for _, n := range a.Vote.Names {
			lines = append(lines, "- "+n.Name+" : "+n.Choice)
		}
		d.Paragraphs(strings.Join(lines, "\n"))
	}
}

// writeMinutes lays out a session's approved minutes.
func writeMinutes(d *pdf.Doc, title, text string) {
	d.Footer(title)
	d.Text(16, true, title)
	d.Gap(4)
	d.Paragraphs(publishing.PlainText(text))
}
