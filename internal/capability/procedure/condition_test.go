package procedure

import (
	"strings"
	"testing"
)

func TestConditionHolds(t *testing.T) {
	t.Parallel()
	ans := Answers{
		"ville":   {Value: "Montclair"},
		"age":     {Value: "7"},
		"prix":    {Value: "3,5"},
		"naiss":   {Value: "2019-05-04"},
		"options": {Values: []string{"cantine", "garderie"}},
		"seul":    {Values: []string{"cantine"}},
		"vide":    {},
		"piece":   {Files: []FileRef{{ID: "f", Name: "a.pdf"}}},
	}
	rows := []struct {
		c    Condition
		want bool
	}{
		{Condition{"ville", Equals, "montclair"}, true},
		{Condition{"ville", Equals, "Sauvigny"}, false},
		{Condition{"ville", NotEquals, "Sauvigny"}, true},
		{Condition{"ville", NotEquals, "Montclair"}, false},
		{Condition{"ville", Contains, "clair"}, true},
		{Condition{"ville", Contains, "vigny"}, false},
		{Condition{"ville", Contains, ""}, false},
		{Condition{"age", Greater, "6"}, true},
		{Condition{"age", Greater, "7"}, false},
		{Condition{"age", Less, "10"}, true},
		{Condition{"age", Equals, "7.0"}, true},
		{Condition{"prix", Greater, "3.4"}, true},
		{Condition{"naiss", Less, "2020-01-01"}, true},
		{Condition{"naiss", Greater, "2020-01-01"}, false},
		{Condition{"ville", Greater, "3"}, false}, // neither number nor date
		{Condition{"options", Contains, "garderie"}, true},
		{Condition{"options", Contains, "etude"}, false},
		{Condition{"options", Equals, "cantine"}, false},
		{Condition{"seul", Equals, "cantine"}, true},
		{Condition{"vide", IsEmpty, ""}, true},
		{Condition{"absent", IsEmpty, ""}, true},
		{Condition{"absent", NotEmpty, ""}, false},
		{Condition{"ville", NotEmpty, ""}, true},
		{Condition{"piece", NotEmpty, ""}, true},
		{Condition{"vide", Greater, "1"}, false},
		{Condition{"vide", Less, "1"}, false},
		{Condition{"ville", "unknown", "x"}, false},
	}
	for _, r := range rows {
		if got := r.c.Holds(ans); got != r.want {
			t.Errorf("%+v: got %v, want %v", r.c, got, r.want)
		}
	}
	var none *Condition
	if !none.Holds(nil) {
		t.Error("no condition must hold")
	}
}

// twoPages builds a form whose second page's section and field depend on
// the first page's answers.
func twoPages(first []Field, sec *Condition, second Field) *Form {
	return &Form{Pages: []Page{
		{Title: "Vous", Sections: []Section{{Title: "Identité", Fields: first}}},
		{Title: "Suite", Sections: []Section{{Title: "Détails", Condition: sec, Fields: []Field{second}}}},
	}}
}

func ptr(s string) *string { return &s }

func TestVisibilityHidesDependents(t *testing.T) {
	t.Parallel()
	f := &Form{Pages: []Page{
		{Title: "1", Sections: []Section{{Fields: []Field{{Key: "a", Type: YesNo, Label: "A"}}}}},
		{Title: "2", Sections: []Section{{Condition: &Condition{"a", Equals, "oui"}, Fields: []Field{{Key: "b", Type: Text, Label: "B"}}}}},
		{Title: "3", Sections: []Section{{Fields: []Field{{Key: "c", Type: Text, Label: "C", Condition: &Condition{"b", NotEmpty, ""}}}}}},
	}}
	v := f.Visible(Answers{"a": {Value: "non"}, "b": {Value: "kept from before"}})
	if v.Field("b") || v.Field("c") {
		t.Fatal("a hidden section must hide its fields and what depends on them")
	}
	if got := f.Shown(Answers{"a": {Value: "non"}, "b": {Value: "x"}}); len(got) != 1 {
		t.Fatalf("Shown kept hidden answers: %v", got)
	}
	v = f.Visible(Answers{"a": {Value: "oui"}, "b": {Value: "x"}})
	if !v.Field("b") || !v.Field("c") {
		t.Fatal("fields must show when their conditions hold")
	}
}

func TestCheckUnreachableRequiredField(t *testing.T) {
	t.Parallel()
	choice := Field{Key: "situation", Type: Choice, Label: "Situation", Required: true, Options: []string{"seul", "couple"}}
	age := Field{Key: "age", Type: Number, Label: "Âge", Required: true, Min: ptr("0"), Max: ptr("120")}
	text := Field{Key: "ville", Type: Text, Label: "Ville"}
	yes := Field{Key: "aide", Type: YesNo, Label: "Aide"}
	multi := Field{Key: "services", Type: Multi, Label: "Services", Options: []string{"cantine", "garderie"}}
	target := func(c *Condition) Field {
		return Field{Key: "detail", Type: Text, Label: "Détail", Required: true, Condition: c}
	}
	rows := []struct {
		name      string
		form      *Form
		reachable bool
	}{
		{"section and field agree", twoPages([]Field{choice}, &Condition{"situation", Equals, "couple"},
			target(&Condition{"situation", NotEquals, "seul"})), true},
		{"section and field contradict", twoPages([]Field{choice}, &Condition{"situation", Equals, "couple"},
			target(&Condition{"situation", Equals, "seul"})), false},
		{"number beyond its maximum", twoPages([]Field{age}, nil, target(&Condition{"age", Greater, "150"})), false},
		{"number within bounds", twoPages([]Field{age}, nil, target(&Condition{"age", Greater, "65"})), true},
		{"between two bounds", twoPages([]Field{age}, &Condition{"age", Greater, "10"}, target(&Condition{"age", Less, "11"})), true},
		{"empty bounds", twoPages([]Field{age}, &Condition{"age", Greater, "10"}, target(&Condition{"age", Less, "10"})), false},
		{"required field never empty", twoPages([]Field{choice}, nil, target(&Condition{"situation", IsEmpty, ""})), false},
		{"optional field may be empty", twoPages([]Field{text}, nil, target(&Condition{"ville", IsEmpty, ""})), true},
		{"contains and not equals", twoPages([]Field{text}, &Condition{"ville", Contains, "mont"},
			target(&Condition{"ville", NotEquals, "mont"})), true},
		{"equals and not equals", twoPages([]Field{text}, &Condition{"ville", Equals, "Montclair"},
			target(&Condition{"ville", NotEquals, "montclair"})), false},
		{"yes and no", twoPages([]Field{yes}, &Condition{"aide", Equals, "oui"}, target(&Condition{"aide", Equals, "non"})), false},
		{"multiple choice both", twoPages([]Field{multi}, &Condition{"services", Contains, "cantine"},
			target(&Condition{"services", Contains, "garderie"})), true},
		{"multiple choice exactly one and the other", twoPages([]Field{multi}, &Condition{"services", Equals, "cantine"},
			target(&Condition{"services", Contains, "garderie"})), false},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			probs := r.form.Check()
			if r.reachable && len(probs) > 0 {
				t.Fatalf("refused: %v", probs)
			}
			if !r.reachable && (len(probs) != 1 || !strings.Contains(probs[0], "Détail")) {
				t.Fatalf("want the unreachable required field reported, got %v", probs)
			}
			if !r.reachable && r.form.CheckError() == nil {
				t.Fatal("CheckError must refuse publication")
			}
		})
	}
}

func TestCheckUnreachableThroughChain(t *testing.T) {
	t.Parallel()
	// c depends on b, which only shows when a is "non"; c wants a "oui".
	f := &Form{Pages: []Page{
		{Title: "1", Sections: []Section{{Fields: []Field{{Key: "a", Type: YesNo, Label: "A", Required: true}}}}},
		{Title: "2", Sections: []Section{{Fields: []Field{{Key: "b", Type: Text, Label: "B", Condition: &Condition{"a", Equals, "non"}}}}}},
		{Title: "3", Sections: []Section{{Condition: &Condition{"a", Equals, "oui"}, Fields: []Field{
			{Key: "c", Type: Text, Label: "C", Required: true, Condition: &Condition{"b", NotEmpty, ""}}}}}},
	}}
	if probs := f.Check(); len(probs) != 1 || !strings.Contains(probs[0], "« C »") {
		t.Fatalf("want C unreachable, got %v", probs)
	}
}

func TestCheckStructure(t *testing.T) {
	t.Parallel()
	page := func(fields ...Field) Page { return Page{Title: "P", Sections: []Section{{Fields: fields}}} }
	rows := []struct {
		name string
		form Form
		want string
	}{
		{"no page", Form{}, "aucune page"},
		{"bad key", Form{Pages: []Page{page(Field{Key: "Nom", Type: Text, Label: "Nom"})}}, "Identifiant de champ invalide"},
		{"duplicate key", Form{Pages: []Page{page(Field{Key: "nom", Type: Text, Label: "Nom"}, Field{Key: "nom", Type: Text, Label: "Nom 2"})}}, "en double"},
		{"one option", Form{Pages: []Page{page(Field{Key: "c", Type: Choice, Label: "C", Options: []string{"a"}})}}, "deux choix"},
		{"unknown field", Form{Pages: []Page{page(Field{Key: "a", Type: Text, Label: "A", Condition: &Condition{"zz", Equals, "x"}})}}, "champ inconnu"},
		{"same page", Form{Pages: []Page{page(Field{Key: "a", Type: Text, Label: "A"}, Field{Key: "b", Type: Text, Label: "B", Condition: &Condition{"a", Equals, "x"}})}}, "page précédente"},
		{"not an option", *twoPages([]Field{{Key: "s", Type: Choice, Label: "S", Options: []string{"x", "y"}}}, nil,
			Field{Key: "d", Type: Text, Label: "D", Condition: &Condition{"s", Equals, "z"}}), "n'est pas un choix"},
		{"greater than text", *twoPages([]Field{{Key: "n", Type: Number, Label: "N"}}, nil,
			Field{Key: "d", Type: Text, Label: "D", Condition: &Condition{"n", Greater, "beaucoup"}}), "ni un nombre"},
		{"file type", Form{Pages: []Page{page(Field{Key: "f", Type: File, Label: "F", Accept: []string{"exe"}})}}, "n'est pas accepté"},
		{"empty block", Form{Pages: []Page{page(Field{Key: "r", Type: Repeat, Label: "R"})}}, "aucun champ"},
		{"required text", Form{Pages: []Page{page(Field{Key: "i", Type: Info, Label: "I", Required: true})}}, "explicatif"},
		{"bad pattern", Form{Pages: []Page{page(Field{Key: "t", Type: Text, Label: "T", Pattern: "("})}}, "expression"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			probs := r.form.Check()
			if !strings.Contains(strings.Join(probs, " | "), r.want) {
				t.Fatalf("want a problem containing %q, got %v", r.want, probs)
			}
		})
	}
}
