package files

import (
	"strings"
	"testing"
)

func TestCleanName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"facture\u202Efdp.exe":              "facturefdp.exe",
		"a\u202Ab\u202Bc\u202Cd\u202De.pdf": "abcde.pdf",
		"\u2066x\u2067y\u2068z\u2069.pdf":   "xyz.pdf",
		"mark\u200E\u200F\u061C.pdf":        "mark.pdf",
		"zero\u200Bwidth\uFEFF.pdf":         "zerowidth.pdf",
		"ligne\nnouvelle\r\t.pdf":           "lignenouvelle.pdf",
		"c1\u0085\u009b.pdf":                "c1.pdf",
		"sep\u2028\u2029.pdf":               "sep.pdf",
		`C:\Users\moi\relevé "banque".pdf`:  "relevé banque.pdf",
		"../../etc/passwd":                  "passwd",
		"\u202E":                            "fichier",
		"..":                                "fichier",
		"acte de naissance.pdf":             "acte de naissance.pdf",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanName(strings.Repeat("é", 200) + ".pdf"); len([]rune(got)) != maxNameRunes {
		t.Errorf("a long name keeps %d characters", len([]rune(got)))
	}
}
