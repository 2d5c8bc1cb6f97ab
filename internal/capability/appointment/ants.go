package appointment

import "strings"

// NormalizeANTS checks an ANTS pre-application number (pré-demande de
// passeport ou de carte d'identité): ten letters and digits, printed on
// the receipt in upper case; spaces and dashes are tolerated and removed.
func NormalizeANTS(s string) (string, bool) {
	var b strings.Builder
	for _, c := range strings.ToUpper(strings.TrimSpace(s)) {
		switch {
		case c == ' ' || c == '-':
			continue
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			return "", false
		}
	}
	n := b.String()
	return n, len(n) == 10
}
