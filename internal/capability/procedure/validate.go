package procedure

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"guichet/internal/kernel/tenant"
)

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 .\-]{7,18}[0-9]$`)

// phoneDigits reports whether a phone number has as many digits as a
// number can (8 to 15, E.164), whatever separators it is written with.
func phoneDigits(v string) bool {
	n := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 8 && n <= 15
}

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
		errs[ItemCount(fl.Key)] = fmt.Sprintf("Ajoutez au moins un élément à « %s ».", fl.Label)
	case fl.MinItems > 0 && n < fl.MinItems:
		errs[ItemCount(fl.Key)] = fmt.Sprintf("« %s » demande au moins %d éléments.", fl.Label, fl.MinItems)
	case n > fl.itemLimit():
		errs[ItemCount(fl.Key)] = fmt.Sprintf("« %s » accepte au plus %d éléments.", fl.Label, fl.itemLimit())
	}
	for i, item := range a.Items {
		for j := range fl.Fields {
			sub := &fl.Fields[j]
			if msg := sub.Validate(item[sub.Key]); msg != "" {
				errs[ItemName(fl.Key, i, sub.Key)] = fmt.Sprintf("%s (élément %d)", msg, i+1)
			}
		}
	}
}

// Validate returns what is wrong with one answer to the field, or "".
func (fl *Field) Validate(a Answer) string {
	if a.Empty() {
		if fl.Required {
			if fl.Type == File {
				return fmt.Sprintf("Joignez « %s ».", fl.Label)
			}
			return fmt.Sprintf("Renseignez « %s ».", fl.Label)
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
			return fmt.Sprintf("« %s » ne doit pas dépasser %d caractères.", fl.Label, limit)
		} else if n < fl.MinLength {
			return fmt.Sprintf("« %s » doit compter au moins %d caractères.", fl.Label, fl.MinLength)
		}
		if fl.Pattern != "" {
			if re, err := regexp.Compile(`^(?:` + fl.Pattern + `)$`); err == nil && !re.MatchString(v) {
				return fmt.Sprintf("« %s » n'a pas le format attendu.", fl.Label)
			}
		}
	case Number:
		if _, err := parseNumber(v); err != nil {
			return fmt.Sprintf("« %s » doit être un nombre, par exemple 12 ou 3,5.", fl.Label)
		}
		if !fl.withinBounds(v) {
			return fmt.Sprintf("« %s » doit être compris entre %s et %s.", fl.Label, lower(fl), upper(fl))
		}
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return fmt.Sprintf("« %s » doit être une date, par exemple 2026-03-15.", fl.Label)
		}
		if !fl.withinBounds(v) {
			return fmt.Sprintf("« %s » doit être comprise entre %s et %s.", fl.Label, lower(fl), upper(fl))
		}
	case Email:
		if addr, err := mail.ParseAddress(v); err != nil || addr.Address != v || !strings.Contains(v[strings.LastIndex(v, "@"):], ".") {
			return fmt.Sprintf("« %s » doit être une adresse électronique, par exemple nom@exemple.fr.", fl.Label)
		}
	case Phone:
		if !phonePattern.MatchString(v) || !phoneDigits(v) {
			return fmt.Sprintf("« %s » doit être un numéro de téléphone, par exemple 05 49 00 00 00.", fl.Label)
		}
	case Choice:
		if !slices.Contains(fl.Options, v) {
			return fmt.Sprintf("Choisissez une réponse proposée pour « %s ».", fl.Label)
		}
	case YesNo:
		if v != "oui" && v != "non" {
			return fmt.Sprintf("Répondez oui ou non à « %s ».", fl.Label)
		}
	case Multi:
		for _, x := range a.Values {
			if !slices.Contains(fl.Options, x) {
				return fmt.Sprintf("Choisissez des réponses proposées pour « %s ».", fl.Label)
			}
		}
	case SIRET:
		if !tenant.ValidSIRET(v) {
			return fmt.Sprintf("« %s » doit être un numéro SIRET valide de 14 chiffres.", fl.Label)
		}
	case File:
		if len(a.Files) > maxFilesEach {
			return fmt.Sprintf("« %s » accepte au plus %d fichiers.", fl.Label, maxFilesEach)
		}
	}
	return ""
}

// lower and upper are a field's bounds, "…" when open.
func lower(fl *Field) string { return orEllipsis(fl.Min) }
func upper(fl *Field) string { return orEllipsis(fl.Max) }

func orEllipsis(v *string) string {
	if v == nil {
		return "…"
	}
	return *v
}
