package procedure

import (
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/pdf"
)

// Letters writes receipts and decision letters as PDF. Its zero value is
// ready.
type Letters struct {
	w pdf.Writer
}

// letterBytes closes d, naming the procedure in its errors.
func letterBytes(d *pdf.Doc) ([]byte, error) {
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("procedure: %w", err)
	}
	return b, nil
}

// LetterInfo is what both documents show about the case.
type LetterInfo struct {
	Authority string // the collectivité's name
	Procedure *Procedure
	Case      *Case
	Form      *Form
	Files     []StoredFile
	Loc       *time.Location
}

// FrenchDateTime formats t as "2 mars 2026 à 10 h 05".
func FrenchDateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return fmt.Sprintf("%s à %d h %02d", FrenchDate(t, loc), t.Hour(), t.Minute())
}

// FrenchDate formats t as "2 mars 2026".
func FrenchDate(t time.Time, loc *time.Location) string {
	return guichet.Date(t.In(loc), "fr")
}

// DeadlineText says when and how the case will be decided.
func DeadlineText(p *Procedure, c *Case, loc *time.Location) string {
	if c.DueAt == nil {
		return ""
	}
	s := fmt.Sprintf("Décision attendue au plus tard le %s (délai de %d jours).", FrenchDate(*c.DueAt, loc), p.DeadlineDays)
	switch p.Silence {
	case SilenceAccord:
		s += " Sans réponse à cette date, votre demande sera acceptée (silence vaut accord)."
	case SilenceRejet:
		s += " Sans réponse à cette date, votre demande sera rejetée (silence vaut rejet)."
	}
	return s
}

// Receipt writes the récépissé of a filed case: who, what, when, the
// documents given and the legal deadline.
func (l *Letters) Receipt(in LetterInfo) ([]byte, error) {
	c := in.Case
	d := l.w.New("Récépissé " + c.Reference)
	d.Text(11, true, in.Authority)
	d.Gap(6)
	d.Text(16, true, "Récépissé de dépôt")
	d.Text(12, false, in.Procedure.Title)
	d.Gap(6)
	d.Line("Référence", c.Reference)
	if c.SubmittedAt != nil {
		d.Line("Déposé le", FrenchDateTime(*c.SubmittedAt, in.Loc))
	}
	d.Line("Demandeur", c.Applicant)
	if c.Email != "" {
		d.Line("Adresse électronique", c.Email)
	}
	d.Gap(4)
	d.Text(10, false, DeadlineText(in.Procedure, c, in.Loc))
	d.Gap(4)
	d.Text(12, true, "Pièces jointes")
	if len(in.Files) == 0 {
		d.Text(10, false, "Aucune pièce jointe.")
	}
	for _, f := range in.Files {
		d.Text(10, false, fmt.Sprintf("• %s (%s)", f.Name, HumanSize(f.Size)))
	}
	d.Gap(4)
	d.Text(12, true, "Votre demande")
	in.Form.Each(func(_ *Section, fl *Field) {
		a, ok := c.Answers[fl.Key]
		if !ok || fl.Type == Info {
			return
		}
		if fl.Type == Repeat {
			for i, it := range a.Items {
				var parts []string
				for _, sub := range fl.Fields {
					if v := it[sub.Key].Text(); v != "" {
						parts = append(parts, sub.Label+" : "+v)
					}
				}
				d.Line(fmt.Sprintf("%s %d", fl.Label, i+1), strings.Join(parts, " ; "))
			}
			return
		}
		d.Line(fl.Label, a.Text())
	})
	d.Gap(6)
	d.Text(9, false, "Ce récépissé atteste le dépôt de votre demande. Il ne préjuge pas de la décision. "+
		"Conservez la référence pour tout échange avec nos services.")
	return letterBytes(d)
}

// Decision writes the decision letter from the procedure's template, in
// which {reference}, {demandeur}, {demarche}, {decision} (State.Decision),
// {motif}, {date} and {champ:KEY} (an answer) are replaced.
func (l *Letters) Decision(in LetterInfo, reason string, at time.Time) ([]byte, error) {
	c := in.Case
	d := l.w.New("Décision " + c.Reference)
	d.Text(11, true, in.Authority)
	d.Gap(6)
	d.Text(10, false, "Le "+FrenchDate(at, in.Loc))
	d.Gap(4)
	d.Text(10, false, c.Applicant)
	if c.Email != "" {
		d.Text(10, false, c.Email)
	}
	d.Gap(6)
	d.Text(14, true, "Décision : "+c.State.Label())
	d.Line("Objet", in.Procedure.Title)
	d.Line("Référence", c.Reference)
	d.Gap(4)
	tpl := in.Procedure.DecisionTemplate
	if strings.TrimSpace(tpl) == "" {
		tpl = DefaultDecisionTemplate
	}
	d.Text(10, false, FillTemplate(tpl, in, reason, at))
	return letterBytes(d)
}

// DefaultDecisionTemplate is used when a procedure sets none.
const DefaultDecisionTemplate = `Madame, Monsieur,

Par votre demande « {demarche} » déposée sous la référence {reference}, vous avez sollicité nos services.

Nous vous informons que votre demande est {decision}.

{motif}

Vous pouvez contester cette décision devant le tribunal administratif dans un délai de deux mois à compter de sa notification.

Le service instructeur`

// FillTemplate replaces the placeholders of a decision template.
func FillTemplate(tpl string, in LetterInfo, reason string, at time.Time) string {
	pairs := []string{"{reference}", in.Case.Reference, "{demandeur}", in.Case.Applicant, "{demarche}", in.Procedure.Title,
		"{decision}", in.Case.State.Decision(), "{motif}", reason, "{date}", FrenchDate(at, in.Loc)}
	in.Form.Each(func(_ *Section, fl *Field) {
		pairs = append(pairs, "{champ:"+fl.Key+"}", in.Case.Answers[fl.Key].Text())
	})
	return strings.NewReplacer(pairs...).Replace(tpl)
}

// HumanSize writes a size in French units.
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f Mo", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d ko", n>>10)
	}
	return fmt.Sprintf("%d octets", n)
}
