package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"guichet"
)

// HashCost is the work one argon2id hash takes.
type HashCost struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// ProductionHashCost is OWASP's recommendation: 19 MiB, 2 passes, 1 lane.
var ProductionHashCost = HashCost{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	argonSaltLen = 16
	argonKeyLen  = 32
)

// hashCost is what new hashes cost; only a test binary lowers it.
var hashCost atomic.Pointer[HashCost]

// testHashCost is the least work argon2id accepts with one lane.
var testHashCost = HashCost{Memory: 64, Time: 1, Threads: 1}

// UseTestHashCost makes new hashes cost the least argon2id accepts, so
// that test binaries do not spend seconds on the hundreds of hashes their
// fixtures make. It panics outside a test binary: nothing in production
// can lower the cost.
func UseTestHashCost() {
	if !testing.Testing() {
		panic("account: the password hash cost can be lowered only in tests")
	}
	hashCost.Store(&testHashCost)
}

func currentHashCost() HashCost {
	if c := hashCost.Load(); c != nil {
		return *c
	}
	return ProductionHashCost
}

// Password rules of CNIL délibération 2022-100: the entropy computed as
// length × log2(alphabet size) must reach 80 bits.
const (
	MinEntropyBits    = 80
	MaxPasswordLength = 256 // bounds the hashing work an attacker can ask for
	specialAlphabet   = 37  // the CNIL's reference list of special characters
)

// PasswordEntropy returns the entropy of password as the CNIL computes it:
// the number of characters times log2 of the size of the union of the
// character classes used (lower case, upper case, digits, special). The
// result is rounded to the nearest bit, as the CNIL's examples are (12
// characters of the four classes make 80 bits).
func PasswordEntropy(password string) int {
	var lower, upper, digit, special bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			special = true
		}
	}
	alphabet := 0
	for _, c := range []struct {
		used bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {special, specialAlphabet}} {
		if c.used {
			alphabet += c.size
		}
	}
	if alphabet == 0 {
		return 0
	}
	return int(math.Round(float64(utf8.RuneCountInString(password)) * math.Log2(float64(alphabet))))
}

// passwordMessages are the field messages of a refused password, by
// reason.
var passwordMessages = map[string]string{
	"empty":     "Saisissez un mot de passe.",
	"weak":      "Le mot de passe est trop faible : utilisez au moins 12 caractères mêlant majuscules, minuscules, chiffres et caractères spéciaux, ou au moins 14 caractères mêlant majuscules, minuscules et chiffres.",
	"email":     "Le mot de passe ne doit pas contenir votre adresse électronique.",
	"guessable": "Ce mot de passe serait trop facile à deviner : il ressemble à un mot de passe courant, suit les touches du clavier, répète ou enchaîne des caractères, ou reprend votre nom, votre adresse ou le nom du site. Choisissez plutôt une phrase de passe plus longue, par exemple quatre mots sans rapport entre eux, séparés par des tirets.",
}

// ValidatePassword checks password against the CNIL rules, refuses one
// that contains the local part of email, then one that is easy to guess
// (ASVS 6.2.4 and 6.2.11): a common password, a keyboard or alphabet run,
// repeated characters, or words of email, of others (the person's name,
// the collectivité's name) or of the service. The error is EInvalid with a
// message for the field "password".
func ValidatePassword(password, email string, others ...string) error {
	fail := func(msg string) error { return guichet.Invalid(map[string]string{"password": msg}) }
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		return fail(passwordMessages["empty"])
	case n > MaxPasswordLength:
		return fail(fmt.Sprintf("Le mot de passe ne doit pas dépasser %d caractères.", MaxPasswordLength))
	case PasswordEntropy(password) < MinEntropyBits:
		return fail(passwordMessages["weak"])
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && utf8.RuneCountInString(local) >= 3 &&
		strings.Contains(strings.ToLower(password), local) {
		return fail(passwordMessages["email"])
	}
	if guessable(password, append([]string{email}, others...)...) {
		return fail(passwordMessages["guessable"])
	}
	return nil
}

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: salt: %w", err)
	}
	c := currentHashCost()
	key := argon2.IDKey([]byte(password), salt, c.Time, c.Memory, c.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.Memory, c.Time,
		c.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("account: malformed password hash")

// CheckPassword reports whether password matches the PHC-encoded hash,
// using the parameters stored in the hash so that they can be raised later.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the email is unknown, so that a failed
// sign-in costs the same time whether or not the account exists.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("guichet-dummy-password")
	return h
})
