package account

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/matching"
	"github.com/trustelem/zxcvbn/scoring"
	"golang.org/x/text/unicode/norm"
)

// MinGuesses is how many guesses, as zxcvbn estimates them, a password
// must be worth: 10^10, its highest class, which an attacker holding a
// copy of the argon2id hashes still cannot reach. Words of common
// passwords, names and keyboard or alphabet runs count for little in the
// estimate, so "Password1234!" (about 2×10^5) is refused and four unrelated
// words pass easily.
const MinGuesses = 1e10

// strengthRunes is how much of a password the estimate reads. Its cost
// grows with the square of the length and with the look-alike symbols
// used (the "l33t" variants it tries): about 15 ms at worst for 20
// characters, a third of the argon2id hash, and the form that checks a
// password is not otherwise limited. A password whose first 20
// characters are worth MinGuesses is strong, whatever follows.
const strengthRunes = 20

// siteWords are the words any password of this service is likely to be
// built around, refused as readily as the person's own name.
var siteWords = []string{"guichet", "mairie", "commune", "ville", "collectivite", "motdepasse",
	"passeport", "rendezvous", "demarche", "citoyen", "habitant", "france", "republique"}

// Years a password is likely to hold.
const firstYear, lastYear = 1920, 2060

// guessable reports whether password is worth fewer than MinGuesses,
// counting the words of personal (email, name, the collectivité's name)
// and siteWords as the most likely words of all.
func guessable(password string, personal ...string) bool {
	return guesses(password, personal...) < MinGuesses
}

// guesses estimates how many guesses password is worth (zxcvbn), given
// the words of personal. It leaves out the library's allowance for the
// number of pieces (10^4 per piece after the first, whatever the pieces),
// which would count "Password.1234!" as four pieces worth 10^12.
func guesses(password string, personal ...string) float64 {
	if !utf8.ValidString(password) {
		return 0
	}
	p := firstRunes(password, strengthRunes)
	return scoring.MostGuessableMatchSequence(p, matching.Omnimatch(p, userWords(personal)), true).Guesses
}

// firstRunes returns at most n runes of s.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// userWords splits the person's details into the words a password would
// borrow from them: "jeanne.martin@exemple.fr" gives "jeanne.martin",
// "jeanne", "martin" and "exemple"; accented words also come unaccented.
// The service's words and the years follow, ranked after them.
func userWords(personal []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		w = strings.ToLower(strings.TrimSpace(w))
		for _, v := range []string{w, unaccented(w)} {
			if utf8.RuneCountInString(v) >= 3 && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	for _, p := range personal {
		local, domain, isEmail := strings.Cut(p, "@")
		add(local)
		for _, w := range strings.FieldsFunc(local, notLetterOrDigit) {
			add(w)
		}
		if isEmail {
			labels := strings.Split(domain, ".")
			for _, l := range labels[:max(len(labels)-1, 1)] {
				add(l)
			}
		}
	}
	return append(out, commonWords...)
}

// commonWords are siteWords, then the years a password is likely to
// hold: the library knows years up to 2019 only, while a birth year or
// this year is one of a few hundred guesses.
var commonWords = func() []string {
	out := append([]string(nil), siteWords...)
	for y := firstYear; y <= lastYear; y++ {
		out = append(out, strconv.Itoa(y))
	}
	return out
}()

func notLetterOrDigit(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// unaccented drops the accents of s: "hélène" becomes "helene".
func unaccented(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
