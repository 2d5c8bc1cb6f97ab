package account_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"guichet/internal/identity/account"
)

// FuzzValidateRegistration checks the sign-up form: an accepted email and
// name are trimmed and within their lengths, the email one line of UTF-8
// with a domain, and an accepted password meets the CNIL's rules and does
// not contain the email's name. (Any text is stored alike by both engines:
// see db.StorableText.)
func FuzzValidateRegistration(f *testing.F) {
	f.Add("lea.dubois@example.fr", "Léa Dubois", "Vienne-Rivière-2026!")
	f.Add("  Jean.Martin@Mairie-Montclair.fr ", " Jean-Émile N'Guessan ", "jeanmartin-Vienne-2026!")
	f.Add("a@b", "X", "Aa1!Aa1!Aa1!")
	f.Add("\"a b\"@exemple.fr", "Nom\xff", "Correct-Cheval-Pile-2026")
	f.Add("nom@exemple.fr", "Nom\x00\x1b", "Correct-Cheval-Pile-2026")
	f.Add("é@exemple.fr", strings.Repeat("é", 201), strings.Repeat("aA1!", 65))
	f.Fuzz(func(t *testing.T, email, name, password string) {
		e, n, err := account.ValidateRegistration(email, name, password)
		if err != nil {
			return
		}
		for field, v := range map[string]string{"email": e, "name": n} {
			if v != strings.TrimSpace(v) || v == "" {
				t.Fatalf("accepted %s %q", field, v)
			}
		}
		if !utf8.ValidString(e) || strings.ContainsFunc(e, unicode.IsControl) {
			t.Fatalf("accepted email %q", e)
		}
		if e != strings.TrimSpace(email) || len(e) > 254 || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
			t.Fatalf("accepted email %q as %q", email, e)
		}
		if utf8.RuneCountInString(n) > 200 {
			t.Fatalf("accepted a name of %d characters", utf8.RuneCountInString(n))
		}
		if account.PasswordEntropy(password) < account.MinEntropyBits || utf8.RuneCountInString(password) > account.MaxPasswordLength {
			t.Fatalf("accepted password %q", password)
		}
		if local, _, _ := strings.Cut(strings.ToLower(e), "@"); utf8.RuneCountInString(local) >= 3 &&
			strings.Contains(strings.ToLower(password), local) {
			t.Fatalf("accepted password %q holding the email %q", password, e)
		}
	})
}

// FuzzPasswordEntropy checks the CNIL entropy of passwords typed: never
// negative, and never less for a longer password of the same classes.
func FuzzPasswordEntropy(f *testing.F) {
	for _, s := range []string{"Vienne-Rivière-2026!", "motdepasse", "", "ÉÉÉ", "\xff\xfe", "aA1!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, password string) {
		e := account.PasswordEntropy(password)
		if e < 0 || password == "" && e != 0 {
			t.Fatalf("PasswordEntropy(%q) = %d", password, e)
		}
		if longer := account.PasswordEntropy(password + password); longer < e {
			t.Fatalf("PasswordEntropy(%q) = %d, twice as long %d", password, e, longer)
		}
	})
}
