package tableschema

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cell is what the custom checks know of one field on a row.
type cell struct {
	raw string
	// absent: the column or the cell is missing, already reported.
	absent bool
	// filled: present and not one of the missing values.
	filled bool
	// ok: filled and read as its field's type; a cell that failed its
	// type is reported once, by the field, and skipped by the checks
	// that need a value (as validata, whose rows hold no value there).
	ok bool
}

// check is a custom check bound to the schema's fields: run returns why
// the row breaks it, or "".
type check struct {
	name   string
	column string
	run    func(cells []cell) string
}

var checkNames = []string{
	"french-siret-value",
	"year-interval-value",
	"cohesive-columns-value",
	"compare-columns-value",
	"sum-columns-value",
	"nomenclature-actes-value",
}

func compileCheck(p *plan, c CustomCheck) (check, error) {
	if !slices.Contains(checkNames, c.Name) {
		return check{}, errors.New("unknown custom check")
	}
	ps := params{values: c.Params, plan: p, used: map[string]bool{}}
	column, err := ps.field("column")
	if err != nil {
		return check{}, err
	}
	chk := check{name: c.Name, column: p.fields[column].Name}
	switch c.Name {
	case "french-siret-value":
		chk.run = func(cells []cell) string {
			if !cells[column].ok {
				return ""
			}
			return siretProblem(cells[column].raw)
		}
	case "year-interval-value":
		allow, err := ps.text("allow-year-only", false)
		if err != nil {
			return chk, err
		}
		if allow != "" && allow != "yes" && allow != "no" {
			return chk, fmt.Errorf("allow-year-only is %q, not yes or no", allow)
		}
		chk.run = func(cells []cell) string {
			if !cells[column].ok {
				return ""
			}
			return yearIntervalProblem(cells[column].raw, allow == "yes")
		}
	case "cohesive-columns-value":
		others, err := ps.fields("othercolumns")
		if err != nil {
			return chk, err
		}
		all := append([]int{column}, others...)
		chk.run = func(cells []cell) string { return cohesionProblem(p, all, cells) }
	case "compare-columns-value":
		op, err := ps.text("op", true)
		if err != nil {
			return chk, err
		}
		holds, known := comparisons[op]
		if !known {
			return chk, fmt.Errorf("unknown op %q", op)
		}
		other, err := ps.field("column2")
		if err != nil {
			return chk, err
		}
		chk.run = func(cells []cell) string {
			a, b := cells[column], cells[other]
			if !a.ok || !b.ok {
				return ""
			}
			return compareProblem(a.raw, op, b.raw, p.fields[other].Name, holds)
		}
	case "sum-columns-value":
		summed, err := ps.fields("columns")
		if err != nil {
			return chk, err
		}
		chk.run = func(cells []cell) string {
			if !cells[column].ok {
				return ""
			}
			for _, i := range summed {
				if !cells[i].ok {
					return ""
				}
			}
			return sumProblem(p, cells, column, summed)
		}
	case "nomenclature-actes-value":
		chk.run = func(cells []cell) string {
			if !cells[column].ok {
				return ""
			}
			return matiereProblem(cells[column].raw)
		}
	default:
		return chk, errors.New("unknown custom check")
	}
	return chk, ps.unknown()
}

// params reads a custom check's parameters, each once; one never read is
// a parameter this package does not know, so Load fails on it.
type params struct {
	values map[string]any
	plan   *plan
	used   map[string]bool
}

func (ps *params) text(name string, required bool) (string, error) {
	ps.used[name] = true
	v, found := ps.values[name]
	if !found {
		if required {
			return "", fmt.Errorf("parameter %s is missing", name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("parameter %s is not a string", name)
	}
	return s, nil
}

func (ps *params) field(name string) (int, error) {
	s, err := ps.text(name, true)
	if err != nil {
		return 0, err
	}
	i, ok := ps.plan.index[s]
	if !ok {
		return 0, fmt.Errorf("parameter %s names %q, which is not a field", name, s)
	}
	return i, nil
}

func (ps *params) fields(name string) ([]int, error) {
	ps.used[name] = true
	list, ok := ps.values[name].([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("parameter %s is not a list of columns", name)
	}
	var out []int
	for _, v := range list {
		s, _ := v.(string)
		i, ok := ps.plan.index[s]
		if !ok {
			return nil, fmt.Errorf("parameter %s names %v, which is not a field", name, v)
		}
		out = append(out, i)
	}
	return out, nil
}

func (ps *params) unknown() error {
	var extra []string
	for name := range ps.values {
		if !ps.used[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return fmt.Errorf("unknown parameters %s", strings.Join(extra, ", "))
	}
	return nil
}

// laPosteHeadOffice is the one SIRET of La Poste that keeps the Luhn
// key; its establishments' keys make the digits' sum a multiple of 5.
const (
	laPosteSIREN      = "356000000"
	laPosteHeadOffice = "35600000000048"
)

func siretProblem(s string) string {
	if len(s) != 14 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Sprintf("%s is not 14 digits", quote(s))
	}
	if strings.HasPrefix(s, laPosteSIREN) && s != laPosteHeadOffice {
		sum := 0
		for _, d := range []byte(s) {
			sum += int(d - '0')
		}
		if sum%5 != 0 {
			return fmt.Sprintf("%s: the digits of a La Poste SIRET sum to a multiple of 5", s)
		}
		return ""
	}
	if !luhn(s[:9]) {
		return fmt.Sprintf("%s: the SIREN's key is wrong", s)
	}
	if !luhn(s) {
		return fmt.Sprintf("%s: the SIRET's key is wrong", s)
	}
	return ""
}

// luhn tells whether the digits end with a right Luhn key: from the
// right, every second digit doubled (less 9 past 9), the sum a multiple
// of 10.
func luhn(digits string) bool {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

var (
	yearOnly     = regexp.MustCompile(`^([0-9]{4})$`)
	yearInterval = regexp.MustCompile(`^([0-9]{4})/([0-9]{4})$`)
)

func yearIntervalProblem(s string, allowYearOnly bool) string {
	if m := yearInterval.FindStringSubmatch(s); m != nil {
		first, _ := strconv.Atoi(m[1])
		second, _ := strconv.Atoi(m[2])
		if second != first+1 {
			return fmt.Sprintf("%s: the second year must follow the first", s)
		}
		return ""
	}
	if yearOnly.MatchString(s) {
		if allowYearOnly {
			return ""
		}
		return fmt.Sprintf("%s: expected YYYY/YYYY", s)
	}
	if allowYearOnly {
		return fmt.Sprintf("%s: expected YYYY or YYYY/YYYY", quote(s))
	}
	return fmt.Sprintf("%s: expected YYYY/YYYY", quote(s))
}

func cohesionProblem(p *plan, columns []int, cells []cell) string {
	var filled, empty []string
	for _, i := range columns {
		switch {
		case cells[i].absent:
			return ""
		case cells[i].filled:
			filled = append(filled, p.fields[i].Name)
		default:
			empty = append(empty, p.fields[i].Name)
		}
	}
	if len(filled) == 0 || len(empty) == 0 {
		return ""
	}
	return fmt.Sprintf("filled: %s; empty: %s (all or none)", strings.Join(filled, ", "), strings.Join(empty, ", "))
}

var comparisons = map[string]func(c int) bool{
	">":  func(c int) bool { return c > 0 },
	">=": func(c int) bool { return c >= 0 },
	"<":  func(c int) bool { return c < 0 },
	"<=": func(c int) bool { return c <= 0 },
	"==": func(c int) bool { return c == 0 },
}

// compareProblem compares as numbers when both are, else as dates.
func compareProblem(a, op, b, bName string, holds func(int) bool) string {
	var c int
	na, aNum := parseNumber(a)
	nb, bNum := parseNumber(b)
	da, aDate := parseDate(a)
	db, bDate := parseDate(b)
	switch {
	case aNum && bNum:
		c = compareFloats(na, nb)
	case aDate && bDate:
		c = da.Compare(db)
	default:
		return fmt.Sprintf("%s and %s (%s) are not comparable", quote(a), quote(b), bName)
	}
	if holds(c) {
		return ""
	}
	return fmt.Sprintf("%s must be %s %s (%s)", a, op, b, bName)
}

func compareFloats(a, b float64) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

func sumProblem(p *plan, cells []cell, column int, summed []int) string {
	total, ok := parseNumber(cells[column].raw)
	if !ok {
		return fmt.Sprintf("%s is not a number", quote(cells[column].raw))
	}
	sum := 0.0
	var names []string
	for _, i := range summed {
		n, ok := parseNumber(cells[i].raw)
		if !ok {
			return fmt.Sprintf("%s (%s) is not a number", quote(cells[i].raw), p.fields[i].Name)
		}
		sum += n
		names = append(names, p.fields[i].Name)
	}
	// Decimals do not add exactly in binary; a difference this small is
	// rounding, not a wrong total.
	if math.Abs(total-sum) <= 1e-9*max(1, math.Abs(total), math.Abs(sum)) {
		return ""
	}
	return fmt.Sprintf("%s is not the sum of %s (%s)", cells[column].raw, strings.Join(names, " + "),
		strconv.FormatFloat(sum, 'f', -1, 64))
}

// matieres are the nine headings of the ACTES nomenclature, folded.
var matieres = func() []string {
	var out []string
	for _, m := range []string{
		"Commande publique",
		"Urbanisme",
		"Domaine et patrimoine",
		"Fonction publique",
		"Institutions et vie politique",
		"Libertés publiques et pouvoirs de police",
		"Finances locales",
		"Domaines de compétences par thèmes",
		"Autres domaines de compétences",
	} {
		out = append(out, fold(m))
	}
	return out
}()

func matiereProblem(s string) string {
	head, _, _ := strings.Cut(s, "/")
	if slices.Contains(matieres, fold(head)) {
		return ""
	}
	return fmt.Sprintf("%s is not a matière of the ACTES nomenclature", quote(head))
}

// fold drops case, accents and surrounding spaces.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// quote shows a value in a message, shortened when long.
func quote(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return strconv.Quote(s)
}
