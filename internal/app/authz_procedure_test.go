package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
)

// Rows of procedures: the public list, a resident's own cases (the demo
// resident's birth certificate request, of the état civil service), the
// agents' inbox scoped by service, the administrators' form builder (on a
// procedure of its own) and the JSON API.
func init() {
	fixtureSetups = append(fixtureSetups, procedureFixtures)
	agent, admin := staffOnly(account.RoleAgent), staffOnly(account.RoleAdmin)
	civil := ofService("etat-civil", account.RoleAgent)
	named := func(param, name string) func(*fixtures) wild {
		return func(f *fixtures) wild { return wild{param: f.get(name)} }
	}
	filed, draft := named("id", "case"), named("id", "draft")
	caseFile := func(f *fixtures) wild { return wild{"id": f.get("case"), "file": f.get("case-file")} }
	step := func(f *fixtures) wild { return wild{"id": f.get("draft"), "n": "1"} }
	built := named("id", "procedure")
	field := func(f *fixtures) wild { return wild{"id": f.get("procedure"), "key": "nom"} }
	authzRows = append(authzRows,
		row("site GET /demarches", public(), nil),
		row("site GET /demarches/{slug}", public(), fixed(named("slug", "procedure-slug"))),
		row("site POST /demarches/{slug}/commencer", public(), posting(named("slug", "procedure-slug"), url.Values{"email": {"pas-une-adresse"}})),
		row("site GET /mes-demarches", signedInOnly(), nil),
		// The link's page asks for a click; the button proves the address (a fresh case per request).
		row("site GET /dossiers/{id}/acces/{token}", tokenHolders(), fixed(func(f *fixtures) wild {
			return wild{"id": f.get("anonymous-case"), "token": f.get("anonymous-token")}
		})).secret("token"),
		row("site POST /dossiers/{id}/acces/{token}", tokenHolders(), func(_ *testing.T, f *fixtures) call {
			id, token, _ := strings.Cut(f.take("anonymous-access"), " ")
			return call{params: wild{"id": id, "token": token}}
		}).renewed().secret("token"),
		// Forgetting only expires the browser's cookie: anyone may ask it.
		row("site POST /dossiers/{id}/oublier", public(), posting(named("id", "anonymous-case"), nil)),
		row("site GET /dossiers/{id}", ownerOnly(), fixed(filed)),
		row("site GET /dossiers/{id}/etape/{n}", ownerOnly(), fixed(step)),
		row("site POST /dossiers/{id}/etape/{n}", ownerOnly(), posting(step, url.Values{"c.exemplaires": {"beaucoup"}, "action": {"suivant"}})),
		row("site GET /dossiers/{id}/recapitulatif", ownerOnly(), fixed(draft)),
		row("site POST /dossiers/{id}/deposer", ownerOnly(), posting(draft, nil)),
		row("site GET /dossiers/{id}/recepisse", ownerOnly(), fixed(filed)),
		row("site GET /dossiers/{id}/recepisse.pdf", ownerOnly(), fixed(filed)),
		row("site GET /dossiers/{id}/decision.pdf", ownerOnly(), fixed(named("id", "decided"))),
		row("site POST /dossiers/{id}/messages", ownerOnly(), posting(filed, url.Values{"body": {""}})),
		row("site GET /dossiers/{id}/fichiers/{file}", ownerOnly(), fixed(caseFile)),

		row("site GET /gestion/dossiers", agent, nil),
		// The cases of other services are left out of the lot: every agent may post it.
		row("site POST /gestion/dossiers/lot", agent, func(_ *testing.T, f *fixtures) call {
			return call{form: url.Values{"ids": {f.get("case")}, "bulk": {"inconnue"}}}
		}),
		row("site GET /gestion/dossiers/export", civil, func(_ *testing.T, f *fixtures) call {
			return call{query: url.Values{"demarche": {f.get("procedure-civil")}}}
		}),
		row("site GET /gestion/dossiers/{id}", civil, fixed(filed)),
		row("site POST /gestion/dossiers/{id}/etat", civil, posting(filed, url.Values{"state": {"inconnu"}})),
		row("site POST /gestion/dossiers/{id}/messages", civil, posting(filed, url.Values{"body": {""}})),
		row("site POST /gestion/dossiers/{id}/attribuer", civil, posting(filed, url.Values{"assignee": {"personne"}})),
		row("site POST /gestion/dossiers/{id}/etiquettes", civil, posting(filed, url.Values{"label": {""}})),
		row("site GET /gestion/dossiers/{id}/fichiers/{file}", civil, fixed(caseFile)),
		// The decided case is a school registration: the school service's.
		row("site GET /gestion/dossiers/{id}/decision.pdf", ofService("scolaire", account.RoleAgent), fixed(named("id", "decided"))),
		row("site GET /gestion/reponses-types", agent, nil),
		row("site POST /gestion/reponses-types", agent, posting(nil, url.Values{"title": {""}})),
		row("site POST /gestion/reponses-types/{id}/supprimer", agent, func(_ *testing.T, f *fixtures) call {
			return call{params: wild{"id": f.take("reply")}}
		}).renewed(),

		row("site GET /gestion/demarches", admin, nil),
		row("site POST /gestion/demarches", admin, posting(nil, url.Values{"title": {""}})),
		row("site GET /gestion/demarches/{id}", admin, fixed(built)),
		row("site POST /gestion/demarches/{id}/parametres", admin, posting(built, url.Values{"title": {""}})),
		row("site POST /gestion/demarches/{id}/pages", admin, posting(built, url.Values{"page_title": {""}})),
		row("site POST /gestion/demarches/{id}/champs", admin, posting(built, url.Values{"key": {"Clé invalide"}})),
		row("site POST /gestion/demarches/{id}/champs/supprimer", admin, posting(built, url.Values{"key": {"absent"}})),
		row("site POST /gestion/demarches/{id}/champs/deplacer", admin, posting(built, url.Values{"key": {"nom"}, "direction": {"haut"}})),
		row("site GET /gestion/demarches/{id}/champs/{key}", admin, fixed(field)),
		row("site POST /gestion/demarches/{id}/champs/{key}", admin, posting(field, url.Values{"label": {""}})),
		row("site POST /gestion/demarches/{id}/publier", admin, posting(built, nil)),

		row("site GET /api/v1/demarches", public(), nil),
		row("site GET /api/v1/demarches/{slug}", public(), fixed(named("slug", "procedure-slug"))),
		row("site GET /api/v1/dossiers", signedInOnly(), nil),
		row("site POST /api/v1/dossiers", signedInOnly(), func(*testing.T, *fixtures) call {
			return call{json: `{"procedure": "acte-de-naissance"}`}
		}),
		// A case reads by API for its resident, or for an agent of its service.
		row("site GET /api/v1/dossiers/{id}", either(ownerOnly(), civil), fixed(filed)),
		row("site GET /api/v1/gestion/dossiers", agent, nil),
		row("site POST /api/v1/gestion/dossiers/{id}/etat", civil, func(_ *testing.T, f *fixtures) call {
			return call{params: filed(f), json: `{"state": "inconnu"}`}
		}),
	)
}

// matrixForm is the form of the procedure the builder's rows work on.
const matrixForm = `{"pages":[{"title":"Vous","sections":[{"title":"Identité","fields":[
 {"key":"nom","type":"text","label":"Nom","required":true}]}]}]}`

func procedureFixtures(f *fixtures) {
	s, town := procedureStore(f.t, f.e), f.town
	civil, err := s.ProcedureBySlug(ctx, town.ID, "acte-de-naissance")
	f.fatal("procedure", err)
	f.set("procedure-slug", civil.Slug)
	f.set("procedure-civil", civil.ID)
	form, err := s.Form(ctx, town.ID, civil.ID, civil.Version)
	f.fatal("form", err)
	u, err := f.e.App.Accounts.ByEmail(ctx, town.ID, townResident)
	f.fatal("resident", err)

	draft, _, err := s.Start(ctx, civil, u.ID, u.Email, u.Name, "fr")
	f.fatal("draft", err)
	f.set("draft", draft.ID)
	c, _, err := s.Start(ctx, civil, u.ID, u.Email, u.Name, "fr")
	f.fatal("case", err)
	answers := procedure.Answers{"nom": {Value: "Habitante"}, "prenom": {Value: "Démonstration"},
		"date_naissance": {Value: "1990-05-14"}, "type_acte": {Value: "Copie intégrale"}, "lien": {Value: "Son parent"},
		"exemplaires": {Value: "1"}, "adresse": {Value: "12 rue des Tilleuls, 86990 Montclair-sur-Vienne"}}
	f.fatal("case", s.SaveDraft(ctx, c, answers, 3, u.Name))
	f.fatal("case", s.AttachToDraft(ctx, c, form.Field("justificatif"), []procedure.Upload{{Name: "livret.pdf",
		ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4\n% livret de famille\n")}}))
	c, err = s.Case(ctx, town.ID, c.ID)
	f.fatal("case", err)
	f.fatal("case", s.Submit(ctx, c, civil, form, procedure.Actor{ID: u.ID, Name: u.Name}))
	f.set("case", c.ID)
	files, err := s.CaseFiles(ctx, town.ID, c.ID)
	f.fatal("case files", err)
	if len(files) == 0 {
		f.t.Fatal("fixture case: no file")
	}
	f.set("case-file", files[0].ID)

	mine, err := s.MyCases(ctx, town.ID, u.ID)
	f.fatal("cases", err)
	for _, c := range mine {
		if c.State == procedure.Accepted {
			f.set("decided", c.ID)
		}
	}
	anon, tok, err := s.Start(ctx, civil, "", "sans-compte@courriel.localhost", "Sans compte", "fr")
	f.fatal("anonymous case", err)
	f.set("anonymous-case", anon.ID)
	f.set("anonymous-token", tok)
	f.fill("anonymous-access", uses, func() string {
		c, tok, err := s.Start(ctx, civil, "", fmt.Sprintf("sans-compte-%d@courriel.localhost", f.next()), "Sans compte", "fr")
		f.fatal("anonymous case", err)
		return c.ID + " " + tok
	})

	f.fill("reply", uses, func() string {
		title := fmt.Sprintf("Réponse %d de la matrice", f.next())
		f.fatal("reply", s.AddCannedReply(ctx, town.ID, title, "Texte."))
		replies, err := s.CannedReplies(ctx, town.ID)
		f.fatal("reply", err)
		for _, r := range replies {
			if r.Title == title {
				return r.ID
			}
		}
		f.t.Fatal("fixture reply: not found")
		return ""
	})

	draftForm, err := procedure.ParseForm([]byte(matrixForm))
	f.fatal("procedure form", err)
	p := &procedure.Procedure{TenantID: town.ID, Slug: "demarche-de-la-matrice", Title: "Démarche de la matrice",
		Service: "etat-civil", DeadlineDays: 30, RetentionDays: 365, Draft: draftForm, Open: true}
	f.fatal("procedure", s.CreateProcedure(ctx, p))
	f.set("procedure", p.ID)
}
