package reports_test

import (
	"reflect"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/capability/reports"
)

var lamp = &reports.Category{Questions: []reports.Question{
	{Code: "numero", Label: "Numéro du lampadaire", Datatype: reports.TypeString},
	{Code: "hauteur", Label: "Hauteur", Datatype: reports.TypeNumber},
	{Code: "depuis", Label: "Depuis quand", Datatype: reports.TypeDatetime},
	{Code: "etat", Label: "État", Datatype: reports.TypeSingle, Required: true,
		Values: []reports.Choice{{Key: "eteint", Name: "Éteint"}, {Key: "clignote", Name: "Clignote"}}},
	{Code: "risques", Label: "Risques", Datatype: reports.TypeMulti,
		Values: []reports.Choice{{Key: "pietons", Name: "Piétons"}, {Key: "velos", Name: "Vélos"}}},
	{Code: "details", Label: "Détails", Datatype: reports.TypeText},
}}

func TestCheckAnswers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		in    reports.Answers
		want  reports.Answers
		field string // the field in error, with want nil
		msg   string // part of its message
	}{
		{"required and optional", reports.Answers{"etat": {" eteint "}, "numero": {"L-42"}, "inconnue": {"x"}},
			reports.Answers{"etat": {"eteint"}, "numero": {"L-42"}}, "", ""},
		{"numbers written the French way", reports.Answers{"etat": {"eteint"}, "hauteur": {"2,5"}},
			reports.Answers{"etat": {"eteint"}, "hauteur": {"2.5"}}, "", ""},
		{"dates", reports.Answers{"etat": {"eteint"}, "depuis": {"2026-05-14T21:30"}},
			reports.Answers{"etat": {"eteint"}, "depuis": {"2026-05-14T21:30"}}, "", ""},
		{"several choices, once each", reports.Answers{"etat": {"clignote"}, "risques": {"velos", "pietons", "velos"}},
			reports.Answers{"etat": {"clignote"}, "risques": {"velos", "pietons"}}, "", ""},
		{"required missing", reports.Answers{"etat": {"  "}}, nil, "etat", "Répondez à la question « État »"},
		{"not a number", reports.Answers{"etat": {"eteint"}, "hauteur": {"haut"}}, nil, "hauteur", "attend un nombre"},
		{"not a date", reports.Answers{"etat": {"eteint"}, "depuis": {"hier"}}, nil, "depuis", "attend une date"},
		{"unknown choice", reports.Answers{"etat": {"casse"}}, nil, "etat", "Choisissez une réponse de la liste"},
		{"two answers to one", reports.Answers{"etat": {"eteint", "clignote"}}, nil, "etat", "une seule réponse"},
		{"text too long", reports.Answers{"etat": {"eteint"}, "details": {strings.Repeat("é", 2001)}}, nil, "details", "2 000"},
	} {
		got, errs := lamp.CheckAnswers(c.in)
		if c.field == "" {
			if errs != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: %v, %v; want %v", c.name, got, errs, c.want)
			}
			continue
		}
		msg := errs[reports.AnswerField(c.field)]
		if got != nil || !strings.Contains(strings.ReplaceAll(msg, "\u00a0", " "), c.msg) {
			t.Errorf("%s: %v, errors %v; want %q on %s", c.name, got, errs, c.msg, c.field)
		}
	}
}

// TestCategoryChecks: a category's fields and questions are checked
// before it is saved, with one French message per field.
func TestCategoryChecks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		mod   func(*reports.Category)
		field string
	}{
		{"code with capitals", func(c *reports.Category) { c.Code = "Voirie" }, "code"},
		{"no name", func(c *reports.Category) { c.Name = " " }, "name"},
		{"contractor with a name", func(c *reports.Category) { c.ContractorEmail = "Voirie <voirie@exemple.fr>" }, "contractor_email"},
		{"service not a slug", func(c *reports.Category) { c.Service = "Services techniques" }, "service"},
		{"two questions, one code", func(c *reports.Category) {
			c.Questions = []reports.Question{{Code: "a", Label: "A", Datatype: reports.TypeString}, {Code: "a", Label: "B", Datatype: reports.TypeText}}
		}, "questions"},
		{"list without choices", func(c *reports.Category) {
			c.Questions = []reports.Question{{Code: "a", Label: "A", Datatype: reports.TypeSingle}}
		}, "questions"},
		{"unknown type", func(c *reports.Category) {
			c.Questions = []reports.Question{{Code: "a", Label: "A", Datatype: "photo"}}
		}, "questions"},
		{"choices twice the same", func(c *reports.Category) {
			c.Questions = []reports.Question{{Code: "a", Label: "A", Datatype: reports.TypeMulti,
				Values: []reports.Choice{{Key: "x", Name: "X"}, {Key: "x", Name: "Y"}}}}
		}, "questions"},
	} {
		cat := &reports.Category{TenantID: "t", Code: "eclairage", Name: "Éclairage public", Active: true}
		c.mod(cat)
		// No database is reached: the checks come first.
		err := (&reports.Store{}).CreateCategory(t.Context(), cat)
		if f := guichet.FieldErrors(err); f[c.field] == "" || len(f) != 1 {
			t.Errorf("%s: %v", c.name, f)
		}
	}
}
