package reportsweb

import (
	"context"
	"fmt"
	"math"
	"time"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// Demo accounts: the agent of the technical services who handles the
// town's reports, and the residents who filed some of them.
const (
	DemoAgent    = "technique@montclair.localhost"
	DemoResident = "habitante@courriel.localhost"
	// DemoKeyName is the Open311 client the demo's other reports came
	// through: the town's mobile application.
	DemoKeyName = "Application mobile « Montclair dans ma poche »"
	// DemoContractor is the outside company mailed the graffiti reports.
	DemoContractor = "interventions@net-facades.localhost"
)

// demoCategory is one category of the demo.
type demoCategory struct {
	code, name, group, about, contractor string
	keywords                             []string
	questions                            []reports.Question
}

var townCategories = []demoCategory{
	{code: "voirie-nid-de-poule", name: "Nid-de-poule ou chaussée abîmée", group: "Voirie",
		about:    "Trou, affaissement ou fissure de la chaussée, d'une piste cyclable ou d'un parking public.",
		keywords: []string{"trou", "route", "bitume"}, questions: []reports.Question{
			{Code: "emplacement", Label: "Où se trouve le problème\u00a0?", Datatype: reports.TypeSingle, Required: true, Order: 1,
				Values: []reports.Choice{{Key: "chaussee", Name: "Sur la chaussée"}, {Key: "piste", Name: "Sur une piste cyclable"},
					{Key: "parking", Name: "Sur un parking"}}},
			{Code: "danger", Label: "Présente-t-il un danger immédiat pour les deux-roues\u00a0?", Datatype: reports.TypeSingle, Order: 2,
				Values: []reports.Choice{{Key: "oui", Name: "Oui"}, {Key: "non", Name: "Non"}}}}},
	{code: "voirie-trottoir", name: "Trottoir ou passage piéton dégradé", group: "Voirie",
		about:    "Dalle descellée, bordure cassée, passage piéton effacé, obstacle gênant les fauteuils et les poussettes.",
		keywords: []string{"trottoir", "dalle", "piéton"}},
	{code: "eclairage-panne", name: "Éclairage public en panne", group: "Éclairage public",
		about:    "Lampadaire éteint, qui clignote ou reste allumé le jour.",
		keywords: []string{"lampadaire", "lumière", "réverbère"}, questions: []reports.Question{
			{Code: "numero", Label: "Numéro inscrit sur le poteau", Datatype: reports.TypeString, Order: 1,
				Description: "Une plaque porte souvent un numéro à hauteur d'yeux, par exemple EP-0412."},
			{Code: "etat", Label: "Le lampadaire…", Datatype: reports.TypeSingle, Required: true, Order: 2,
				Values: []reports.Choice{{Key: "eteint", Name: "reste éteint la nuit"}, {Key: "clignote", Name: "clignote"},
					{Key: "allume", Name: "reste allumé le jour"}}}}},
	{code: "proprete-depot-sauvage", name: "Dépôt sauvage", group: "Propreté",
		about:    "Déchets, encombrants ou gravats abandonnés sur la voie publique ou dans la nature.",
		keywords: []string{"déchets", "encombrants", "ordures"}, questions: []reports.Question{
			{Code: "volume", Label: "Quel volume environ\u00a0?", Datatype: reports.TypeSingle, Required: true, Order: 1,
				Values: []reports.Choice{{Key: "sacs", Name: "Quelques sacs"}, {Key: "meubles", Name: "Des meubles ou de l'électroménager"},
					{Key: "gravats", Name: "Des gravats (plus d'un mètre cube)"}}}}},
	{code: "proprete-graffiti", name: "Graffiti ou tag", group: "Propreté",
		about:    "Inscription sur un bâtiment public, un mur donnant sur la rue ou du mobilier urbain. Les injures sont effacées en priorité.",
		keywords: []string{"tag", "inscription", "peinture"}, contractor: DemoContractor},
	{code: "proprete-corbeille", name: "Corbeille pleine ou cassée", group: "Propreté",
		about: "Corbeille de rue qui déborde, arrachée ou endommagée.", keywords: []string{"poubelle", "corbeille"}},
	{code: "espaces-verts-arbre", name: "Arbre ou branche dangereux", group: "Espaces verts",
		about:    "Branche cassée ou menaçant de tomber, arbre penché, haie qui masque la visibilité.",
		keywords: []string{"arbre", "branche", "haie"}},
	{code: "signalisation-panneau", name: "Panneau ou feu tricolore", group: "Signalisation",
		about: "Panneau tombé, tourné ou illisible, feu tricolore en panne.", keywords: []string{"panneau", "feu", "stop"}},
	{code: "mobilier-urbain", name: "Banc, abribus ou jeu d'enfants abîmé", group: "Mobilier urbain",
		about:    "Mobilier de la commune cassé ou dangereux\u00a0: banc, abribus, barrière, jeu d'une aire de jeux.",
		keywords: []string{"banc", "abribus", "aire de jeux"}},
}

var villageCategories = []demoCategory{
	{code: "voirie-nid-de-poule", name: "Chemin ou route abîmé", group: "Voirie",
		about: "Trou, ornière ou affaissement d'une voie communale ou d'un chemin rural."},
	{code: "eclairage-panne", name: "Éclairage public en panne", group: "Éclairage public",
		about: "Lampadaire éteint, qui clignote ou reste allumé le jour."},
}

// demoReport is one of the town's demo reports: filed daysAgo days
// before the demo starts, then taken through steps by the agent.
type demoReport struct {
	category, description string
	answers               reports.Answers
	daysAgo               int
	byAccount             bool
	steps                 []demoStep
}

// demoStep is one change of a demo report, afterDays after it was filed.
type demoStep struct {
	afterDays float64
	status    reports.Status
	note      string
	// duplicateOf is the index of the original in townReports.
	duplicateOf int
}

func ack(d float64) demoStep {
	return demoStep{afterDays: d, status: reports.Acknowledged, note: "Signalement transmis à l'équipe voirie-propreté, merci."}
}

func working(d float64, note string) demoStep {
	return demoStep{afterDays: d, status: reports.InProgress, note: note}
}

func fixed(d float64, note string) demoStep {
	return demoStep{afterDays: d, status: reports.Fixed, note: note}
}

var townReports = []demoReport{
	// New.
	{category: "voirie-nid-de-poule", description: "Gros trou devant le numéro, les voitures font un écart pour l'éviter.",
		answers: reports.Answers{"emplacement": {"chaussee"}, "danger": {"oui"}}, daysAgo: 1},
	{category: "eclairage-panne", description: "Le lampadaire à l'angle reste éteint depuis trois soirs, la rue est très sombre.",
		answers: reports.Answers{"etat": {"eteint"}, "numero": {"EP-0412"}}, daysAgo: 2, byAccount: true},
	{category: "proprete-depot-sauvage", description: "Un matelas et deux chaises déposés contre le mur du cimetière.",
		answers: reports.Answers{"volume": {"meubles"}}, daysAgo: 1},
	{category: "proprete-graffiti", description: "Tag injurieux sur la porte de la salle des fêtes.", daysAgo: 0},
	{category: "espaces-verts-arbre", description: "Une grosse branche du tilleul pend au-dessus du trottoir après le coup de vent.", daysAgo: 3},
	{category: "voirie-trottoir", description: "Plusieurs dalles descellées devant la boulangerie, une personne a trébuché.", daysAgo: 2},
	{category: "mobilier-urbain", description: "Une planche du banc de l'arrêt de car est cassée, on peut se blesser.", daysAgo: 4},
	{category: "proprete-corbeille", description: "La corbeille près de l'abribus déborde depuis le week-end.", daysAgo: 1, byAccount: true},
	// Acknowledged.
	{category: "voirie-nid-de-poule", description: "Affaissement de la chaussée au-dessus de la tranchée refaite l'hiver dernier.",
		answers: reports.Answers{"emplacement": {"chaussee"}, "danger": {"non"}}, daysAgo: 9, steps: []demoStep{ack(1)}},
	{category: "signalisation-panneau", description: "Le panneau « Cédez le passage » a été tourné vers le champ.", daysAgo: 6, steps: []demoStep{ack(0.5)}},
	{category: "eclairage-panne", description: "Lampadaire qui clignote toute la nuit devant l'école.",
		answers: reports.Answers{"etat": {"clignote"}}, daysAgo: 12, steps: []demoStep{ack(2)}},
	{category: "voirie-trottoir", description: "Le marquage du passage piéton devant la mairie est presque effacé.", daysAgo: 15, byAccount: true,
		steps: []demoStep{ack(3)}},
	{category: "proprete-depot-sauvage", description: "Sacs de déchets verts laissés au bout du chemin, près du ruisseau.",
		answers: reports.Answers{"volume": {"sacs"}}, daysAgo: 5, steps: []demoStep{ack(1)}},
	{category: "mobilier-urbain", description: "Le toboggan de l'aire de jeux a une vis qui dépasse.", daysAgo: 7, steps: []demoStep{ack(0.2)}},
	{category: "espaces-verts-arbre", description: "La haie du terrain communal masque le stop pour les voitures qui sortent.", daysAgo: 10,
		steps: []demoStep{ack(2)}},
	// In progress.
	{category: "voirie-nid-de-poule", description: "Nids-de-poule en série sur la piste cyclable le long de la route départementale.",
		answers: reports.Answers{"emplacement": {"piste"}, "danger": {"oui"}}, daysAgo: 20, byAccount: true,
		steps: []demoStep{ack(1), working(8, "Rebouchage à l'enrobé à froid programmé la semaine prochaine.")}},
	{category: "eclairage-panne", description: "Trois lampadaires éteints d'affilée dans la montée.",
		answers: reports.Answers{"etat": {"eteint"}}, daysAgo: 14,
		steps: []demoStep{ack(1), working(3, "Le câble d'alimentation est endommagé\u00a0: l'entreprise d'éclairage intervient sous dix jours.")}},
	{category: "proprete-graffiti", description: "Tags sur l'abribus, côté route.", daysAgo: 11,
		steps: []demoStep{ack(1), working(4, "Nettoyage confié à l'entreprise chargée des façades.")}},
	{category: "signalisation-panneau", description: "Le feu tricolore du carrefour reste à l'orange clignotant.", daysAgo: 4,
		steps: []demoStep{working(0.1, "Le prestataire de maintenance des feux est prévenu\u00a0; signalisation provisoire en place.")}},
	{category: "voirie-trottoir", description: "Bordure de trottoir arrachée par un camion au virage.", daysAgo: 25,
		steps: []demoStep{ack(2), working(12, "Pose d'une bordure neuve prévue avec les travaux de la rue.")}},
	{category: "espaces-verts-arbre", description: "Arbre penché vers la route depuis la tempête, racines soulevées.", daysAgo: 18,
		steps: []demoStep{ack(0.5), working(2, "Expertise de l'arbre demandée, périmètre de sécurité installé.")}},
	{category: "mobilier-urbain", description: "La vitre de l'abribus est fendue sur toute la hauteur.", daysAgo: 30,
		steps: []demoStep{ack(1), working(10, "Vitre commandée, pose dès réception.")}},
	// Fixed.
	{category: "voirie-nid-de-poule", description: "Trou profond à la sortie du parking de la salle des fêtes.",
		answers: reports.Answers{"emplacement": {"parking"}, "danger": {"oui"}}, daysAgo: 16, byAccount: true,
		steps: []demoStep{ack(1), fixed(5, "Trou rebouché le matin même par l'équipe voirie.")}},
	{category: "eclairage-panne", description: "Lampadaire allumé en plein jour devant la poste.",
		answers: reports.Answers{"etat": {"allume"}}, daysAgo: 22, steps: []demoStep{ack(1), fixed(6, "Horloge de l'armoire de commande réglée.")}},
	{category: "proprete-depot-sauvage", description: "Gravats déversés à l'entrée du chemin des Vignes.",
		answers: reports.Answers{"volume": {"gravats"}}, daysAgo: 40,
		steps: []demoStep{ack(1), working(3, "Enlèvement prévu avec une benne."), fixed(9, "Gravats enlevés\u00a0; une plainte a été déposée.")}},
	{category: "proprete-corbeille", description: "Corbeille arrachée de son poteau.", daysAgo: 12, steps: []demoStep{fixed(4, "Corbeille refixée.")}},
	{category: "proprete-graffiti", description: "Tag sur le panneau d'entrée de la commune.", daysAgo: 35,
		steps: []demoStep{ack(1), fixed(7, "Panneau nettoyé par l'entreprise.")}},
	{category: "voirie-trottoir", description: "Trou dans le trottoir après le remplacement d'un compteur d'eau.", daysAgo: 50,
		steps: []demoStep{ack(2), working(5, "Le concessionnaire du réseau d'eau doit reprendre sa tranchée."), fixed(21, "Trottoir refait par le concessionnaire.")}},
	{category: "espaces-verts-arbre", description: "Branche tombée sur le chemin piéton du parc.", daysAgo: 8,
		steps: []demoStep{fixed(0.3, "Branche évacuée par l'équipe des espaces verts.")}},
	{category: "signalisation-panneau", description: "Panneau de limitation à 30 tombé au sol.", daysAgo: 60,
		steps: []demoStep{ack(1), fixed(3, "Panneau reposé et scellé.")}},
	// Closed without a fix of the town's.
	{category: "voirie-nid-de-poule", description: "Ornières sur le chemin menant à la ferme.",
		answers: reports.Answers{"emplacement": {"chaussee"}}, daysAgo: 45, steps: []demoStep{ack(2),
			{afterDays: 6, status: reports.Closed, note: "Ce chemin est privé\u00a0: son entretien revient à ses propriétaires, que nous avons informés."}}},
	{category: "mobilier-urbain", description: "Le banc a disparu de la place.", daysAgo: 28, steps: []demoStep{
		{afterDays: 1, status: reports.Closed, note: "Le banc a été enlevé pour être repeint\u00a0; il revient au printemps."}}},
	{category: "eclairage-panne", description: "Lampadaire éteint au fond de l'impasse.", daysAgo: 33,
		answers: reports.Answers{"etat": {"eteint"}}, steps: []demoStep{ack(1), fixed(4, "Ampoule remplacée."),
			{afterDays: 32, status: reports.Closed, note: "Aucune nouvelle panne depuis quatre semaines\u00a0: signalement clos."}}},
	// Duplicates of reports above (by index).
	{category: "voirie-nid-de-poule", description: "Nid-de-poule dangereux, j'ai failli tomber à vélo.",
		answers: reports.Answers{"emplacement": {"chaussee"}, "danger": {"oui"}}, daysAgo: 0,
		steps: []demoStep{{afterDays: 0.1, status: reports.Duplicate, duplicateOf: 0, note: "Déjà signalé\u00a0: suivez le signalement d'origine."}}},
	{category: "eclairage-panne", description: "Toute la montée est dans le noir.", daysAgo: 10,
		answers: reports.Answers{"etat": {"eteint"}},
		steps:   []demoStep{{afterDays: 0.5, status: reports.Duplicate, duplicateOf: 16, note: "Même panne que le signalement d'origine, en cours de réparation."}}},
	{category: "proprete-graffiti", description: "Graffitis sur l'abri de bus.", daysAgo: 9,
		steps: []demoStep{{afterDays: 1, status: reports.Duplicate, duplicateOf: 17, note: "Déjà pris en charge."}}},
}

// SeedDemo implements kernel.DemoContent: the town's categories routed
// to the technical services (graffiti also mailed to a contractor), 36
// reports in every status on the town's demo addresses with their
// histories, the town's mobile application as an Open311 client, a
// follow and an area alert of the demo resident; the village's two
// categories.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	if town, ok := tenants[demo.Town]; ok {
		if err := c.seedTown(ctx, town); err != nil {
			return fmt.Errorf("reports demo, town: %w", err)
		}
	}
	if village, ok := tenants[demo.Village]; ok {
		if _, err := c.seedCategories(ctx, village, villageCategories); err != nil {
			return fmt.Errorf("reports demo, village: %w", err)
		}
	}
	return nil
}

func (c *Capability) seedCategories(ctx context.Context, t *tenant.Tenant, list []demoCategory) (map[string]*reports.Category, error) {
	out := map[string]*reports.Category{}
	for i, d := range list {
		cat := &reports.Category{TenantID: t.ID, Code: d.code, Name: d.name, Group: d.group, Description: d.about,
			Keywords: d.keywords, Service: Service, ContractorEmail: d.contractor, Questions: d.questions, Active: true, Position: i + 1}
		if err := c.Store.CreateCategory(ctx, cat); err != nil {
			return nil, fmt.Errorf("category %s: %w", d.code, err)
		}
		out[d.code] = cat
	}
	return out, nil
}

func (c *Capability) seedTown(ctx context.Context, town *tenant.Tenant) error {
	cats, err := c.seedCategories(ctx, town, townCategories)
	if err != nil {
		return err
	}
	places, err := c.demoPlaces(ctx, town.ID)
	if err != nil {
		return err
	}
	resident, err := c.k.Accounts.ByEmail(ctx, town.ID, DemoResident)
	if err != nil {
		return fmt.Errorf("demo resident: %w", err)
	}
	key, _, err := c.Store.CreateKey(ctx, town.ID, DemoKeyName)
	if err != nil {
		return err
	}
	// The demo's past is written by a copy of the store whose clock is
	// set back, and which mails nobody.
	start := c.Store.Now()
	past := *c.Store
	past.Mail, past.Links = nil, nil
	// A report filed "0 days ago" was filed three hours before the demo
	// starts; every step must still lie in the past.
	at := func(daysAgo int, after float64) error {
		t := start.Add(-time.Duration(daysAgo)*24*time.Hour - 3*time.Hour + time.Duration(after*24*float64(time.Hour)))
		if !t.Before(start) {
			return fmt.Errorf("a demo step %d days ago + %.1f falls in the future", daysAgo, after)
		}
		past.Now = func() time.Time { return t }
		return nil
	}
	ids := make([]string, len(townReports))
	for i, d := range townReports {
		p := places[(i*7)%len(places)]
		draft := reports.Draft{CategoryID: cats[d.category].ID, Lat: p.Point.Lat(), Lon: p.Point.Lon(), Address: p.Label,
			Description: d.description, Answers: d.answers, Lang: "fr"}
		// Duplicates stand a few metres from their original.
		if len(d.steps) > 0 && d.steps[0].status == reports.Duplicate {
			o := places[(d.steps[0].duplicateOf*7)%len(places)]
			draft.Lat, draft.Lon, draft.Address = o.Point.Lat()+0.00004, o.Point.Lon()-0.00005, o.Label
		}
		if d.byAccount {
			draft.AccountID, draft.EmailVerified = resident.ID, true
			draft.Contact = reports.Contact{Name: resident.Name, Email: resident.Email}
		} else {
			draft.APIKeyID = key.ID
			draft.Contact = reports.Contact{Name: demoReporters[i%len(demoReporters)],
				Email: fmt.Sprintf("signalement%02d@courriel.localhost", i+1)}
		}
		if err := at(d.daysAgo, 0); err != nil {
			return err
		}
		r, _, err := past.Submit(ctx, town.ID, draft)
		if err != nil {
			return fmt.Errorf("report %d: %w", i+1, err)
		}
		ids[i] = r.ID
		for _, st := range d.steps {
			if err := at(d.daysAgo, st.afterDays); err != nil {
				return err
			}
			ch := reports.Change{Status: st.status, PublicNote: st.note, By: "Services techniques"}
			if st.status == reports.Duplicate {
				ch.DuplicateOf = ids[st.duplicateOf]
			}
			if _, err := past.Change(ctx, town.ID, r.ID, ch); err != nil {
				return fmt.Errorf("report %d, %s: %w", i+1, st.status, err)
			}
		}
	}
	if err := at(3, 0); err != nil {
		return err
	}
	if err := past.FollowByAccount(ctx, town.ID, ids[15], resident.ID, resident.Email, "fr"); err != nil {
		return err
	}
	home := places[0].Point
	token, err := past.SubscribeArea(ctx, town.ID, reports.AreaAlert{Email: resident.Email, Lat: home.Lat(), Lon: home.Lon(),
		Radius: 300, Lang: "fr"})
	if err != nil {
		return err
	}
	return past.ConfirmAreaAlert(ctx, town.ID, token)
}

// demoReporters name the residents who reported through the mobile
// application.
var demoReporters = []string{"Claire Fontaine", "Mehdi Benali", "Jeanne Rivière", "Lucas Moreau", "Aïcha Diallo",
	"Paul Girard", "Nathalie Roux", "Thomas Lefèvre"}

// demoPlaces are the town's demo addresses (the urbanism demo's), in a
// fixed order.
func (c *Capability) demoPlaces(ctx context.Context, tenantID string) ([]kernel.Address, error) {
	var out []kernel.Address
	for _, street := range []string{"Grande Rue", "Rue de l'Église", "Chemin des Vignes"} {
		found, err := c.k.FindAddresses(ctx, tenantID, street)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no demo address: the urbanism demo must come first")
	}
	for i := range out {
		// A few metres off the door, as a report is placed in the street.
		a := float64(i) * 2.4
		out[i].Point[0] += 0.00008 * math.Cos(a)
		out[i].Point[1] += 0.00005 * math.Sin(a)
	}
	return out, nil
}
