package directory

import (
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"guichet"
)

// Limits of an entry's fields, in characters.
const (
	MaxName          = 140
	MaxSummary       = 300
	MaxDescription   = 20000
	MaxAddress       = 200
	MaxCity          = 100
	MaxAccessibility = 1000
	MaxWebsite       = 300
)

var (
	slugPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	postcodePattern = regexp.MustCompile(`^[0-9]{5}$`)
	phonePattern    = regexp.MustCompile(`^(\+33|0)[1-9][0-9]{8}$`)
)

// normalise trims an entry's text fields and fills what follows from
// others (the slug from the name, the default kind, unknown access).
func (e *Entry) normalise() {
	for _, f := range []*string{&e.Name, &e.Slug, &e.Summary, &e.Address, &e.Postcode, &e.City, &e.OpeningHours,
		&e.Phone, &e.Email, &e.Website, &e.SIRET, &e.Accessibility, &e.Kind, &e.Category} {
		*f = strings.TrimSpace(*f)
	}
	e.Description = strings.TrimSpace(strings.ReplaceAll(e.Description, "\r\n", "\n"))
	e.SIRET = strings.ReplaceAll(e.SIRET, " ", "")
	if e.Slug == "" {
		e.Slug = Slugify(e.Name)
	}
	if e.Wheelchair == "" {
		e.Wheelchair = WheelchairUnknown
	}
	if e.Category != "" && e.Kind == "" {
		e.Kind = KindOf(e.Category, "").Key
	}
}

// Validate checks an entry as staff or its manager fill it, with the
// opening hours read by check (which returns them normalised); the
// errors are keyed by field.
func (e *Entry) Validate(check func(string) (string, error)) error {
	e.normalise()
	errs := map[string]string{}
	if e.Name == "" {
		errs["name"] = "Indiquez le nom de l'établissement ou du lieu."
	} else if tooLong(e.Name, MaxName) {
		errs["name"] = "Ce nom est trop long (140 caractères au plus)."
	}
	if !slugPattern.MatchString(e.Slug) || len(e.Slug) > 80 {
		errs["slug"] = "L'adresse de la fiche s'écrit en minuscules sans accent, avec des tirets (80 caractères au plus)."
	}
	if !ValidCategory(e.Category) {
		errs["category"] = "Choisissez la catégorie de la fiche."
	} else if e.Kind != "" && KindOf(e.Category, e.Kind).Key != e.Kind {
		errs["kind"] = "Ce type ne correspond pas à la catégorie choisie."
	}
	if tooLong(e.Summary, MaxSummary) {
		errs["summary"] = "Ce résumé est trop long (300 caractères au plus)."
	}
	if tooLong(e.Description, MaxDescription) {
		errs["description"] = "Cette présentation est trop longue (20 000 caractères au plus)."
	}
	if tooLong(e.Address, MaxAddress) {
		errs["address"] = "Cette adresse est trop longue."
	}
	if tooLong(e.City, MaxCity) {
		errs["city"] = "Ce nom de commune est trop long."
	}
	if tooLong(e.Accessibility, MaxAccessibility) {
		errs["accessibility"] = "Ces précisions sont trop longues (1 000 caractères au plus)."
	}
	if e.Postcode != "" && !postcodePattern.MatchString(e.Postcode) {
		errs["postcode"] = "Le code postal s'écrit en cinq chiffres."
	}
	if e.HasPosition && (e.Lat < -90 || e.Lat > 90 || e.Lon < -180 || e.Lon > 180 || (e.Lat == 0 && e.Lon == 0)) {
		errs["lat"] = "Indiquez une latitude et une longitude en degrés décimaux, par exemple 46.4201 et 0.6012."
	}
	if e.OpeningHours != "" && check != nil {
		h, err := check(e.OpeningHours)
		if err != nil {
			errs["opening_hours"] = guichet.ErrorMessage(err)
		} else {
			e.OpeningHours = h
		}
	}
	if e.Phone != "" && !phonePattern.MatchString(PhoneDigits(e.Phone)) {
		errs["phone"] = "Indiquez un numéro de téléphone français à dix chiffres, par exemple 05 49 12 34 56."
	}
	if e.Email != "" {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email || !strings.Contains(e.Email, ".") {
			errs["email"] = "Indiquez une adresse électronique valide, par exemple contact@exemple.fr."
		}
	}
	if e.Website != "" {
		if u, err := url.Parse(e.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			len(e.Website) > MaxWebsite {
			errs["website"] = "Indiquez l'adresse complète du site, commençant par https://."
		}
	}
	if e.SIRET != "" && !ValidSIRET(e.SIRET) {
		errs["siret"] = "Ce numéro SIRET n'est pas valide : il compte quatorze chiffres dont le dernier est une clé de contrôle."
	}
	if !slices.Contains(WheelchairValues, e.Wheelchair) {
		errs["wheelchair"] = "Choisissez l'accès en fauteuil roulant."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// tooLong reports whether v has more than n characters.
func tooLong(v string, n int) bool { return utf8.RuneCountInString(v) > n }

// PhoneDigits returns a phone number without its spaces, dots and dashes.
func PhoneDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
}

// laPosteSIREN is the one company whose establishments' SIRET do not
// keep the Luhn key: their digits' sum is a multiple of 5.
const laPosteSIREN = "356000000"

// ValidSIRET reports whether s is fourteen digits with a right key.
func ValidSIRET(s string) bool {
	if len(s) != 14 {
		return false
	}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		d := int(r - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if strings.HasPrefix(s, laPosteSIREN) {
		plain := 0
		for _, r := range s {
			plain += int(r - '0')
		}
		return sum%10 == 0 || plain%5 == 0
	}
	return sum%10 == 0
}

// Slugify makes an entry's address from its name: lower case, no
// accents, words joined by dashes.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
			dash = false
		case r == 'æ':
			b.WriteString("ae")
			dash = false
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 80 {
		s = strings.TrimSuffix(s[:80], "-")
	}
	return s
}

// TelURI is a phone number as a tel: link ("tel:+33549123456"), "" when
// it is not a French number.
func TelURI(phone string) string {
	d := PhoneDigits(phone)
	switch {
	case strings.HasPrefix(d, "+33") && len(d) == 12:
		return "tel:" + d
	case strings.HasPrefix(d, "0") && len(d) == 10:
		return "tel:+33" + d[1:]
	}
	return ""
}
