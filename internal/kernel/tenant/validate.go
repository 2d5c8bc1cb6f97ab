package tenant

import (
	"regexp"
	"strings"
	"time"

	"guichet"
)

var (
	slugPattern  = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$`)
	inseePattern = regexp.MustCompile(`^(?:\d{5}|2[AB]\d{3})$`)
	colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	hostPattern  = regexp.MustCompile(`^[a-z0-9.-]+$`)
)

// Validate checks t's fields and returns an EInvalid error naming each bad one.
func (t *Tenant) Validate() error {
	bad := map[string]string{}
	if !slugPattern.MatchString(t.Slug) || t.Slug == PlatformID {
		bad["slug"] = "Identifiant : lettres minuscules, chiffres et tirets (2 à 48 caractères)."
	}
	if strings.TrimSpace(t.Name) == "" {
		bad["name"] = "Le nom est obligatoire."
	}
	if !validKind(t.Kind) {
		bad["kind"] = "Choisissez un type de collectivité."
	}
	if t.INSEE != "" && !inseePattern.MatchString(t.INSEE) {
		bad["insee"] = "Le code INSEE compte 5 caractères (par exemple 54084 ou 2A004)."
	}
	if t.SIRET != "" && !ValidSIRET(t.SIRET) {
		bad["siret"] = "Le SIRET compte 14 chiffres et sa clé de contrôle doit être valide."
	}
	if _, err := time.LoadLocation(t.TimeZone); err != nil || t.TimeZone == "" {
		bad["time_zone"] = "Fuseau horaire inconnu (par exemple Europe/Paris)."
	}
	for field, c := range map[string]string{"color_primary": t.ColorPrimary, "color_accent": t.ColorAccent} {
		if !colorPattern.MatchString(c) {
			bad[field] = "Couleur au format #rrggbb."
		}
	}
	// Both colours meet white: the primary behind white text (header,
	// buttons), the accent as text or border on the white page.
	if bad["color_primary"] == "" && Contrast(t.ColorPrimary, "#ffffff") < MinContrast {
		bad["color_primary"] = contrastMessage("Le texte blanc sur la couleur principale", t.ColorPrimary)
	}
	if bad["color_accent"] == "" && Contrast(t.ColorAccent, "#ffffff") < MinContrast {
		bad["color_accent"] = contrastMessage("La couleur d'accent sur fond blanc", t.ColorAccent)
	}
	for _, h := range t.Hosts {
		if !hostPattern.MatchString(h) {
			bad["hosts"] = "Nom d'hôte invalide : " + h
		}
	}
	if len(bad) > 0 {
		return guichet.Invalid(bad)
	}
	return nil
}

func validKind(k string) bool {
	for _, kind := range Kinds {
		if kind.Value == k {
			return true
		}
	}
	return false
}

// ValidSIRET checks a SIRET's 14 digits: the Luhn key of the SIREN (its
// first nine) and of the whole number, as INSEE defines them. La Poste's
// establishments, sharing one SIREN, sum their digits to a multiple of 5
// instead (its head office, 35600000000048, keeps the rule).
func ValidSIRET(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 14 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	if strings.HasPrefix(s, "356000000") && s != "35600000000048" {
		sum := 0
		for _, c := range s {
			sum += int(c - '0')
		}
		return sum%5 == 0
	}
	return luhn(s[:9]) && luhn(s)
}

// luhn reports whether digits end with their Luhn key: from the right,
// every second digit doubled, the sum a multiple of 10.
func luhn(digits string) bool {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// applyDefaults fills empty optional fields.
func (t *Tenant) applyDefaults() {
	t.Slug = strings.ToLower(strings.TrimSpace(t.Slug))
	t.SIRET = strings.ReplaceAll(t.SIRET, " ", "")
	if t.TimeZone == "" {
		t.TimeZone = defaultTimeZone
	}
	if t.Kind == "" {
		t.Kind = KindCommune
	}
	if t.ColorPrimary == "" {
		t.ColorPrimary = "#1d4f91"
	}
	if t.ColorAccent == "" {
		t.ColorAccent = "#8a2b0e"
	}
	if len(t.Languages) == 0 {
		t.Languages = strings.Split(defaultLanguages, ",")
	}
	if t.Status == "" {
		t.Status = StatusActive
	}
	for i, h := range t.Hosts {
		t.Hosts[i] = NormalizeHost(h)
	}
}
