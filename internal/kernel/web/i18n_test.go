package web

import (
	"testing"
	"testing/fstest"
)

func TestSentencesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	c := NewCatalogue()
	files := fstest.MapFS{"messages/sentences.en.json": {Data: []byte(`{
		"Agenda inconnu.": "Unknown calendar.",
		"Renseignez « %s ».": "Fill in “%s”.",
		"« %s » accepte au plus %d fichiers.": "“%s” accepts at most %d files.",
		"%s (élément %d)": "%s (item %d)"
	}`)}}
	if err := c.Load("test", files); err != nil {
		t.Fatal(err)
	}
	for fr, want := range map[string]string{
		"Agenda inconnu.":                                "Unknown calendar.",
		"Renseignez « Nom de l'enfant ».":                "Fill in “Nom de l'enfant”.",
		"« Justificatifs » accepte au plus 10 fichiers.": "“Justificatifs” accepts at most 10 files.",
		"Renseignez « Prénom ». (élément 2)":             "Fill in “Prénom”. (item 2)",
		"Une phrase sans traduction.":                    "Une phrase sans traduction.",
	} {
		if got := c.Sentence("en", fr); got != want {
			t.Errorf("Sentence(en, %q) = %q, want %q", fr, got, want)
		}
		if got := c.Sentence("fr", fr); got != fr {
			t.Errorf("Sentence(fr, %q) = %q, want it unchanged", fr, got)
		}
	}
	for _, bad := range []string{`{"Renseignez « %s ».": "Fill it in."}`, `{"%s %d": "%s %d"}`} {
		files := fstest.MapFS{"messages/sentences.en.json": {Data: []byte(bad)}}
		if err := NewCatalogue().Load("bad", files); err == nil {
			t.Errorf("%s loaded without error", bad) // a value dropped; a pattern of values alone
		}
	}
}
