package search

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// token is one word of a text: its byte span and its search term ("" for a
// stop word).
type token struct {
	start, end int
	term       string
}

// tokens splits s into words. Apostrophes end a word, so that the elided
// article of "l'école" or "qu'il" becomes a stop word of its own.
func tokens(s string) []token { return tokensWith(s, Term) }

// tokensWith splits s into words whose terms term gives.
func tokensWith(s string, term func(string) string) []token {
	var out []token
	start := -1
	for i, r := range s {
		// A combining mark continues a word; alone, as after a symbol ("≭"
		// decomposed), it starts none: the text and its NFD form then give
		// the same words.
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.Is(unicode.Mn, r))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, token{start: start, end: i, term: term(s[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start: start, end: len(s), term: term(s[start:])})
	}
	return out
}

// Term returns the index term of one word: lower case, accents removed,
// then French stem ("Écoles" and "ecoles" → "ecol"); "" for stop words and
// elisions. Accents go first so that a word typed without them, as on a
// phone, gives the same term: the stemmer would otherwise read "fermée"
// and "fermee" apart.
func Term(word string) string {
	w := folded(word)
	if stopWords[w] || len([]rune(w)) < 2 && !isDigits(w) {
		return ""
	}
	stem := french.Stem(w, false)
	// Without its accent, a feminine ending keeps an e the stemmer would
	// have removed from "ée" ("fermee" → "ferme"): drop it, so that
	// "fermé", "fermée" and "fermes" meet.
	if len(stem) > 3 && strings.HasSuffix(stem, "e") {
		stem = stem[:len(stem)-1]
	}
	// Snowball keeps the s of plurals after u ("menus"): drop it, so that
	// singular and plural meet.
	if len(stem) > 3 && strings.HasSuffix(stem, "us") {
		stem = stem[:len(stem)-1]
	}
	return stem
}

// Terms returns the distinct terms of a query, in order.
func Terms(q string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tokens(q) {
		if t.term != "" && !seen[t.term] {
			seen[t.term] = true
			out = append(out, t.term)
		}
	}
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// Fold removes diacritics as the index does (é → e, ç → c, œ → oe), for
// a capability that compares names itself.
func Fold(s string) string { return fold(s) }

// fold removes diacritics: é → e, ç → c, œ → oe.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stopWords are French words too common to search on, the elided forms
// left by apostrophes, and the words of a question typed in full ("comment
// je peux…"), without their accents as Term compares them.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`au aux avec plus ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y à été être est sont ont a as ai cet cette ceux celle celles lorsqu puisqu jusqu quelqu où là ça the of and to in
		chez devant comment quand quel quelle quels quelles pourquoi voudrais veux peux dois`) {
		m[fold(w)] = true
	}
	return m
}()
