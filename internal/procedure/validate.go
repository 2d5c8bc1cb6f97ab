package procedure

import (
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/tenant"
)

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 .\-]{7,18}[0-9]$`)

// ValidatePage checks the shown fields of page p and returns messages by
// HTML input name, for the error summary; nil when all is well.
func (f *Form) ValidatePage(p int, answers Answers) map[string]string {
	errs := map[string]string{}
	if p < 0 || p >= len(f.Pages) {
		return nil
	}
	vis := f.Visible(answers)
	for _, sec := range f.Pages[p].Sections {
		for i := range sec.Fields {
			fl := &sec.Fields[i]
			if !vis.Field(fl.Key) || !fl.HasAnswer() {
				continue
			}
			a := answers[fl.Key]
			if fl.Type == Repeat {
				validateItems(fl, a, errs)
				continue
			}
			if msg := fl.Validate(a); msg != "" {
				errs[InputName(fl.Key)] = msg
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Validate checks every page: what filing a case requires.
func (f *Form) Validate(answers Answers) map[string]string {
	errs := map[string]string{}
	for p := range f.Pages {
		for k, v := range f.ValidatePage(p, answers) {
			errs[k] = v
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// FirstInvalidPage returns the first page with an error, or -1.
func (f *Form) FirstInvalidPage(answers Answers) int {
	for p := range f.Pages {
		if f.ValidatePage(p, answers) != nil {
			return p
		}
	}
	return -1
}

func validateItems(fl *Field, a Answer, errs map[string]string) {
	n := len(a.Items)
	switch {
	case fl.Required && n == 0:
		errs[ItemCount(fl.Key)] = "Ajoutez au moins un élément à « " + fl.Label + " »."
	case fl.MinItems > 0 && n < fl.MinItems:
		errs[ItemCount(fl.Key)] = "« " + fl.Label + " » demande au moins " + itoa(fl.MinItems) + " éléments."
	case n > fl.itemLimit():
		errs[ItemCount(fl.Key)] = "« " + fl.Label + " » accepte au plus " + itoa(fl.itemLimit()) + " éléments."
	}
	for i, item := range a.Items {
		for j := range fl.Fields {
			sub := &fl.Fields[j]
			if msg := sub.Validate(item[sub.Key]); msg != "" {
				errs[ItemName(fl.Key, i, sub.Key)] = msg + " (élément " + itoa(i+1) + ")"
			}
		}
	}
}

// Validate returns what is wrong with one answer to the field, or "".
func (fl *Field) Validate(a Answer) string {
	if a.Empty() {
		if fl.Required {
			if fl.Type == File {
				return "Joignez « " + fl.Label + " »."
			}
			return "Renseignez « " + fl.Label + " »."
		}
		return ""
	}
	v := a.Value
	switch fl.Type {
	case Text, LongText, Address:
		limit := fl.MaxLength
		if limit == 0 {
			limit = map[FieldType]int{Text: 300, Address: 300, LongText: 5000}[fl.Type]
		}
		if n := len([]rune(v)); n > limit {
			return "« " + fl.Label + " » ne doit pas dépasser " + itoa(limit) + " caractères."
		} else if n < fl.MinLength {
			return "« " + fl.Label + " » doit compter au moins " + itoa(fl.MinLength) + " caractères."
		}
		if fl.Pattern != "" {
			if re, err := regexp.Compile(`^(?:` + fl.Pattern + `)$`); err == nil && !re.MatchString(v) {
				return "« " + fl.Label + " » n'a pas le format attendu."
			}
		}
	case Number:
		if _, err := parseNumber(v); err != nil {
			return "« " + fl.Label + " » doit être un nombre, par exemple 12 ou 3,5."
		}
		if !fl.withinBounds(v) {
			return "« " + fl.Label + " » doit être compris entre " + bounds(fl) + "."
		}
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "« " + fl.Label + " » doit être une date, par exemple 2026-03-15."
		}
		if !fl.withinBounds(v) {
			return "« " + fl.Label + " » doit être comprise entre " + bounds(fl) + "."
		}
	case Email:
		if addr, err := mail.ParseAddress(v); err != nil || addr.Address != v || !strings.Contains(v[strings.LastIndex(v, "@"):], ".") {
			return "« " + fl.Label + " » doit être une adresse électronique, par exemple nom@exemple.fr."
		}
	case Phone:
		if !phonePattern.MatchString(v) {
			return "« " + fl.Label + " » doit être un numéro de téléphone, par exemple 05 49 00 00 00."
		}
	case Choice:
		if !slices.Contains(fl.Options, v) {
			return "Choisissez une réponse proposée pour « " + fl.Label + " »."
		}
	case YesNo:
		if v != "oui" && v != "non" {
			return "Répondez oui ou non à « " + fl.Label + " »."
		}
	case Multi:
		for _, x := range a.Values {
			if !slices.Contains(fl.Options, x) {
				return "Choisissez des réponses proposées pour « " + fl.Label + " »."
			}
		}
	case SIRET:
		if !tenant.ValidSIRET(v) {
			return "« " + fl.Label + " » doit être un numéro SIRET valide de 14 chiffres."
		}
	case File:
		if len(a.Files) > maxFilesEach {
			return "« " + fl.Label + " » accepte au plus " + itoa(maxFilesEach) + " fichiers."
		}
	}
	return ""
}

func bounds(fl *Field) string {
	lo, hi := "…", "…"
	if fl.Min != nil {
		lo = *fl.Min
	}
	if fl.Max != nil {
		hi = *fl.Max
	}
	return lo + " et " + hi
}

func itoa(n int) string { return strconv.Itoa(n) }
