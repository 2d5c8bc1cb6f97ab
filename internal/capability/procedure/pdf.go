package procedure

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-pdf/fpdf"

	"guichet"
)

// FontPaths are where the PDF writer looks for a UTF-8 font (Debian's
// fonts-dejavu-core); without one it falls back to the core Helvetica,
// which covers French through Windows-1252.
var FontPaths = [2]string{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}

// Letters writes receipts and decision letters as PDF.
type Letters struct {
	once          sync.Once
	regular, bold []byte
}

func (l *Letters) load() {
	l.once.Do(func() {
		r, err1 := os.ReadFile(FontPaths[0])
		b, err2 := os.ReadFile(FontPaths[1])
		if err1 == nil && err2 == nil {
			l.regular, l.bold = r, b
		}
	})
}

// doc is one PDF being written, with text helpers that encode for the
// font in use.
type doc struct {
	pdf *fpdf.Fpdf
	enc func(string) string
	fam string
}

func (l *Letters) newDoc(title string) *doc {
	l.load()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(title, true)
	pdf.SetCreator("Guichet", true)
	pdf.SetMargins(20, 20, 20)
	d := &doc{pdf: pdf, enc: func(s string) string { return s }, fam: "DejaVu"}
	if l.regular != nil {
		pdf.AddUTF8FontFromBytes("DejaVu", "", l.regular)
		pdf.AddUTF8FontFromBytes("DejaVu", "B", l.bold)
	} else {
		d.fam, d.enc = "Helvetica", pdf.UnicodeTranslatorFromDescriptor("")
	}
	pdf.AddPage()
	return d
}

func (d *doc) text(size float64, bold bool, s string) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(d.fam, style, size)
	d.pdf.MultiCell(0, size*0.5, d.enc(strings.TrimRight(s, "\r\n")), "", "L", false)
}

func (d *doc) gap(h float64) { d.pdf.Ln(h) }

func (d *doc) line(label, value string) {
	d.pdf.SetFont(d.fam, "B", 10)
	d.pdf.CellFormat(55, 6, d.enc(label), "", 0, "L", false, 0, "")
	d.pdf.SetFont(d.fam, "", 10)
	d.pdf.MultiCell(0, 6, d.enc(value), "", "L", false)
}

func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("procedure: pdf: %w", err)
	}
	return b.Bytes(), nil
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
	d := l.newDoc("Récépissé " + c.Reference)
	d.text(11, true, in.Authority)
	d.gap(6)
	d.text(16, true, "Récépissé de dépôt")
	d.text(12, false, in.Procedure.Title)
	d.gap(6)
	d.line("Référence", c.Reference)
	if c.SubmittedAt != nil {
		d.line("Déposé le", FrenchDateTime(*c.SubmittedAt, in.Loc))
	}
	d.line("Demandeur", c.Applicant)
	if c.Email != "" {
		d.line("Adresse électronique", c.Email)
	}
	d.gap(4)
	d.text(10, false, DeadlineText(in.Procedure, c, in.Loc))
	d.gap(4)
	d.text(12, true, "Pièces jointes")
	if len(in.Files) == 0 {
		d.text(10, false, "Aucune pièce jointe.")
	}
	for _, f := range in.Files {
		d.text(10, false, fmt.Sprintf("• %s (%s)", f.Name, HumanSize(f.Size)))
	}
	d.gap(4)
	d.text(12, true, "Votre demande")
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
				d.line(fmt.Sprintf("%s %d", fl.Label, i+1), strings.Join(parts, " ; "))
			}
			return
		}
		d.line(fl.Label, a.Text())
	})
	d.gap(6)
	d.text(9, false, "Ce récépissé atteste le dépôt de votre demande. Il ne préjuge pas de la décision. "+
		"Conservez la référence pour tout échange avec nos services.")
	return d.bytes()
}

// Decision writes the decision letter from the procedure's template, in
// which {reference}, {demandeur}, {demarche}, {decision} (State.Decision),
// {motif}, {date} and {champ:KEY} (an answer) are replaced.
func (l *Letters) Decision(in LetterInfo, reason string, at time.Time) ([]byte, error) {
	c := in.Case
	d := l.newDoc("Décision " + c.Reference)
	d.text(11, true, in.Authority)
	d.gap(6)
	d.text(10, false, "Le "+FrenchDate(at, in.Loc))
	d.gap(4)
	d.text(10, false, c.Applicant)
	if c.Email != "" {
		d.text(10, false, c.Email)
	}
	d.gap(6)
	d.text(14, true, "Décision : "+c.State.Label())
	d.line("Objet", in.Procedure.Title)
	d.line("Référence", c.Reference)
	d.gap(4)
	tpl := in.Procedure.DecisionTemplate
	if strings.TrimSpace(tpl) == "" {
		tpl = DefaultDecisionTemplate
	}
	d.text(10, false, FillTemplate(tpl, in, reason, at))
	return d.bytes()
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
