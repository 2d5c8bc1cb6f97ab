package urbanism

import (
	"strings"
	"unicode"

	"guichet/internal/publishing/search"
)

// Fold is a name as searches compare it: lower case, without accents,
// words of letters and digits separated by one space ("Rue de l'Église"
// → "rue de l eglise").
func Fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(search.Fold(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
