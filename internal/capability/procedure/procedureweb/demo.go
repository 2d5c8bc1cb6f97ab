package procedureweb

import (
	"context"
	"fmt"
	"strings"

	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// demoBirthCertificate needs no account; everyone may join an identity
// document (so that the common path shows an upload), and the proof of
// filiation is asked only when the request is for someone else (a
// condition on a section).
const demoBirthCertificate = `{"pages":[
{"title":"La personne concernée","sections":[{"title":"Identité de la personne née à Montclair","fields":[
 {"key":"info","type":"info","label":"Seuls les actes des personnes nées à Montclair-sur-Vienne sont délivrés ici.","hint":"Pour une naissance ailleurs, adressez-vous à la mairie du lieu de naissance."},
 {"key":"nom","type":"text","label":"Nom de naissance","required":true,"max_length":80},
 {"key":"prenom","type":"text","label":"Prénoms","required":true,"max_length":120},
 {"key":"date_naissance","type":"date","label":"Date de naissance","required":true,"min":"1900-01-01"}]}]},
{"title":"Votre demande","sections":[{"title":"L'acte demandé","fields":[
 {"key":"type_acte","type":"choice","label":"Type d'acte","required":true,"options":["Copie intégrale","Extrait avec filiation","Extrait sans filiation"]},
 {"key":"lien","type":"choice","label":"Vous êtes","required":true,"options":["La personne concernée","Son parent","Son enfant","Son conjoint"]},
 {"key":"exemplaires","type":"number","label":"Nombre d'exemplaires","required":true,"min":"1","max":"5"},
 {"key":"motif","type":"longtext","label":"Motif de la demande","hint":"Facultatif : par exemple un mariage, un passeport."}]}]},
{"title":"Justificatif et envoi","sections":[
 {"title":"Votre pièce d'identité","fields":[
  {"key":"piece_identite","type":"file","label":"Pièce d'identité","hint":"Facultatif : carte d'identité, passeport ou titre de séjour, en PDF ou en photo. Elle aide le service à vérifier votre demande.","accept":["pdf","jpg","jpeg","png"]}]},
 {"title":"Justificatif de filiation","condition":{"field":"lien","op":"not_equals","value":"La personne concernée"},"fields":[
  {"key":"justificatif","type":"file","label":"Livret de famille ou pièce prouvant votre lien","required":true,"accept":["pdf","jpg","jpeg","png"]}]},
 {"title":"Adresse d'envoi","fields":[
  {"key":"adresse","type":"address","label":"Adresse postale","required":true},
  {"key":"telephone","type":"phone","label":"Téléphone","hint":"Facultatif, pour vous joindre en cas de question."}]}]}]}`

// demoSchool has a repeatable block for the children, attachments, and a
// whole section shown only when the canteen is wanted.
const demoSchool = `{"pages":[
{"title":"Responsable légal","sections":[{"title":"Vous","fields":[
 {"key":"nom","type":"text","label":"Nom","required":true,"max_length":80},
 {"key":"prenom","type":"text","label":"Prénom","required":true,"max_length":80},
 {"key":"telephone","type":"phone","label":"Téléphone","required":true},
 {"key":"adresse","type":"address","label":"Adresse","required":true}]}]},
{"title":"Enfants","sections":[{"title":"Enfants à inscrire","fields":[
 {"key":"enfants","type":"repeat","label":"Enfant","required":true,"max_items":4,"hint":"Ajoutez un élément par enfant.","fields":[
  {"key":"prenom","type":"text","label":"Prénom","required":true},
  {"key":"date_naissance","type":"date","label":"Date de naissance","required":true,"min":"2015-01-01"},
  {"key":"classe","type":"choice","label":"Classe à la rentrée","required":true,"options":["Petite section","Moyenne section","Grande section","CP","CE1","CE2","CM1","CM2"]},
  {"key":"allergies","type":"text","label":"Allergies connues"}]}]}]},
{"title":"Services périscolaires","sections":[{"title":"Services","fields":[
 {"key":"cantine","type":"yesno","label":"Inscrire à la restauration scolaire ?","required":true},
 {"key":"garderie","type":"multi","label":"Accueil périscolaire","options":["Matin","Soir","Mercredi"]}]}]},
{"title":"Pièces justificatives","sections":[
 {"title":"Restauration scolaire","condition":{"field":"cantine","op":"equals","value":"oui"},"fields":[
  {"key":"regime","type":"choice","label":"Repas","required":true,"options":["Standard","Sans porc","Végétarien"]},
  {"key":"pai","type":"yesno","label":"Un projet d'accueil individualisé (PAI) est-il nécessaire ?","required":true}]},
 {"title":"Documents","fields":[
  {"key":"domicile","type":"file","label":"Justificatif de domicile de moins de 3 mois","required":true,"accept":["pdf","jpg","jpeg","png"]},
  {"key":"vaccins","type":"file","label":"Carnet de vaccination (pages des vaccins)","required":true,"accept":["pdf","jpg","jpeg","png"]}]}]}]}`

const demoHall = `{"pages":[
{"title":"Vous","sections":[{"title":"Le demandeur","fields":[
 {"key":"nom","type":"text","label":"Nom et prénom","required":true},
 {"key":"telephone","type":"phone","label":"Téléphone","required":true},
 {"key":"association","type":"yesno","label":"Réservez-vous pour une association ?","required":true}]}]},
{"title":"La réservation","sections":[
 {"title":"L'événement","fields":[
  {"key":"date_evenement","type":"date","label":"Date souhaitée","required":true},
  {"key":"personnes","type":"number","label":"Nombre de personnes attendues","required":true,"min":"1","max":"120"},
  {"key":"objet","type":"longtext","label":"Nature de l'événement","required":true}]},
 {"title":"Association","condition":{"field":"association","op":"equals","value":"oui"},"fields":[
  {"key":"nom_association","type":"text","label":"Nom de l'association","required":true},
  {"key":"siret","type":"siret","label":"SIRET de l'association","required":true}]}]}]}`

const demoDecision = `Madame, Monsieur,

Vous avez déposé le {date} la demande « {demarche} » enregistrée sous la référence {reference}, au nom de {champ:prenom} {champ:nom}.

Après instruction, votre demande est {decision}.

{motif}

Cette décision peut être contestée devant le tribunal administratif de Poitiers dans un délai de deux mois à compter de sa notification.

Pour le maire et par délégation,
Le service instructeur`

// SeedDemo implements kernel.DemoContent: it publishes the demo procedures and files a few cases in
// various states for the town.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	store := c.Store
	town, village := tenants[demo.Town], tenants[demo.Village]
	procs := []struct {
		t                                  *tenant.Tenant
		slug, title, summary, service, def string
		anonymous                          bool
		days                               int
		silence                            procedure.Silence
	}{
		{town, "acte-de-naissance", "Demande d'acte de naissance", "Recevez par courrier une copie ou un extrait d'acte de naissance, sans compte.",
			"etat-civil", demoBirthCertificate, true, 10, procedure.SilenceNone},
		{town, "inscription-scolaire", "Inscription scolaire", "Inscrivez vos enfants à l'école publique, à la cantine et à l'accueil périscolaire.",
			"scolaire", demoSchool, false, 30, procedure.SilenceAccord},
		{village, "location-salle-des-fetes", "Location de la salle des fêtes", "Réservez la salle des fêtes pour un événement familial ou associatif.",
			"accueil", demoHall, true, 15, procedure.SilenceRejet},
	}
	created := map[string]*procedure.Procedure{}
	for _, d := range procs {
		form, err := procedure.ParseForm([]byte(d.def))
		if err != nil {
			return fmt.Errorf("demo procedure %s: %w", d.slug, err)
		}
		p := &procedure.Procedure{TenantID: d.t.ID, Slug: d.slug, Title: d.title, Summary: d.summary, Service: d.service,
			Anonymous: d.anonymous, DeadlineDays: d.days, Silence: d.silence, RetentionDays: 365, DecisionTemplate: demoDecision,
			Draft: form, Open: true}
		if err := store.CreateProcedure(ctx, p); err != nil {
			return fmt.Errorf("demo procedure %s: %w", d.slug, err)
		}
		if _, err := store.Publish(ctx, d.t.ID, p.ID, "Démonstration"); err != nil {
			return fmt.Errorf("demo procedure %s: %w", d.slug, err)
		}
		if created[d.slug], err = store.Procedure(ctx, d.t.ID, p.ID); err != nil {
			return err
		}
	}
	if err := c.seedDemoApplications(ctx, store, town); err != nil {
		return err
	}
	return c.seedDemoCases(ctx, store, town, created["inscription-scolaire"])
}

// demoApplications are the town's urban-planning procedures.
var demoApplications = []struct{ kind, slug, title string }{
	{"DPMI", "declaration-prealable", "Déclaration préalable de travaux (maison individuelle)"},
	{"PCMI", "permis-de-construire", "Permis de construire une maison individuelle"},
}

// seedDemoApplications opens the town's urban-planning applications,
// instructed by its urbanism service, when the law of applications is
// installed.
func (c *Capability) seedDemoApplications(ctx context.Context, store *procedure.Store, town *tenant.Tenant) error {
	if c.k.Applications() == nil {
		return nil
	}
	created := map[string]*procedure.Procedure{}
	for _, d := range demoApplications {
		kind, err := store.ApplicationKind(d.kind)
		if err != nil {
			return err
		}
		p := procedure.NewApplicationProcedure(town.ID, d.slug, d.title, "urbanisme", kind)
		p.Anonymous = true
		if err := store.CreateProcedure(ctx, p); err != nil {
			return fmt.Errorf("demo procedure %s: %w", d.slug, err)
		}
		if _, err := store.Publish(ctx, town.ID, p.ID, "Démonstration"); err != nil {
			return fmt.Errorf("demo procedure %s: %w", d.slug, err)
		}
		if created[d.kind], err = store.Procedure(ctx, town.ID, p.ID); err != nil {
			return err
		}
	}
	return c.seedDemoApplicationCases(ctx, store, town, created)
}

// demoApplicationCases are the town's applications on real parcels of
// its cadastre: one being instructed, one awaiting a missing piece, one
// granted.
var demoApplicationCases = []struct {
	kind, parcel, address, nature string
	path                          []procedure.State
	reason                        string
}{
	{"DPMI", "69114000AA0030", "Le Bourg, 69790 Saint-Igny-de-Vers", "Construction d'un abri de jardin en bois de 12 m².",
		[]procedure.State{procedure.Instruction}, ""},
	{"DPMI", "69114000AA0022", "Le Bourg, 69790 Saint-Igny-de-Vers", "Remplacement des menuiseries et pose de volets roulants.",
		[]procedure.State{procedure.Waiting}, "Joignez le plan des façades (DP4) : les volets changent l'aspect extérieur."},
	{"PCMI", "69114000AK0170", "1 Grande Rue, 69790 Saint-Igny-de-Vers", "Construction d'une maison individuelle de 110 m² de surface de plancher.",
		[]procedure.State{procedure.Instruction, procedure.Accepted}, "Permis accordé avec prescriptions : tuiles creuses rouges."},
}

// seedDemoApplicationCases files the demo resident's applications, with
// their pieces, and moves them along as the urbanism service would.
func (c *Capability) seedDemoApplicationCases(ctx context.Context, store *procedure.Store, town *tenant.Tenant,
	procs map[string]*procedure.Procedure) error {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, "habitante@courriel.localhost")
	if err != nil {
		return err
	}
	agent := procedure.Actor{Name: "Service urbanisme", Staff: true}
	for _, d := range demoApplicationCases {
		p := procs[d.kind]
		form, err := store.Form(ctx, town.ID, p.ID, p.Version)
		if err != nil {
			return err
		}
		ca, _, err := store.Start(ctx, p, u.ID, u.Email, u.Name, "fr")
		if err != nil {
			return err
		}
		answers := procedure.Answers{procedure.ParcelField: {Value: d.parcel}, "adresse_terrain": {Value: d.address},
			"prenom": {Value: "Démonstration"}, "nom": {Value: "Habitante"}, "nature": {Value: d.nature}}
		if err := store.SaveDraft(ctx, ca, answers, 3, u.Name); err != nil {
			return err
		}
		kind, err := store.ApplicationKind(d.kind)
		if err != nil {
			return err
		}
		for _, piece := range kind.Pieces {
			if !piece.Required {
				continue
			}
			name := strings.ToLower(piece.Code)
			if err := store.AttachToDraft(ctx, ca, form.Field(name), []procedure.Upload{{Name: name + ".pdf", ContentType: "application/pdf",
				Body: strings.NewReader("%PDF-1.4\n% pièce de démonstration\n")}}); err != nil {
				return err
			}
		}
		if err := store.Submit(ctx, ca, p, form, procedure.Actor{ID: u.ID, Name: u.Name}); err != nil {
			return fmt.Errorf("demo application on %s: %w", d.parcel, err)
		}
		for _, to := range d.path {
			reason := ""
			if to == procedure.Waiting || to == procedure.Accepted {
				reason = d.reason
			}
			if err := store.Transition(ctx, ca, p, to, agent, reason); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedDemoCases files school registrations for the demo resident and
// moves them along the workflow.
func (c *Capability) seedDemoCases(ctx context.Context, store *procedure.Store, town *tenant.Tenant, p *procedure.Procedure) error {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, "habitante@courriel.localhost")
	if err != nil {
		return err
	}
	form, err := store.Form(ctx, town.ID, p.ID, p.Version)
	if err != nil {
		return err
	}
	agent := procedure.Actor{Name: "Service scolaire", Staff: true}
	steps := [][]procedure.State{{}, {procedure.Instruction}, {procedure.Waiting}, {procedure.Instruction, procedure.Accepted}}
	children := []string{"Lina", "Noé", "Jade", "Sacha"}
	for i, path := range steps {
		c, _, err := store.Start(ctx, p, u.ID, u.Email, u.Name, "fr")
		if err != nil {
			return err
		}
		answers := procedure.Answers{"nom": {Value: "Habitante"}, "prenom": {Value: "Démonstration"},
			"telephone": {Value: "05 49 00 00 00"}, "adresse": {Value: "12 rue des Tilleuls, 86990 Montclair-sur-Vienne"},
			"cantine": {Value: "non"}, "garderie": {Values: []string{"Soir"}},
			"enfants": {Items: []procedure.Answers{{"prenom": {Value: children[i]}, "date_naissance": {Value: "2019-0" + fmt.Sprint(i+3) + "-14"},
				"classe": {Value: "CP"}}}}}
		if err := store.SaveDraft(ctx, c, answers, 3, u.Name); err != nil {
			return err
		}
		for _, key := range []string{"domicile", "vaccins"} {
			fl := form.Field(key)
			if err := store.AttachToDraft(ctx, c, fl, []procedure.Upload{{Name: key + ".pdf", ContentType: "application/pdf",
				Body: strings.NewReader("%PDF-1.4\n% document de démonstration\n")}}); err != nil {
				return err
			}
		}
		if err := store.Submit(ctx, c, p, form, procedure.Actor{ID: u.ID, Name: u.Name}); err != nil {
			return err
		}
		for _, to := range path {
			reason := ""
			if to == procedure.Waiting {
				reason = "Le justificatif de domicile est illisible : merci d'en joindre un nouveau."
			}
			if err := store.Transition(ctx, c, p, to, agent, reason); err != nil {
				return err
			}
		}
	}
	return nil
}
