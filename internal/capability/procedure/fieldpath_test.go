package procedure

import (
	"strings"
	"testing"

	"guichet"
)

// pathForm has a top-level "prenom" and another inside the block, as the
// demo school registration does.
func pathForm(t *testing.T) *Form {
	t.Helper()
	f, err := ParseForm([]byte(`{"pages":[{"title":"P","sections":[{"title":"S","fields":[
		{"key":"nom","type":"text","label":"Nom"},
		{"key":"prenom","type":"text","label":"Prénom"},
		{"key":"enfants","type":"repeat","label":"Enfant","fields":[
			{"key":"prenom","type":"text","label":"Prénom de l'enfant"},
			{"key":"classe","type":"text","label":"Classe"}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func keys(fields []Field) string {
	var out []string
	for _, fl := range fields {
		out = append(out, fl.Key)
	}
	return strings.Join(out, ",")
}

func TestFieldAt(t *testing.T) {
	t.Parallel()
	f := pathForm(t)
	for path, want := range map[string]string{"prenom": "Prénom", "enfants.prenom": "Prénom de l'enfant",
		"enfants": "Enfant", "enfants.nom": "", "nom.prenom": "", "inconnu": "", "": "", "enfants.": ""} {
		got := ""
		if fl := f.FieldAt(path); fl != nil {
			got = fl.Label
		}
		if got != want {
			t.Errorf("FieldAt(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestMove(t *testing.T) {
	t.Parallel()
	f := pathForm(t)
	fields := &f.Pages[0].Sections[0].Fields
	if err := f.Move("prenom", -1); err != nil || keys(*fields) != "prenom,nom,enfants" {
		t.Fatalf("up: %v %s", err, keys(*fields))
	}
	if err := f.Move("prenom", 1); err != nil || keys(*fields) != "nom,prenom,enfants" {
		t.Fatalf("down: %v %s", err, keys(*fields))
	}
	if err := f.Move("enfants.prenom", 1); err != nil || keys((*fields)[2].Fields) != "classe,prenom" {
		t.Fatalf("down in the block: %v %s", err, keys((*fields)[2].Fields))
	}
	for _, row := range []struct {
		path string
		by   int
		code string
		msg  string
	}{
		{"nom", -1, guichet.EInvalid, "déjà le premier de sa section"},
		{"enfants", 1, guichet.EInvalid, "déjà le dernier de sa section"},
		{"enfants.prenom", 1, guichet.EInvalid, "déjà le dernier de son bloc"},
		{"nom", 2, guichet.EInvalid, "monter ou de descendre"},
		{"enfants.nom", -1, guichet.ENotFound, ""},
	} {
		err := f.Move(row.path, row.by)
		if guichet.ErrorCode(err) != row.code || !strings.Contains(guichet.ErrorMessage(err), row.msg) {
			t.Errorf("Move(%q, %d) = %v, want %s %q", row.path, row.by, err, row.code, row.msg)
		}
	}
	if keys(*fields) != "nom,prenom,enfants" || keys((*fields)[2].Fields) != "classe,prenom" {
		t.Fatalf("a refused move changed the form: %s / %s", keys(*fields), keys((*fields)[2].Fields))
	}
}

// TestRemovePath removes the block's "prenom" without the top-level one.
func TestRemovePath(t *testing.T) {
	t.Parallel()
	f := pathForm(t)
	f.Remove("enfants.prenom")
	fields := f.Pages[0].Sections[0].Fields
	if keys(fields) != "nom,prenom,enfants" || keys(fields[2].Fields) != "classe" {
		t.Fatalf("after removing enfants.prenom: %s / %s", keys(fields), keys(fields[2].Fields))
	}
	f.Remove("prenom")
	f.Remove("inconnu")
	if fields = f.Pages[0].Sections[0].Fields; keys(fields) != "nom,enfants" {
		t.Fatalf("after removing prenom: %s", keys(fields))
	}
}
