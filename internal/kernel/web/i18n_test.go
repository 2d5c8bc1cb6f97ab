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

// TestCountedMessagesAgree: a message about n things takes its singular
// form where the language wants one (French: 0 and 1; English: 1), and the
// plural form elsewhere or when no singular form exists.
func TestCountedMessagesAgree(t *testing.T) {
	t.Parallel()
	c := NewCatalogue()
	c.msgs["fr"] = map[string]string{"seats": "%[2]s : %[1]d places restantes", "seats_one": "%[2]s : %[1]d place restante",
		"plural_only": "%d demandes"}
	c.msgs["en"] = map[string]string{"seats": "%[2]s: %[1]d places left", "seats_one": "%[2]s: %[1]d place left"}
	for _, tc := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"fr", "seats", 0, "Lundi : 0 place restante"},
		{"fr", "seats", 1, "Lundi : 1 place restante"},
		{"fr", "seats", 2, "Lundi : 2 places restantes"},
		{"en", "seats", 0, "Lundi: 0 places left"},
		{"en", "seats", 1, "Lundi: 1 place left"},
		{"en", "seats", 3, "Lundi: 3 places left"},
		{"fr", "plural_only", 1, "1 demandes"},
	} {
		args := []any{}
		if tc.key == "seats" {
			args = append(args, "Lundi")
		}
		if got := c.N(tc.lang, tc.key, tc.n, args...); got != tc.want {
			t.Errorf("N(%s, %s, %d) = %q, want %q", tc.lang, tc.key, tc.n, got, tc.want)
		}
	}
}
