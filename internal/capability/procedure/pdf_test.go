package procedure

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReceiptAndDecisionText(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("GUICHET_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatal("pdftotext (poppler-utils) is required")
		}
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	form, err := ParseForm([]byte(sampleDefinition))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	due := at.AddDate(0, 0, 30)
	c := &Case{Reference: "DEM-2026-000042", Applicant: "Zoé Lefèvre-Çelik", Email: "zoe@exemple.fr", State: Accepted,
		SubmittedAt: &at, DueAt: &due, Answers: Answers{"nom": {Value: "Lefèvre"}, "enfants": {Items: []Answers{{"prenom": {Value: "Léonie"}}}}}}
	p := &Procedure{Title: "Inscription scolaire", DeadlineDays: 30, Silence: SilenceAccord,
		DecisionTemplate: "Bonjour {demandeur}, la demande {reference} pour {champ:nom} est {decision}. {motif}"}
	loc, _ := time.LoadLocation("Europe/Paris")
	in := LetterInfo{Authority: "Ville de Montclair", Procedure: p, Case: c, Form: form, Loc: loc,
		Files: []StoredFile{{FileRef: FileRef{Name: "livret-de-famille.pdf", Size: 123456}}}}
	var l Letters
	receipt, err := l.Receipt(in)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, receipt)
	for _, want := range []string{"Récépissé de dépôt", "DEM-2026-000042", "2 mars 2026 à 10 h 05", "Zoé Lefèvre-Çelik",
		"livret-de-famille.pdf", "1er avril 2026", "silence vaut accord", "Léonie"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	decision, err := l.Decision(in, "Dossier complet.", at)
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, decision)
	if !strings.Contains(text, "Bonjour Zoé Lefèvre-Çelik, la demande DEM-2026-000042 pour Lefèvre est acceptée. Dossier complet.") {
		t.Errorf("decision:\n%s", text)
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestDecisionAgreesWithDemande: the default letter says « votre demande
// est … » and every decision agrees with demande, a feminine noun.
func TestDecisionAgreesWithDemande(t *testing.T) {
	for st, want := range map[State]string{Accepted: "acceptée", Refused: "refusée", Dismissed: "classée sans suite"} {
		in := LetterInfo{Procedure: &Procedure{Title: "Acte de naissance"}, Case: &Case{Reference: "DEM-1", State: st}, Form: &Form{},
			Loc: time.UTC}
		text := FillTemplate(DefaultDecisionTemplate, in, "", time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
		if !strings.Contains(text, "votre demande est "+want+".") {
			t.Errorf("%s: the letter says %q", st, text)
		}
	}
}
