package files

import (
	"strings"
	"unicode"
)

// maxNameRunes bounds a file name kept for display.
const maxNameRunes = 120

// CleanName keeps an uploaded file's name displayable and safe in a
// header: the last path segment, without control or invisible formatting
// characters. Bidirectional controls go too: "facture\u202Efdp.exe"
// would show to an agent as "facture" followed by "exe.pdf".
func CleanName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if r == '"' || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > maxNameRunes {
		name = string(r[:maxNameRunes])
	}
	if name == "" || strings.Trim(name, ".") == "" {
		return "fichier"
	}
	return name
}
