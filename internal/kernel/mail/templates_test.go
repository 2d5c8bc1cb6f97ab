package mail_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"guichet/internal/kernel/mail"
)

func TestTemplatesFallBackToFrench(t *testing.T) {
	t.Parallel()
	tpl := mail.NewTemplates()
	err := tpl.Add("demo", fstest.MapFS{
		"mail/hello.fr.txt": {Data: []byte(`{{define "subject"}}  Bonjour
 {{.Name}} {{end}}Salut {{.Name}} !`)},
		"mail/hello.fr.html": {Data: []byte(`<p>Salut {{.Name}} !</p>`)},
		"mail/plain.fr.txt":  {Data: []byte(`{{define "subject"}}Texte seul{{end}}Rien d'autre.`)},
		"mail/plain.en.txt":  {Data: []byte(`{{define "subject"}}Text only{{end}}Nothing else.`)},
		"mail/nosubj.fr.txt": {Data: []byte(`Pas d'objet.`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tpl.Add("demo", fstest.MapFS{}); err == nil {
		t.Error("a module's templates were added twice")
	}
	data := map[string]any{"Name": "<Léa>"}
	r, err := tpl.Render("demo/hello", "en", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lang != "fr" || r.Subject != "Bonjour <Léa>" || r.Text != "Salut <Léa> !\n" || r.HTML != "<p>Salut &lt;Léa&gt; !</p>" {
		t.Errorf("English falls back to French: %+v", r)
	}
	r, err = tpl.Render("demo/plain", "EN", nil)
	if err != nil || r.Lang != "en" || r.Subject != "Text only" || r.HTML != "" {
		t.Errorf("English text-only template: %+v, %v", r, err)
	}
	if r, err = tpl.Render("demo/plain", "de", nil); err != nil || r.Lang != "fr" {
		t.Errorf("unknown language: %+v, %v", r, err)
	}
	for _, name := range []string{"demo/missing", "nomodule/hello", "demo/../hello", "demo", "demo/nosubj"} {
		if _, err := tpl.Render(name, "fr", data); err == nil {
			t.Errorf("Render(%q) succeeded", name)
		}
	}
	if _, err := tpl.Render("demo/hello", "fr", map[string]any{}); err == nil || !strings.Contains(err.Error(), "Name") {
		t.Errorf("missing value: err = %v, want it named", err)
	}
	if !tpl.Has("demo/hello") || tpl.Has("demo/missing") {
		t.Error("Has is wrong")
	}
}
