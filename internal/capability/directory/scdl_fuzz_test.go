package directory

import (
	"regexp"
	"testing"
	"unicode/utf8"
)

// The SCDL équipements schema's patterns for the address's parts, as the
// validator anchors them.
var (
	schemaStreet  = regexp.MustCompile(`^[a-zA-Z0-9\-'\s\x{00C0}-\x{00FF}]+$`)
	schemaCommune = regexp.MustCompile(`^[A-Za-z\s\-\x{00C0}-\x{00FF}]+$`)
	ourNumber     = regexp.MustCompile(`^(99999|[0-9]+( (bis|ter|quater|a|b|c))?)$`)
)

// FuzzSCDLAddress: whatever staff type as an address or a commune, the
// export's number, street and commune are empty or what the schema's
// patterns allow.
func FuzzSCDLAddress(f *testing.F) {
	for _, s := range []string{"12 bis, rue de l’Église", "Lieu-dit Les Granges", "3 place du 8-Mai-1945", "7 Rue de l'Œuvre",
		"12 A", "", "  ,", "Saint-Jean-d'Angély", "Zone (bâtiment B) n°4", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the database keeps text only
		}
		number, street := splitAddress(s)
		if !ourNumber.MatchString(number) {
			t.Errorf("number %q of %q", number, s)
		}
		if street != "" && !schemaStreet.MatchString(street) {
			t.Errorf("street %q of %q", street, s)
		}
		if c := scdlCommune(s); c != "" && !schemaCommune.MatchString(c) {
			t.Errorf("commune %q of %q", c, s)
		}
	})
}
