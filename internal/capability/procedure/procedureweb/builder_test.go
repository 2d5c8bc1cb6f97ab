package procedureweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/procedure"
)

// builderEnv is the town's administrator in the builder of the demo school
// registration, whose draft starts as its published version 1.
type builderEnv struct {
	e     *apptest.Env
	admin *apptest.Browser
	store *procedure.Store
	id    string
	base  string // the builder's path
}

func newBuilderEnv(t *testing.T, e *apptest.Env) *builderEnv {
	store := procedure.NewStore(e.App.DB, nil)
	store.Now = e.App.Now
	b := &builderEnv{e: e, admin: e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost"), store: store}
	b.id = procID(t, b.admin)
	b.base = "/gestion/demarches/" + b.id
	return b
}

func (b *builderEnv) procedure(t *testing.T) *procedure.Procedure {
	t.Helper()
	p, err := b.store.Procedure(context.Background(), b.e.Town.ID, b.id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// order lists the keys of the draft's first section, or of a block's fields.
func (b *builderEnv) order(t *testing.T, block string) string {
	t.Helper()
	var fields []procedure.Field
	if d := b.procedure(t).Draft; block == "" {
		fields = d.Pages[0].Sections[0].Fields
	} else {
		fields = d.Field(block).Fields
	}
	var keys []string
	for _, fl := range fields {
		keys = append(keys, fl.Key)
	}
	return strings.Join(keys, ",")
}

func (b *builderEnv) move(key, direction string) *apptest.Response {
	return b.admin.Post(b.base+"/champs/deplacer", url.Values{"key": {key}, "direction": {direction}})
}

func TestBuilderEditsAField(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := newBuilderEnv(t, e)
		b.admin.Get(b.base).Want(t, http.StatusOK).
			WantBody(t, `href="`+b.base+`/champs/nom">Modifier<span class="visually-hidden"> « Nom »</span>`)
		b.admin.Get(b.base+"/champs/nom").Want(t, http.StatusOK).
			WantBody(t, "Modifier le champ « Nom »", `name="label" type="text" value="Nom"`, `name="required" value="1" checked`,
				"les réponses déjà données sont enregistrées sous cet identifiant")

		// The label changes, the field is no longer required; its length limit stays.
		b.admin.Post(b.base+"/champs/nom", url.Values{"label": {"Nom de famille"}, "hint": {"Tel qu'il figure sur vos papiers."}}).
			WantRedirect(t, b.base+"?ok=champ#champ-f-nom")
		b.admin.Get(b.base+"?ok=champ").Want(t, http.StatusOK).
			WantBody(t, "Champ enregistré dans le brouillon", "<strong>Nom de famille</strong> (nom, text)")
		p := b.procedure(t)
		nom := p.Draft.Field("nom")
		if nom.Label != "Nom de famille" || nom.Required || nom.Hint != "Tel qu'il figure sur vos papiers." || nom.MaxLength != 80 {
			t.Fatalf("draft field after the edit: %+v", nom)
		}
		// Only the draft changed: residents still get version 1 until "publier".
		published, err := b.store.Form(context.Background(), e.Town.ID, b.id, p.Version)
		if err != nil || published.Field("nom").Label != "Nom" || !published.Field("nom").Required {
			t.Fatalf("published version changed: %v %+v", err, published.Field("nom"))
		}

		// A choice keeps one option per line; a file field keeps its types.
		b.admin.Post(b.base+"/champs/garderie", url.Values{"label": {"Accueil périscolaire"}, "options": {"Matin\r\nSoir\r\n\r\n"}}).
			WantRedirect(t, b.base)
		b.admin.Post(b.base+"/champs/domicile", url.Values{"label": {"Justificatif de domicile"}, "required": {"1"},
			"accept": {"pdf, jpg, jpeg, png"}, "max_mb": {"5"}}).WantRedirect(t, b.base)
		d := b.procedure(t).Draft
		if g := d.Field("garderie"); strings.Join(g.Options, "|") != "Matin|Soir" {
			t.Fatalf("options: %q", g.Options)
		}
		if f := d.Field("domicile"); f.Label != "Justificatif de domicile" || !f.Required || len(f.Accept) != 4 || f.MaxSize != 5<<20 {
			t.Fatalf("file field: %+v", f)
		}

		// The edited draft passes the publication check and becomes the next version.
		b.admin.Post(b.base+"/publier", nil).WantRedirect(t, b.base)
		if v := b.procedure(t).Version; v != p.Version+1 {
			t.Fatalf("version %d after publishing, want %d", v, p.Version+1)
		}
	}, apptest.WithDemoData())
}

func TestBuilderRefusesAnInvalidEdit(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := newBuilderEnv(t, e)
		before := string(b.procedure(t).Draft.JSON())
		b.admin.Post(b.base+"/champs/nom", url.Values{"label": {"  "}, "hint": {"changé"}}).
			Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "<title>Erreur", "error-summary", `href="#champ-label">Donnez un libellé au champ.`, `aria-invalid="true"`,
				`value="changé"`)
		if after := string(b.procedure(t).Draft.JSON()); after != before {
			t.Fatalf("a refused edit changed the draft:\n%s", after)
		}
		b.admin.Get(b.base+"/champs/inconnu").Want(t, http.StatusNotFound)
		b.admin.Post(b.base+"/champs/inconnu", url.Values{"label": {"X"}}).Want(t, http.StatusNotFound)
		b.admin.Get(b.base+"/champs/nom.prenom").Want(t, http.StatusNotFound) // "nom" is not a block
		// A new field may not take a word of the builder's URLs as its key.
		b.admin.Post(b.base+"/champs", url.Values{"key": {"deplacer"}, "label": {"X"}, "type": {"text"}, "section": {"0:0"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Identifiant unique")
	}, apptest.WithDemoData())
}

func TestBuilderMovesFields(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := newBuilderEnv(t, e)
		if got := b.order(t, ""); got != "nom,prenom,telephone,adresse" {
			t.Fatalf("demo order: %s", got)
		}
		body := b.admin.Get(b.base).Want(t, http.StatusOK).Body
		// The first field has no "Monter", the last no "Descendre"; buttons say which field.
		for _, want := range []string{"Descendre<span class=\"visually-hidden\"> « Nom »", "Monter<span class=\"visually-hidden\"> « Prénom »",
			"Monter<span class=\"visually-hidden\"> « Adresse »"} {
			if !strings.Contains(body, want) {
				t.Fatalf("builder lacks %q", want)
			}
		}
		for _, absent := range []string{"Monter<span class=\"visually-hidden\"> « Nom »", "Descendre<span class=\"visually-hidden\"> « Adresse »"} {
			if strings.Contains(body, absent) {
				t.Fatalf("builder offers %q", absent)
			}
		}

		b.move("prenom", "haut").WantRedirect(t, b.base+"?ok=deplace#champ-f-prenom")
		if got := b.order(t, ""); got != "prenom,nom,telephone,adresse" {
			t.Fatalf("after moving prenom up: %s", got)
		}
		b.move("nom", "bas").WantRedirect(t, b.base)
		b.move("nom", "bas").WantRedirect(t, b.base)
		if got := b.order(t, ""); got != "prenom,telephone,adresse,nom" {
			t.Fatalf("after moving nom down twice: %s", got)
		}
		page := b.admin.Get(b.base+"?ok=deplace").Want(t, http.StatusOK).WantBody(t, "Champ déplacé dans le brouillon").Body
		if strings.Index(page, `id="champ-f-prenom"`) > strings.Index(page, `id="champ-f-nom"`) {
			t.Fatal("the builder does not list the new order")
		}

		// Past either end: a clear refusal on the builder, nothing changed.
		b.move("prenom", "haut").Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "error-summary", `href="#champ-f-prenom">Ce champ est déjà le premier de sa section.`,
				`id="champ-f-prenom"`, `name="title" type="text" value="Inscription scolaire"`)
		b.move("nom", "bas").Want(t, http.StatusUnprocessableEntity).WantBody(t, "Ce champ est déjà le dernier de sa section.")
		b.move("nom", "ailleurs").Want(t, http.StatusUnprocessableEntity)
		b.move("inconnu", "haut").Want(t, http.StatusNotFound)
		if got := b.order(t, ""); got != "prenom,telephone,adresse,nom" {
			t.Fatalf("a refused move changed the order: %s", got)
		}
	}, apptest.WithDemoData())
}

// TestBuilderBlockFields edits, moves and removes fields of the children's
// block, whose "prenom" shares its key with a top-level field.
func TestBuilderBlockFields(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := newBuilderEnv(t, e)
		b.admin.Get(b.base).Want(t, http.StatusOK).WantBody(t, `href="`+b.base+`/champs/enfants.prenom">Modifier`)
		form := b.admin.Get(b.base+"/champs/enfants.prenom").Want(t, http.StatusOK).WantBody(t, "Enfant", `value="Prénom"`).Body
		if strings.Contains(form, `name="cond_field"`) {
			t.Fatal("a block's field offers a condition")
		}
		b.admin.Post(b.base+"/champs/enfants.prenom", url.Values{"label": {"Prénom de l'enfant"}, "required": {"1"}}).
			WantRedirect(t, b.base+"?ok=champ#champ-f-enfants.prenom")
		d := b.procedure(t).Draft
		if d.FieldAt("enfants.prenom").Label != "Prénom de l'enfant" || d.Field("prenom").Label != "Prénom" {
			t.Fatalf("labels: block %q, top level %q", d.FieldAt("enfants.prenom").Label, d.Field("prenom").Label)
		}
		b.admin.Post(b.base+"/champs/enfants.prenom", url.Values{"label": {""}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Donnez un libellé au champ.")
		b.admin.Post(b.base+"/champs/enfants", url.Values{"label": {"Enfant"}, "required": {"1"}, "max_items": {"3"}}).
			WantRedirect(t, b.base)
		if n := b.procedure(t).Draft.Field("enfants").MaxItems; n != 3 {
			t.Fatalf("max items %d, want 3", n)
		}

		b.move("enfants.prenom", "bas").WantRedirect(t, b.base+"?ok=deplace#champ-f-enfants.prenom")
		if got := b.order(t, "enfants"); got != "date_naissance,prenom,classe,allergies" {
			t.Fatalf("block after moving prenom down: %s", got)
		}
		b.move("enfants.allergies", "bas").Want(t, http.StatusUnprocessableEntity).WantBody(t, "Ce champ est déjà le dernier de son bloc.")
		if got := b.order(t, ""); got != "nom,prenom,telephone,adresse" {
			t.Fatalf("moving in the block changed the section: %s", got)
		}

		b.admin.Post(b.base+"/champs/supprimer", url.Values{"key": {"enfants.allergies"}}).WantRedirect(t, b.base)
		if got, top := b.order(t, "enfants"), b.order(t, ""); got != "date_naissance,prenom,classe" || top != "nom,prenom,telephone,adresse" {
			t.Fatalf("after removing the block's allergies: %s / %s", got, top)
		}
	}, apptest.WithDemoData())
}

func TestBuilderFieldPagesAreForAdministrators(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := newBuilderEnv(t, e)
		before := string(b.procedure(t).Draft.JSON())
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		agent.Get(b.base+"/champs/nom").Want(t, http.StatusForbidden)
		agent.Post(b.base+"/champs/nom", url.Values{"label": {"Intrusion"}}).Want(t, http.StatusForbidden)
		agent.Post(b.base+"/champs/deplacer", url.Values{"key": {"prenom"}, "direction": {"haut"}}).Want(t, http.StatusForbidden)
		anon := e.Browser(e.Town)
		anon.Get(b.base+"/champs/nom").WantRedirect(t, "/connexion")
		anon.Post(b.base+"/champs/deplacer", url.Values{"key": {"prenom"}, "direction": {"haut"}}).Want(t, http.StatusUnauthorized)
		if after := string(b.procedure(t).Draft.JSON()); after != before {
			t.Fatalf("the draft changed:\n%s", after)
		}
	}, apptest.WithDemoData())
}
