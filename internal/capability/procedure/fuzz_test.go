package procedure

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

const sampleDefinition = `{"pages":[{"title":"Vous","sections":[{"title":"Identité","fields":[
{"key":"nom","type":"text","label":"Nom","required":true,"max_length":80},
{"key":"age","type":"number","label":"Âge","min":"0","max":"120"},
{"key":"services","type":"multi","label":"Services","options":["cantine","garderie"]},
{"key":"enfants","type":"repeat","label":"Enfants","max_items":5,"fields":[{"key":"prenom","type":"text","label":"Prénom","required":true}]}]}]},
{"title":"Pièces","sections":[{"title":"Pièces","condition":{"field":"age","op":"greater","value":"17"},"fields":[
{"key":"piece","type":"file","label":"Justificatif","accept":["pdf"]}]}]}]}`

func FuzzParseForm(f *testing.F) {
	f.Add([]byte(sampleDefinition))
	f.Add([]byte(`{"pages":[]}`))
	f.Add([]byte(`{"pages":[{"sections":[{"fields":[{"type":"repeat","fields":[{"type":"repeat"}]}]}]}]}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		form, err := ParseForm(raw)
		if err != nil {
			return
		}
		// Whatever parses must survive the check, a round trip and evaluation.
		_ = form.Check()
		again, err := ParseForm(form.JSON())
		if err != nil {
			t.Fatalf("re-parse of encoded form failed: %v", err)
		}
		if len(again.Pages) != len(form.Pages) {
			t.Fatal("round trip changed the pages")
		}
		form.Visible(Answers{})
	})
}

func FuzzDecodePage(f *testing.F) {
	form, err := ParseForm([]byte(sampleDefinition))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("c.nom=Dupont&c.age=12&c.services=cantine&c.enfants.n=2&c.enfants.0.prenom=Léa", 0)
	f.Add("c.enfants.n=99999999999&c.services=x&c.services=x", 0)
	f.Add("c.nom=%ff%fe", 1)
	f.Fuzz(func(t *testing.T, query string, page int) {
		vals, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		ans := form.DecodePage(page, vals, Answers{})
		for k, a := range ans {
			if form.Field(k) == nil {
				t.Fatalf("decoded an unknown field %q", k)
			}
			if len(a.Items) > 5 || len(a.Values) > 3 || !utf8.ValidString(a.Value) || len(a.Value) > maxValueLen {
				t.Fatalf("answer %q escapes the limits: %+v", k, a)
			}
		}
		form.ValidatePage(page, ans)
		form.Validate(ans)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	form, err := ParseForm([]byte(sampleDefinition))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"nom":"Dupont","services":["cantine"],"enfants":[{"prenom":"Léa"}]}`))
	f.Add([]byte(`{"piece":"x"}`))
	f.Add([]byte(`{"enfants":[{},{},{},{},{},{}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ans, err := form.DecodeJSON(raw)
		if err != nil {
			return
		}
		for k, a := range ans {
			if fl := form.Field(k); fl == nil || fl.Type == File {
				t.Fatalf("accepted field %q", k)
			}
			if len(a.Items) > 5 {
				t.Fatal("too many items accepted")
			}
		}
		form.Validate(ans)
	})
}
