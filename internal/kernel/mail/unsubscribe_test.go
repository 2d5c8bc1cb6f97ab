package mail

import (
	"testing"
	"testing/fstest"
)

func TestUnsubscribeBlockFillsRendered(t *testing.T) {
	t.Parallel()
	tpl := NewTemplates()
	files := fstest.MapFS{
		"mail/news.fr.txt":  {Data: []byte(`{{define "subject"}}Lettre{{end}}{{define "unsubscribe"}} {{.U}} {{end}}Bonjour`)},
		"mail/plain.fr.txt": {Data: []byte(`{{define "subject"}}Sans lien{{end}}Bonjour`)},
	}
	if err := tpl.Add("m", files); err != nil {
		t.Fatal(err)
	}
	r, err := tpl.Render("m/news", "fr", map[string]any{"U": "https://exemple.fr/desabonnement/abc"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Unsubscribe != "https://exemple.fr/desabonnement/abc" || r.Text != "Bonjour\n" {
		t.Errorf("rendered %+v", r)
	}
	if r, err := tpl.Render("m/plain", "fr", nil); err != nil || r.Unsubscribe != "" {
		t.Errorf("without the block: %+v %v", r, err)
	}
}
