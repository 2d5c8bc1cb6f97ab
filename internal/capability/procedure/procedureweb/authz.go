package procedureweb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public list, a resident's own
// cases (the demo resident's birth certificate request, of the état civil
// service), the agents' inbox scoped by service, the administrators' form
// builder (on a procedure of its own) and the JSON API.
func (c *Capability) AccessRows() []access.Row {
	public, owner := access.Public(), access.OwnerOnly()
	agent, admin := access.StaffOnly(account.RoleAgent), access.StaffOnly(account.RoleAdmin)
	civil := access.OfService("etat-civil", account.RoleAgent)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	filed, draft, built := named("id", "case"), named("id", "draft"), named("id", "procedure")
	caseFile := func(f access.Fixtures) access.Params {
		return access.Params{"id": f.Get("case"), "file": f.Get("case-file")}
	}
	step := func(f access.Fixtures) access.Params { return access.Params{"id": f.Get("draft"), "n": "1"} }
	field := func(f access.Fixtures) access.Params { return access.Params{"id": f.Get("procedure"), "key": "nom"} }
	return []access.Row{
		access.For("site GET /demarches", public, nil),
		access.For("site GET /demarches/{slug}", public, fixed(named("slug", "procedure-slug"))),
		access.For("site POST /demarches/{slug}/commencer", public,
			posting(named("slug", "procedure-slug"), url.Values{"email": {"pas-une-adresse"}})),
		access.For("site GET /mes-demarches", access.SignedInOnly(), nil),
		// The link's page asks for a click; the button proves the address (a fresh case per request).
		access.For("site GET /dossiers/{id}/acces/{token}", access.TokenHolders(), fixed(func(f access.Fixtures) access.Params {
			return access.Params{"id": f.Get("anonymous-case"), "token": f.Get("anonymous-token")}
		})).Secret("token"),
		access.For("site POST /dossiers/{id}/acces/{token}", access.TokenHolders(), func(f access.Fixtures) access.Call {
			id, token, _ := strings.Cut(f.Take("anonymous-access"), " ")
			return access.Call{Params: access.Params{"id": id, "token": token}}
		}).Renewed().Secret("token"),
		// Forgetting only expires the browser's cookie: anyone may ask it.
		access.For("site POST /dossiers/{id}/oublier", public, posting(named("id", "anonymous-case"), nil)),
		access.For("site GET /dossiers/{id}", owner, fixed(filed)),
		access.For("site GET /dossiers/{id}/etape/{n}", owner, fixed(step)),
		access.For("site POST /dossiers/{id}/etape/{n}", owner,
			posting(step, url.Values{"c.exemplaires": {"beaucoup"}, "action": {"suivant"}})),
		access.For("site GET /dossiers/{id}/recapitulatif", owner, fixed(draft)),
		access.For("site POST /dossiers/{id}/deposer", owner, posting(draft, nil)),
		access.For("site GET /dossiers/{id}/recepisse", owner, fixed(filed)),
		access.For("site GET /dossiers/{id}/recepisse.pdf", owner, fixed(filed)),
		access.For("site GET /dossiers/{id}/decision.pdf", owner, fixed(named("id", "decided"))),
		access.For("site POST /dossiers/{id}/messages", owner, posting(filed, url.Values{"body": {""}})),
		access.For("site GET /dossiers/{id}/fichiers/{file}", owner, fixed(caseFile)),
		access.For("site GET /dossiers/{id}/direct", owner, fixed(filed)),

		access.For("site GET /gestion/dossiers", agent, nil),
		// The cases of other services are left out of the lot: every agent may post it.
		access.For("site POST /gestion/dossiers/lot", agent, func(f access.Fixtures) access.Call {
			return access.Call{Form: url.Values{"ids": {f.Get("case")}, "bulk": {"inconnue"}}}
		}),
		access.For("site GET /gestion/dossiers/export", civil, func(f access.Fixtures) access.Call {
			return access.Call{Query: url.Values{"demarche": {f.Get("procedure-civil")}}}
		}),
		access.For("site GET /gestion/dossiers/{id}", civil, fixed(filed)),
		access.For("site POST /gestion/dossiers/{id}/etat", civil, posting(filed, url.Values{"state": {"inconnu"}})),
		access.For("site POST /gestion/dossiers/{id}/messages", civil, posting(filed, url.Values{"body": {""}})),
		access.For("site POST /gestion/dossiers/{id}/attribuer", civil, posting(filed, url.Values{"assignee": {"personne"}})),
		access.For("site POST /gestion/dossiers/{id}/etiquettes", civil, posting(filed, url.Values{"label": {""}})),
		access.For("site GET /gestion/dossiers/{id}/fichiers/{file}", civil, fixed(caseFile)),
		// The decided case is a school registration: the school service's.
		access.For("site GET /gestion/dossiers/{id}/decision.pdf", access.OfService("scolaire", account.RoleAgent),
			fixed(named("id", "decided"))),
		access.For("site GET /gestion/reponses-types", agent, nil),
		access.For("site POST /gestion/reponses-types", agent, posting(nil, url.Values{"title": {""}})),
		access.For("site POST /gestion/reponses-types/{id}/supprimer", agent, access.Taken("id", "reply")).Renewed(),

		access.For("site GET /gestion/demarches", admin, nil),
		access.For("site POST /gestion/demarches", admin, posting(nil, url.Values{"title": {""}})),
		access.For("site GET /gestion/demarches/{id}", admin, fixed(built)),
		access.For("site POST /gestion/demarches/{id}/parametres", admin, posting(built, url.Values{"title": {""}})),
		access.For("site POST /gestion/demarches/{id}/pages", admin, posting(built, url.Values{"page_title": {""}})),
		access.For("site POST /gestion/demarches/{id}/champs", admin, posting(built, url.Values{"key": {"Clé invalide"}})),
		access.For("site POST /gestion/demarches/{id}/champs/supprimer", admin, posting(built, url.Values{"key": {"absent"}})),
		access.For("site POST /gestion/demarches/{id}/champs/deplacer", admin,
			posting(built, url.Values{"key": {"nom"}, "direction": {"haut"}})),
		access.For("site GET /gestion/demarches/{id}/champs/{key}", admin, fixed(field)),
		access.For("site POST /gestion/demarches/{id}/champs/{key}", admin, posting(field, url.Values{"label": {""}})),
		access.For("site POST /gestion/demarches/{id}/publier", admin, posting(built, nil)),

		access.For("site GET /api/v1/demarches", public, nil),
		access.For("site GET /api/v1/demarches/{slug}", public, fixed(named("slug", "procedure-slug"))),
		access.For("site GET /api/v1/dossiers", access.SignedInOnly(), nil),
		access.For("site POST /api/v1/dossiers", access.SignedInOnly(), func(access.Fixtures) access.Call {
			return access.Call{JSON: `{"procedure": "acte-de-naissance"}`}
		}),
		// A case reads by API for its resident, or for an agent of its service.
		access.For("site GET /api/v1/dossiers/{id}", access.Either(owner, civil), fixed(filed)),
		access.For("site GET /api/v1/gestion/dossiers", agent, nil),
		access.For("site POST /api/v1/gestion/dossiers/{id}/etat", civil, func(f access.Fixtures) access.Call {
			return access.Call{Params: filed(f), JSON: `{"state": "inconnu"}`}
		}),
	}
}

// matrixForm is the form of the procedure the builder's rows work on.
const matrixForm = `{"pages":[{"title":"Vous","sections":[{"title":"Identité","fields":[
 {"key":"nom","type":"text","label":"Nom","required":true}]}]}]}`

// AccessFixtures implements kernel.AccessFixtured: the demo resident's
// draft, filed case (with a file) and decided case of the demo's birth
// certificate procedure, cases started without an account, canned replies
// to delete, and a draft procedure for the builder's rows.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	civil, err := s.ProcedureBySlug(ctx, town.ID, "acte-de-naissance")
	if err != nil {
		return fmt.Errorf("procedure: %w", err)
	}
	f.Set("procedure-slug", civil.Slug)
	f.Set("procedure-civil", civil.ID)
	if err := c.residentCaseFixtures(ctx, town, civil, f); err != nil {
		return err
	}
	start := func(email string) (string, string, error) {
		c, tok, err := s.Start(ctx, civil, "", email, "Sans compte", "fr")
		if err != nil {
			return "", "", fmt.Errorf("anonymous case: %w", err)
		}
		return c.ID, tok, nil
	}
	id, tok, err := start("sans-compte@courriel.localhost")
	if err != nil {
		return err
	}
	f.Set("anonymous-case", id)
	f.Set("anonymous-token", tok)
	err = f.Fill("anonymous-access", f.Uses(), func() (string, error) {
		id, tok, err := start(fmt.Sprintf("sans-compte-%d@courriel.localhost", f.Next()))
		return id + " " + tok, err
	})
	if err != nil {
		return err
	}
	if err := f.Fill("reply", f.Uses(), func() (string, error) { return c.cannedReply(ctx, town, f) }); err != nil {
		return err
	}
	draftForm, err := procedure.ParseForm([]byte(matrixForm))
	if err != nil {
		return fmt.Errorf("procedure form: %w", err)
	}
	p := &procedure.Procedure{TenantID: town.ID, Slug: "demarche-de-la-matrice", Title: "Démarche de la matrice",
		Service: "etat-civil", DeadlineDays: 30, RetentionDays: 365, Draft: draftForm, Open: true}
	if err := s.CreateProcedure(ctx, p); err != nil {
		return fmt.Errorf("procedure: %w", err)
	}
	f.Set("procedure", p.ID)
	return nil
}

// residentCaseFixtures starts a draft and files a case with a file for the
// demo resident, and names the case of theirs the demo decided.
func (c *Capability) residentCaseFixtures(ctx context.Context, town *tenant.Tenant, civil *procedure.Procedure,
	f access.Fixtures) error {
	s := c.Store
	form, err := s.Form(ctx, town.ID, civil.ID, civil.Version)
	if err != nil {
		return fmt.Errorf("form: %w", err)
	}
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return fmt.Errorf("resident: %w", err)
	}
	draft, _, err := s.Start(ctx, civil, u.ID, u.Email, u.Name, "fr")
	if err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	f.Set("draft", draft.ID)
	cs, _, err := s.Start(ctx, civil, u.ID, u.Email, u.Name, "fr")
	if err != nil {
		return fmt.Errorf("case: %w", err)
	}
	answers := procedure.Answers{"nom": {Value: "Habitante"}, "prenom": {Value: "Démonstration"},
		"date_naissance": {Value: "1990-05-14"}, "type_acte": {Value: "Copie intégrale"}, "lien": {Value: "Son parent"},
		"exemplaires": {Value: "1"}, "adresse": {Value: "12 rue des Tilleuls, 86990 Montclair-sur-Vienne"}}
	if err := s.SaveDraft(ctx, cs, answers, 3, u.Name); err != nil {
		return fmt.Errorf("case: %w", err)
	}
	proof := procedure.Upload{Name: "livret.pdf", ContentType: "application/pdf",
		Body: strings.NewReader("%PDF-1.4\n% livret de famille\n")}
	if err := s.AttachToDraft(ctx, cs, form.Field("justificatif"), []procedure.Upload{proof}); err != nil {
		return fmt.Errorf("case: %w", err)
	}
	if cs, err = s.Case(ctx, town.ID, cs.ID); err != nil {
		return fmt.Errorf("case: %w", err)
	}
	if err := s.Submit(ctx, cs, civil, form, procedure.Actor{ID: u.ID, Name: u.Name}); err != nil {
		return fmt.Errorf("case: %w", err)
	}
	f.Set("case", cs.ID)
	files, err := s.CaseFiles(ctx, town.ID, cs.ID)
	if err != nil {
		return fmt.Errorf("case files: %w", err)
	}
	if len(files) == 0 {
		return errors.New("case: no file")
	}
	f.Set("case-file", files[0].ID)
	mine, err := s.MyCases(ctx, town.ID, u.ID)
	if err != nil {
		return fmt.Errorf("cases: %w", err)
	}
	// The decided school registration: its row names the school service
	// (the demo's granted permit belongs to the urbanism service).
	school, err := s.ProcedureBySlug(ctx, town.ID, "inscription-scolaire")
	if err != nil {
		return fmt.Errorf("school procedure: %w", err)
	}
	for _, c := range mine {
		if c.State == procedure.Accepted && c.ProcedureID == school.ID {
			f.Set("decided", c.ID)
		}
	}
	return nil
}

// cannedReply adds a canned reply and returns its id.
func (c *Capability) cannedReply(ctx context.Context, town *tenant.Tenant, f access.Fixtures) (string, error) {
	title := fmt.Sprintf("Réponse %d de la matrice", f.Next())
	if err := c.Store.AddCannedReply(ctx, town.ID, title, "Texte."); err != nil {
		return "", fmt.Errorf("reply: %w", err)
	}
	replies, err := c.Store.CannedReplies(ctx, town.ID)
	if err != nil {
		return "", fmt.Errorf("reply: %w", err)
	}
	for _, r := range replies {
		if r.Title == title {
			return r.ID, nil
		}
	}
	return "", errors.New("reply: not found")
}
