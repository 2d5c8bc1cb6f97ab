package publishing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"guichet/internal/kernel/db"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify makes a URL path segment of a title: "Fête de l'été" →
// "fete-de-l-ete", at most 80 characters.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(title)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
			dash = false
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "contenu"
	}
	return s
}

// Resuffix returns another slug for one already taken: slug, cut to 70
// characters, and a random suffix.
func Resuffix(slug string) string {
	if len(slug) > 70 {
		slug = slug[:70]
	}
	var b [3]byte
	_, _ = rand.Read(b[:])
	return slug + "-" + hex.EncodeToString(b[:])
}

// InsertWithSlug runs insert in a transaction of its own, retrying with a
// suffixed slug (up to three times) while the slug is taken in the
// collectivité, so that two items of the same title both get an address.
func InsertWithSlug(ctx context.Context, d *db.DB, slug *string, insert func(tx *db.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := d.InTx(ctx, insert)
		if err == nil || !db.IsUniqueViolation(err) || attempt == 3 {
			return err
		}
		*slug = Resuffix(*slug)
	}
}
