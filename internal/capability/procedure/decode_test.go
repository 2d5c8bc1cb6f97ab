package procedure

import (
	"net/url"
	"strings"
	"testing"
)

func TestDecodeAndValidate(t *testing.T) {
	t.Parallel()
	form, err := ParseForm([]byte(sampleDefinition))
	if err != nil {
		t.Fatal(err)
	}
	if probs := form.Check(); probs != nil {
		t.Fatalf("sample refused: %v", probs)
	}
	vals := url.Values{"c.nom": {"  Dupont "}, "c.age": {"200"}, "c.services": {"cantine", "piscine"},
		"c.enfants.n": {"2"}, "c.enfants.0.prenom": {"Léa"}}
	ans := form.DecodePage(0, vals, Answers{})
	if ans["nom"].Value != "Dupont" || len(ans["enfants"].Items) != 2 {
		t.Fatalf("decoded %+v", ans)
	}
	errs := form.ValidatePage(0, ans)
	for _, name := range []string{"c.age", "c.services", "c.enfants.1.prenom"} {
		if errs[name] == "" {
			t.Errorf("no error for %s: %v", name, errs)
		}
	}
	if errs["c.nom"] != "" {
		t.Errorf("unexpected error on nom: %s", errs["c.nom"])
	}
	// Page 2's section shows only past 17: a missing optional file is fine.
	ans["age"] = Answer{Value: "12"}
	if form.FirstInvalidPage(ans) != 0 {
		t.Fatal("page 1 still has errors (services, child 2)")
	}
}

func TestFieldValidation(t *testing.T) {
	t.Parallel()
	rows := []struct {
		f    Field
		v    string
		want string
	}{
		{Field{Label: "SIRET", Type: SIRET}, "73282932000074", ""},
		{Field{Label: "SIRET", Type: SIRET}, "73282932000075", "SIRET"},
		{Field{Label: "Courriel", Type: Email}, "nom@exemple.fr", ""},
		{Field{Label: "Courriel", Type: Email}, "nom@exemple", "adresse"},
		{Field{Label: "Tél", Type: Phone}, "05 49 00 00 00", ""},
		{Field{Label: "Tél", Type: Phone}, "abc", "téléphone"},
		{Field{Label: "Tél", Type: Phone}, "+33 5 49 00 00 00", ""},
		{Field{Label: "Tél", Type: Phone}, "0.......0", "téléphone"},
		{Field{Label: "Tél", Type: Phone}, "0000 00 0", "téléphone"},
		{Field{Label: "Tél", Type: Phone}, "0033 5 49 00 00 00 00 00", "téléphone"},
		{Field{Label: "Date", Type: Date, Max: ptr("2026-12-31")}, "2027-01-01", "comprise"},
		{Field{Label: "Date", Type: Date}, "15/03/2026", "date"},
		{Field{Label: "Oui", Type: YesNo}, "peut-être", "oui ou non"},
		{Field{Label: "Code", Type: Text, Pattern: "[0-9]{5}"}, "8699", "format"},
		{Field{Label: "Code", Type: Text, Pattern: "[0-9]{5}"}, "86990", ""},
		{Field{Label: "Nom", Type: Text, Required: true}, "", "Renseignez"},
		{Field{Label: "Nom", Type: Text}, strings.Repeat("é", 301), "dépasser"},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "3,5", ""},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "1.2e1", ""},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "121", "compris"},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "1e400", "nombre"},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "1_0", "nombre"},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "0x10", "nombre"},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "0x1p-2", "nombre"},
		{Field{Label: "Âge", Type: Number, Min: ptr("0"), Max: ptr("120")}, "12.", ""},
	}
	for _, r := range rows {
		got := r.f.Validate(Answer{Value: r.v})
		if (r.want == "") != (got == "") || !strings.Contains(got, r.want) {
			t.Errorf("%s %q: got %q, want %q", r.f.Type, r.v, got, r.want)
		}
	}
}

// NaN compares neither below nor above a bound, and infinities are not
// amounts anyone fills in: a number field refuses all three, however
// written.
func TestNumberFieldRefusesNaNAndInfinity(t *testing.T) {
	t.Parallel()
	f := Field{Label: "Montant", Type: Number, Min: ptr("0"), Max: ptr("100")}
	for _, v := range []string{"NaN", "nan", "-NaN", "+nan", "Inf", "-Inf", "+Inf", "inf", "Infinity", "-infinity", " NaN "} {
		if got := f.Validate(Answer{Value: v}); !strings.Contains(got, "nombre") {
			t.Errorf("%q: got %q, want it refused as not a number", v, got)
		}
	}
	if f.withinBounds("NaN") {
		t.Error("NaN within the bounds")
	}
	bad := Field{Key: "m", Label: "Montant", Type: Number, Min: ptr("NaN")}
	form := &Form{Pages: []Page{{Title: "P", Sections: []Section{{Fields: []Field{bad}}}}}}
	if probs := form.Check(); !strings.Contains(strings.Join(probs, " "), "bornes de « Montant »") {
		t.Errorf("a NaN bound passes the publication check: %v", probs)
	}
}
