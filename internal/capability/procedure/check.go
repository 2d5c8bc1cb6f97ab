package procedure

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/files"
)

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Check is the publication check: it returns every problem that keeps the
// form from being published, in French, or nil. Above all it refuses a
// required field that no answers can ever show.
func (f *Form) Check() []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if len(f.Pages) == 0 {
		add("Le formulaire n'a aucune page.")
	}
	all := f.fields()
	seen := map[string]bool{}
	for p, page := range f.Pages {
		if strings.TrimSpace(page.Title) == "" {
			add("La page %d n'a pas de titre.", p+1)
		}
		if len(page.Sections) == 0 {
			add("La page %d n'a aucune section.", p+1)
		}
		for _, sec := range page.Sections {
			if sec.Condition != nil {
				checkCondition(sec.Condition, p, "la section « "+sec.Title+" »", all, add)
			}
			for i := range sec.Fields {
				checkField(&sec.Fields[i], seen, add)
				if c := sec.Fields[i].Condition; c != nil {
					checkCondition(c, p, "le champ « "+sec.Fields[i].Label+" »", all, add)
				}
			}
		}
	}
	if len(probs) == 0 {
		probs = append(probs, f.unreachable()...)
	}
	return probs
}

// CheckError returns the publication check's problems as an EInvalid error.
func (f *Form) CheckError() error {
	probs := f.Check()
	if len(probs) == 0 {
		return nil
	}
	return guichet.Errorf(guichet.EInvalid, "Publication impossible : %s", strings.Join(probs, " "))
}

func checkField(fl *Field, seen map[string]bool, add func(string, ...any)) {
	if !keyPattern.MatchString(fl.Key) {
		add("Identifiant de champ invalide : %q (lettres minuscules, chiffres, _).", fl.Key)
	} else if seen[fl.Key] {
		add("Identifiant de champ en double : %q.", fl.Key)
	}
	seen[fl.Key] = true
	if strings.TrimSpace(fl.Label) == "" {
		add("Le champ %q n'a pas de libellé.", fl.Key)
	}
	switch fl.Type {
	case Choice, Multi:
		if len(fl.Options) < 2 {
			add("Le champ « %s » doit proposer au moins deux choix.", fl.Label)
		}
		for i, o := range fl.Options {
			if strings.TrimSpace(o) == "" || slices.Contains(fl.Options[:i], o) {
				add("Le champ « %s » a un choix vide ou en double.", fl.Label)
			}
		}
	case Repeat:
		if len(fl.Fields) == 0 {
			add("Le bloc « %s » ne contient aucun champ.", fl.Label)
		}
		if fl.MaxItems > 0 && fl.MinItems > fl.MaxItems {
			add("Le bloc « %s » demande plus d'éléments au minimum qu'au maximum.", fl.Label)
		}
		inner := map[string]bool{}
		for i := range fl.Fields {
			sub := &fl.Fields[i]
			if sub.Condition != nil {
				add("Le champ « %s » du bloc « %s » ne peut pas avoir de condition.", sub.Label, fl.Label)
			}
			if sub.Type == File {
				add("Un bloc répétable ne contient pas de pièce jointe : « %s ».", sub.Label)
			}
			checkField(sub, inner, add)
		}
	case File:
		if fl.MaxSize < 0 || fl.MaxSize > MaxFileSize {
			add("La taille maximale de « %s » doit être comprise entre 1 octet et %d Mo.", fl.Label, MaxFileSize>>20)
		}
		for _, ext := range fl.Accept {
			if !files.Allowed(ext) {
				add("Le type de fichier %q de « %s » n'est pas accepté.", ext, fl.Label)
			}
		}
	case Number:
		for _, b := range ptrs(fl.Min, fl.Max) {
			if _, err := parseNumber(b); err != nil {
				add("Les bornes de « %s » doivent être des nombres, par exemple 0 ou 12,5.", fl.Label)
				break
			}
		}
	case Info:
		if fl.Required {
			add("Un texte explicatif ne peut pas être obligatoire : « %s ».", fl.Label)
		}
	}
	if fl.Pattern != "" {
		if _, err := regexp.Compile(fl.Pattern); err != nil {
			add("L'expression de validation de « %s » est invalide.", fl.Label)
		}
	}
	if fl.Min != nil && fl.Max != nil {
		if n := compare(*fl.Min, *fl.Max); n != nil && *n > 0 {
			add("Le minimum de « %s » dépasse son maximum.", fl.Label)
		}
	}
}

func checkCondition(c *Condition, page int, what string, all map[string]located, add func(string, ...any)) {
	ref, ok := all[c.Field]
	switch {
	case !ok:
		add("La condition de %s porte sur un champ inconnu (%q).", what, c.Field)
		return
	case ref.Page >= page:
		add("La condition de %s doit porter sur un champ d'une page précédente (%q).", what, c.Field)
		return
	case !slices.Contains(Ops, c.Op):
		add("La condition de %s a une comparaison inconnue (%q).", what, c.Op)
		return
	case ref.Field.Type == Info:
		add("La condition de %s porte sur un texte explicatif.", what)
		return
	}
	needsValue := c.Op != IsEmpty && c.Op != NotEmpty
	if needsValue && strings.TrimSpace(c.Value) == "" {
		add("La condition de %s n'a pas de valeur de comparaison.", what)
	}
	if (c.Op == Greater || c.Op == Less) && compare(c.Value, c.Value) == nil {
		add("La condition de %s compare à %q, qui n'est ni un nombre ni une date.", what, c.Value)
	}
	if needsValue && (ref.Field.Type == Choice || ref.Field.Type == Multi) && !slices.Contains(ref.Field.Options, c.Value) {
		add("La condition de %s compare à %q, qui n'est pas un choix de « %s ».", what, c.Value, ref.Field.Label)
	}
	if needsValue && (ref.Field.Type == File || ref.Field.Type == Repeat) {
		add("La condition de %s ne peut que tester si « %s » est rempli.", what, ref.Field.Label)
	}
}

// maxCombinations bounds the search of unreachable fields; past it a
// field is given the benefit of the doubt.
const maxCombinations = 200000

// unreachable lists the required fields that no answers can show: it
// tries, for the fields their conditions depend on, every value that
// matters to those conditions, each within that field's own rules.
func (f *Form) unreachable() []string {
	all := f.fields()
	order := f.order()
	constants := map[string][]string{}
	f.conditions(func(c *Condition) { constants[c.Field] = append(constants[c.Field], c.Value) })
	var probs []string
	for p := range f.Pages {
		for s := range f.Pages[p].Sections {
			sec := &f.Pages[p].Sections[s]
			for i := range sec.Fields {
				fl := &sec.Fields[i]
				if !fl.Required || (sec.Condition == nil && fl.Condition == nil) {
					continue
				}
				deps := f.dependencies(fl, sec, all)
				if !f.reachable(fl.Key, deps, order, all, constants) {
					probs = append(probs, fmt.Sprintf("Le champ obligatoire « %s » ne peut jamais être affiché : ses conditions se contredisent.", fl.Label))
				}
			}
		}
	}
	return probs
}

// order gives each top-level field its position in the form.
func (f *Form) order() map[string]int {
	out, n := map[string]int{}, 0
	f.Each(func(_ *Section, fl *Field) { out[fl.Key] = n; n++ })
	return out
}

func (f *Form) conditions(fn func(*Condition)) {
	for _, p := range f.Pages {
		for _, s := range p.Sections {
			if s.Condition != nil {
				fn(s.Condition)
			}
			for _, fl := range s.Fields {
				if fl.Condition != nil {
					fn(fl.Condition)
				}
			}
		}
	}
}

func (f *Form) sectionOf(key string) *Section {
	var out *Section
	f.Each(func(sec *Section, fl *Field) {
		if fl.Key == key {
			out = sec
		}
	})
	return out
}

// dependencies returns the keys whose answers decide whether fl shows,
// directly or through the conditions of those fields in turn.
func (f *Form) dependencies(fl *Field, sec *Section, all map[string]located) []string {
	seen := map[string]bool{}
	var visit func(c *Condition)
	visit = func(c *Condition) {
		if c == nil || seen[c.Field] {
			return
		}
		seen[c.Field] = true
		ref := all[c.Field]
		visit(ref.Field.Condition)
		visit(f.sectionOf(c.Field).Condition)
	}
	visit(sec.Condition)
	visit(fl.Condition)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	return keys
}

// reachable searches answers to deps under which target is shown.
func (f *Form) reachable(target string, deps []string, order map[string]int, all map[string]located, constants map[string][]string) bool {
	slices.SortFunc(deps, func(a, b string) int { return order[a] - order[b] })
	cands := make([][]Answer, len(deps))
	total := 1
	for i, k := range deps {
		cands[i] = candidates(all[k].Field, constants[k])
		total *= len(cands[i])
		if total > maxCombinations {
			return true
		}
	}
	idx := make([]int, len(deps))
	for {
		answers := Answers{}
		for i, k := range deps {
			answers[k] = cands[i][idx[i]]
		}
		if vis := f.Visible(answers); vis.Field(target) && consistent(deps, answers, vis, all) {
			return true
		}
		i := 0
		for ; i < len(idx); i++ {
			idx[i]++
			if idx[i] < len(cands[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(idx) {
			return false
		}
	}
}

// consistent reports whether answers could really be given: a shown
// required field is never empty.
func consistent(deps []string, answers Answers, vis Visibility, all map[string]located) bool {
	for _, k := range deps {
		if vis.Field(k) && all[k].Field.Required && answers[k].Empty() {
			return false
		}
	}
	return true
}

// candidates lists answers of fl that together meet or miss every
// comparison to consts, each allowed by fl's own rules. The empty answer
// is always one: a hidden field is empty whatever its rules.
func candidates(fl *Field, consts []string) []Answer {
	out := []Answer{{}}
	addValue := func(v string) {
		if v == "" {
			return
		}
		if fl.withinBounds(v) {
			out = append(out, Answer{Value: v})
		}
	}
	switch fl.Type {
	case Choice:
		for _, o := range fl.Options {
			addValue(o)
		}
	case YesNo:
		addValue("oui")
		addValue("non")
	case Multi:
		if len(fl.Options) <= 8 {
			for mask := 1; mask < 1<<len(fl.Options); mask++ {
				var vals []string
				for i, o := range fl.Options {
					if mask&(1<<i) != 0 {
						vals = append(vals, o)
					}
				}
				out = append(out, Answer{Values: vals})
			}
		} else {
			for _, o := range fl.Options {
				out = append(out, Answer{Values: []string{o}})
			}
			out = append(out, Answer{Values: fl.Options})
		}
	case File:
		out = append(out, Answer{Files: []FileRef{{ID: "x", Name: "x"}}})
	case Repeat:
		out = append(out, Answer{Items: []Answers{{}}})
	case Number:
		addValue("0")
		for _, c := range consts {
			if x, err := parseNumber(c); err == nil {
				for _, d := range []float64{x - 1, x - 0.5, x, x + 0.5, x + 1} {
					addValue(strconv.FormatFloat(d, 'f', -1, 64))
				}
			}
		}
		for _, b := range []*string{fl.Min, fl.Max} {
			if b != nil {
				addValue(*b)
			}
		}
	case Date:
		addValue(sampleDate)
		for _, c := range append(consts, ptrs(fl.Min, fl.Max)...) {
			if d, err := time.Parse(time.DateOnly, c); err == nil {
				for _, n := range []int{-1, 0, 1} {
					addValue(d.AddDate(0, 0, n).Format(time.DateOnly))
				}
			}
		}
	default:
		addValue("valeur-libre")
		addValue(strings.Join(consts, " "))
		for _, c := range consts {
			addValue(c)
		}
	}
	return out
}

func ptrs(ps ...*string) []string {
	var out []string
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// withinBounds reports whether v respects the field's minimum and maximum;
// a value that cannot be compared with a bound is outside it.
func (fl *Field) withinBounds(v string) bool {
	if fl.Min != nil {
		if n := compare(v, *fl.Min); n == nil || *n < 0 {
			return false
		}
	}
	if fl.Max != nil {
		if n := compare(v, *fl.Max); n == nil || *n > 0 {
			return false
		}
	}
	return true
}

// sampleDate stands for "some day" when the check tries a date field's
// answers; conditions compare dates with constants, tried around each.
const sampleDate = "2026-01-15"
