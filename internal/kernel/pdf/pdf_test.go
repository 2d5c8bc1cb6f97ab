package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"guichet"
)

const act = "Délibération n° 2026-045 : réfection de la toiture de l'école Jules-Ferry"

// needExtractor skips without pdftotext, unless the run requires it.
func needExtractor(t *testing.T) {
	t.Helper()
	if Available() {
		return
	}
	if os.Getenv("GUICHET_TEST_REQUIRE_PDFTOTEXT") != "" {
		t.Fatal("pdftotext (Debian poppler-utils) is required")
	}
	t.Skip("pdftotext not installed (Debian poppler-utils)")
}

// words joins text's words with single spaces, so that wrapping does not
// matter.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeAct(t *testing.T, w *Writer) []byte {
	t.Helper()
	d := w.New(act)
	d.Text(16, true, act)
	d.Line("Séance du", "12 mars 2026")
	d.Heading("Exposé des motifs")
	d.Paragraphs("Vu le code général des collectivités territoriales ;\nVu le devis de l'entreprise Xylophagiste Ardéchoise ;\n\n" +
		"Le conseil municipal, après en avoir délibéré :\n- approuve les travaux de réfection ;\n- autorise le maire à signer les pièces.")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTextReadsBackWhatTheWriterWrote(t *testing.T) {
	t.Parallel()
	needExtractor(t)
	text, err := Text(t.Context(), writeAct(t, &Writer{}))
	if err != nil {
		t.Fatal(err)
	}
	got := words(text)
	for _, want := range []string{act, "Séance du 12 mars 2026", "Exposé des motifs", "Xylophagiste Ardéchoise",
		"• approuve les travaux de réfection ;", "• autorise le maire"} {
		if !strings.Contains(got, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\f") || !utf8.ValidString(text) {
		t.Errorf("form feed or invalid UTF-8 left in %q", text)
	}
}

// TestHelveticaStillWritesFrench: without DejaVu, the Windows-1252 core
// font still carries French accents and the degree sign.
func TestHelveticaStillWritesFrench(t *testing.T) {
	t.Parallel()
	needExtractor(t)
	var w Writer
	w.once.Do(func() {}) // as if no font were installed
	d := w.New(act)
	if d.fam != "Helvetica" {
		t.Fatalf("font %q", d.fam)
	}
	text, err := Text(t.Context(), writeAct(t, &w))
	if err != nil {
		t.Fatal(err)
	}
	if got := words(text); !strings.Contains(got, act) || !strings.Contains(got, "• approuve") {
		t.Errorf("text:\n%s", text)
	}
}

func TestFooterNumbersEveryPage(t *testing.T) {
	t.Parallel()
	needExtractor(t)
	d := (&Writer{}).New("Procès-verbal")
	d.Footer("Commune de Montclair · procès-verbal du 12 mars 2026")
	for i := 1; d.pdf.PageNo() < 2; i++ {
		d.Paragraphs(fmt.Sprintf("Paragraphe %d du procès-verbal.", i))
	}
	d.Paragraphs("Dernier paragraphe.")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	text, err := Text(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	got := words(text)
	for _, want := range []string{"page 1 / 2", "page 2 / 2", "Commune de Montclair · procès-verbal du 12 mars 2026", "Dernier paragraphe."} {
		if !strings.Contains(got, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(got, "{nb}") || strings.Count(got, "Commune de Montclair") != 2 {
		t.Errorf("footers:\n%s", text)
	}
}

func TestTextRefusesWhatIsNotAPDF(t *testing.T) {
	t.Parallel()
	needExtractor(t)
	for _, body := range [][]byte{nil, []byte("garbage bytes, not a PDF"), []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF")} {
		text, err := Text(t.Context(), body)
		if err == nil || !strings.Contains(err.Error(), "pdftotext") {
			t.Errorf("%q: text %q, error %v", body, text, err)
		}
	}
}

func TestTextStopsWithItsContext(t *testing.T) {
	t.Parallel()
	needExtractor(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Text(ctx, writeAct(t, &Writer{})); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
}

func TestTextRefusesAHugeBody(t *testing.T) {
	t.Parallel()
	_, err := Text(t.Context(), make([]byte, maxInput+1))
	if guichet.ErrorCode(err) != guichet.ETooLarge {
		t.Fatalf("error %v", err)
	}
}

func TestTextWithoutTheProgramSaysSo(t *testing.T) {
	t.Parallel()
	if _, err := extract(t.Context(), "pdftotext-not-installed", []byte("%PDF-1.7")); !errors.Is(err, ErrNoExtractor) {
		t.Fatalf("error %v", err)
	}
}

func TestClipKeepsWholeCharacters(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		raw   string
		limit int
		want  string
	}{
		{"ab\fcd\f", 10, "ab\ncd\n"},
		{"abé", 3, "ab"}, // é is two bytes: it does not fit
		{"abé", 4, "abé"},
		{"a\xffb", 10, "a\uFFFDb"},
		{"écoles", 1, ""},
	} {
		if got := clip([]byte(c.raw), c.limit); got != c.want || len(got) > c.limit || !utf8.ValidString(got) {
			t.Errorf("clip(%q, %d) = %q, want %q", c.raw, c.limit, got, c.want)
		}
	}
}

func TestParagraphsSplitAtBlankLines(t *testing.T) {
	t.Parallel()
	got := splitParagraphs("\n\nUn\ndeux  \n \t\n\n- trois\n")
	if want := []string{"Un\ndeux", "- trois"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%q", got)
	}
}
