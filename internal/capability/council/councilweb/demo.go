package councilweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/council"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/pdf"
	"guichet/internal/kernel/tenant"
)

// demoMembers is the town's council: 33 members for 10,000 to 19,999
// inhabitants (CGCT L2121-2), a mayor, eight deputies, two delegates; a
// majority group and an opposition group.
var demoMembers = []struct {
	name, role, delegation string
	rank                   int
	opposition             bool
}{
	{"Hélène Marchand", council.Mayor, "", 0, false},
	{"Olivier Bertrand", council.Deputy, "Finances et budget", 1, false},
	{"Nadia Benali", council.Deputy, "Affaires scolaires et jeunesse", 2, false},
	{"Jean-Luc Perrot", council.Deputy, "Travaux et voirie", 3, false},
	{"Sophie Lemaire", council.Deputy, "Action sociale et solidarités", 4, false},
	{"Thierry Gauthier", council.Deputy, "Urbanisme et aménagement", 5, false},
	{"Camille Robin", council.Deputy, "Culture et patrimoine", 6, false},
	{"Patrick Fontaine", council.Deputy, "Sports et vie associative", 7, false},
	{"Isabelle Renaud", council.Deputy, "Environnement et transition écologique", 8, false},
	{"Mathieu Caron", council.Delegate, "Commerce et marchés", 0, false},
	{"Aurélie Dumont", council.Delegate, "Numérique et accueil des usagers", 0, false},
	{"Bernard Chevalier", council.Councillor, "", 0, false},
	{"Chantal Leroy", council.Councillor, "", 0, false},
	{"Damien Faure", council.Councillor, "", 0, false},
	{"Élodie Masson", council.Councillor, "", 0, false},
	{"François Brunet", council.Councillor, "", 0, false},
	{"Gaëlle Roussel", council.Councillor, "", 0, false},
	{"Hugo Lambert", council.Councillor, "", 0, false},
	{"Josiane Picard", council.Councillor, "", 0, false},
	{"Karim Mansouri", council.Councillor, "", 0, false},
	{"Laure Vidal", council.Councillor, "", 0, false},
	{"Michel Aubert", council.Councillor, "", 0, false},
	{"Nathalie Giraud", council.Councillor, "", 0, false},
	{"Pascal Royer", council.Councillor, "", 0, false},
	{"Rachida Haddou", council.Councillor, "", 0, false},
	{"Sébastien Morel", council.Councillor, "", 0, false},
	{"Anne-Marie Colin", council.Councillor, "", 0, true},
	{"Christophe Barbier", council.Councillor, "", 0, true},
	{"Delphine Arnaud", council.Councillor, "", 0, true},
	{"Emmanuel Huet", council.Councillor, "", 0, true},
	{"Florence Noël", council.Councillor, "", 0, true},
	{"Grégory Lacroix", council.Councillor, "", 0, true},
	{"Valérie Schmitt", council.Councillor, "", 0, true},
}

// demoDeliberation is a deliberation of a demo session: its agenda item,
// subject, text and vote against (opposition members voting against) and
// abstaining.
type demoDeliberation struct {
	item, rapporteur, code, title, body, discussion string
	against, abstain                                int
	budget                                          string
	published                                       bool
}

var pastSession = []demoDeliberation{
	{"Décision modificative n° 2 du budget principal", "Olivier Bertrand", "7.1",
		"Décision modificative n° 2 du budget principal 2026",
		"Vu le code général des collectivités territoriales, notamment ses articles L1612-11 et L2311-1 ;\n\nVu le budget primitif 2026 adopté le 26 mars 2026 ;\n\nConsidérant la nécessité d'ajuster les crédits de la section d'investissement pour la réfection de la toiture du gymnase Jean-Moulin ;\n\nLe conseil municipal, après en avoir délibéré, **adopte** la décision modificative n° 2 du budget principal 2026, qui ouvre 185 000 € en dépenses d'investissement (opération 214 « Gymnase Jean-Moulin ») financés par la réduction des dépenses imprévues.",
		"Mme Colin regrette que l'opération n'ait pas été inscrite au budget primitif. M. Bertrand répond que l'expertise de la charpente n'a été connue qu'en septembre.",
		5, 2, "2026", true},
	{"Subventions aux associations sportives, second semestre", "Patrick Fontaine", "7.5",
		"Attribution des subventions aux associations sportives pour le second semestre 2026",
		"Le conseil municipal, après en avoir délibéré, **attribue** les subventions suivantes :\n\n- Union sportive de Montclair (football) : 6 500 € ;\n- Montclair Basket Club : 4 200 € ;\n- Club de natation des Trois Rivières : 3 800 € ;\n- Association de gymnastique volontaire : 1 200 €.\n\nLes crédits sont inscrits à l'article 6574 du budget principal.",
		"M. Barbier demande que les critères d'attribution soient publiés. Mme la Maire indique qu'ils figurent dans le règlement adopté en 2025.",
		0, 0, "", true},
	{"Tarifs de la restauration scolaire", "Nadia Benali", "8.1",
		"Tarifs de la restauration scolaire à compter du 1er janvier 2027",
		"Le conseil municipal, après en avoir délibéré, **fixe** les tarifs du repas servi dans les restaurants scolaires à compter du 1er janvier 2027 selon le quotient familial : de 1,00 € (quotient inférieur à 500) à 4,10 € (quotient supérieur à 1 500). Le repas des adultes est fixé à 6,20 €.",
		"Mme Arnaud propose le maintien du repas à 1 € pour les deux premières tranches ; la proposition n'est pas retenue.",
		7, 0, "", true},
	{"Acquisition d'une parcelle pour le futur parking de la gare", "Thierry Gauthier", "3.1",
		"Acquisition de la parcelle cadastrée section AB n° 412, rue de la Gare",
		"Vu l'avis du pôle d'évaluation domaniale du 14 octobre 2026 ;\n\nLe conseil municipal, après en avoir délibéré, **décide** d'acquérir la parcelle cadastrée section AB n° 412, d'une contenance de 1 240 m², au prix de 86 800 €, frais d'acte en sus, et **autorise** Mme la Maire à signer l'acte authentique.",
		"", 0, 3, "", true},
	{"Création d'un emploi de technicien territorial", "Olivier Bertrand", "4.1",
		"Création d'un emploi permanent de technicien territorial au service des bâtiments",
		"Le conseil municipal, après en avoir délibéré, **crée** un emploi permanent de technicien territorial à temps complet au service des bâtiments à compter du 1er janvier 2027 et **modifie** le tableau des effectifs en conséquence.",
		"", 0, 0, "", true},
	{"Désignation d'un délégué au syndicat des eaux", "Hélène Marchand", "5.3",
		"Désignation d'un délégué suppléant au syndicat intercommunal des eaux de la Vienne",
		"Le conseil municipal, après avoir décidé à l'unanimité de ne pas procéder au scrutin secret (article L2121-21 du CGCT), **désigne** M. Mathieu Caron délégué suppléant au syndicat intercommunal des eaux de la Vienne.",
		"", 0, 0, "", true},
	{"Vœu pour le maintien du bureau de poste du centre-ville", "Hélène Marchand", "9.4",
		"Vœu pour le maintien des horaires d'ouverture du bureau de poste du centre-ville",
		"Le conseil municipal **demande** à La Poste de maintenir l'ouverture du bureau du centre-ville six jours sur sept et de consulter la commune avant toute réduction de ses horaires.",
		"Le vœu est présenté conjointement par les deux groupes.", 0, 0, "", true},
	{"Rapport sur le prix et la qualité du service de l'eau", "Isabelle Renaud", "8.8",
		"Rapport annuel 2025 sur le prix et la qualité du service public d'eau potable",
		"Vu l'article L2224-5 du CGCT ;\n\nLe conseil municipal **prend acte** du rapport annuel 2025 sur le prix et la qualité du service public d'eau potable présenté par le syndicat intercommunal des eaux de la Vienne : 1 248 000 m³ distribués, 99,6 % de conformité bactériologique, prix de 2,31 € TTC le m³ pour 120 m³.",
		"", 0, 0, "", true},
}

var recentSession = []demoDeliberation{
	{"Budget primitif 2027", "Olivier Bertrand", "7.1", "Adoption du budget primitif 2027 du budget principal",
		"Vu le débat d'orientation budgétaire du 5 novembre 2026 ;\n\nLe conseil municipal, après en avoir délibéré, **adopte** le budget primitif 2027 du budget principal, voté par nature et au niveau du chapitre, qui s'équilibre à 14 820 000 € en fonctionnement et 5 460 000 € en investissement.",
		"Le groupe « Montclair Demain » présente un amendement sur la rénovation énergétique des écoles, rejeté par 26 voix contre 7.",
		7, 0, "2027", true},
	{"Taux de la taxe foncière 2027", "Olivier Bertrand", "7.2", "Vote des taux d'imposition pour 2027",
		"Le conseil municipal, après en avoir délibéré, **maintient** pour 2027 les taux de 2026 : taxe foncière sur les propriétés bâties 41,20 %, taxe foncière sur les propriétés non bâties 48,75 %.",
		"", 0, 7, "", true},
	{"Marché de maîtrise d'œuvre de l'école Jules-Ferry", "Jean-Luc Perrot", "1.1",
		"Attribution du marché de maîtrise d'œuvre pour la rénovation énergétique de l'école Jules-Ferry",
		"Vu l'avis de la commission d'appel d'offres du 20 novembre 2026 ;\n\nLe conseil municipal, après en avoir délibéré, **attribue** le marché de maîtrise d'œuvre au groupement Atelier Sud-Ouest Architectes pour un forfait provisoire de rémunération de 214 500 € HT et **autorise** Mme la Maire à le signer.",
		"", 0, 0, "", false},
	{"Convention de mise à disposition du gymnase au collège", "Patrick Fontaine", "3.3",
		"Convention de mise à disposition du gymnase Jean-Moulin au collège Marie-Curie",
		"Le conseil municipal, après en avoir délibéré, **approuve** la convention tripartite avec le département et le collège Marie-Curie pour l'usage du gymnase Jean-Moulin pendant le temps scolaire, moyennant une participation de 12 € de l'heure.",
		"", 0, 0, "", true},
}

// demoRectification corrects the third deliberation of the past session.
const demoRectification = "Le conseil municipal **rectifie** l'erreur matérielle de la délibération n° %s relative aux tarifs de la restauration scolaire : le tarif de la dernière tranche de quotient familial est de 4,01 € et non de 4,10 €. Les autres dispositions sont inchangées."

// SeedDemo implements kernel.DemoContent: the town's council (33
// members), a session five weeks ago (deliberations, list and minutes
// published), one three days ago whose list of deliberations is due and
// which approved the first one's minutes, one to come with its
// convocation and documents, the mayor's arrêtés and a decision.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	town := tenants[demo.Town]
	s, loc := c.Store, town.Location()
	now := s.Now().In(loc)
	const author = "Secrétariat du conseil"
	var members []*council.Member
	for _, d := range demoMembers {
		group := "Montclair Ensemble"
		if d.opposition {
			group = "Montclair Demain"
		}
		m := &council.Member{TenantID: town.ID, Name: d.name, Role: d.role, Rank: d.rank, Delegation: d.delegation, Group: group,
			TermStart: "2026-03-22"}
		if err := s.SaveMember(ctx, m); err != nil {
			return err
		}
		members = append(members, m)
	}
	weekday := func(days int) time.Time {
		d := time.Date(now.Year(), now.Month(), now.Day()+days, 18, 30, 0, 0, loc)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	past, err := c.demoSession(ctx, town, members, weekday(-35), pastSession, author)
	if err != nil {
		return err
	}
	recent, err := c.demoSession(ctx, town, members, weekday(-3), recentSession, author)
	if err != nil {
		return err
	}
	// The past session's list went online, and its minutes, approved at
	// the recent session, too.
	if err := s.PublishList(ctx, town.ID, past.ID); err != nil {
		return err
	}
	text, err := s.DraftMinutes(ctx, town.ID, past.ID, loc)
	if err != nil {
		return err
	}
	if err := s.SaveMinutes(ctx, town.ID, past.ID, text); err != nil {
		return err
	}
	if err := s.ApproveMinutes(ctx, town.ID, past.ID, recent.ID, loc); err != nil {
		return err
	}
	if err := s.PublishMinutes(ctx, town.ID, past.ID, loc); err != nil {
		return err
	}
	// The recent session corrects a deliberation of the past one.
	acts, _, err := s.Acts(ctx, town.ID, council.ActFilter{SessionID: past.ID, Limit: 20})
	if err != nil {
		return err
	}
	for _, a := range acts {
		if a.SubjectCode != "8.1" {
			continue
		}
		r, err := s.Rectify(ctx, town.ID, a.ID, author, loc)
		if err != nil {
			return err
		}
		r.SessionID, r.ItemID, r.AdoptedOn = recent.ID, "", recent.Day(loc)
		if r.Number, err = s.NextNumber(ctx, town.ID, r.Kind, r.AdoptedOn[:4]); err != nil {
			return err
		}
		r.Body = fmt.Sprintf(demoRectification, a.Number)
		if err := s.SaveAct(ctx, r, author); err != nil {
			return err
		}
		if _, err := s.Publish(ctx, town.ID, r.ID, author, "", loc); err != nil {
			return err
		}
	}
	if err := c.demoUpcoming(ctx, town, members, weekday(12)); err != nil {
		return err
	}
	return c.demoMayorActs(ctx, town, now, author)
}

// demoSession holds a session with its agenda, attendance and
// deliberations.
func (c *Capability) demoSession(ctx context.Context, town *tenant.Tenant, members []*council.Member, at time.Time,
	items []demoDeliberation, author string) (*council.Session, error) {
	s, loc := c.Store, town.Location()
	x, err := s.CreateSession(ctx, town.ID, council.SessionInput{StartsAt: at, Place: "Salle du conseil municipal, hôtel de ville",
		Kind: "ordinaire", PresidentID: members[0].ID, SecretaryID: members[10].ID,
		VideoURL: "https://video.montclair-sur-vienne.example/conseil"})
	if err != nil {
		return nil, err
	}
	for _, d := range items {
		if _, err := s.AddItem(ctx, town.ID, x.ID, council.ItemInput{Title: d.item, Rapporteur: d.rapporteur, Discussion: d.discussion,
			Report: "Rapport présenté par " + d.rapporteur + "."}); err != nil {
			return nil, err
		}
	}
	// Sent five clear days before the session at least (L2121-12).
	if err := s.Convene(ctx, town.ID, x.ID, at.AddDate(0, 0, -8).Format(council.DateLayout), loc); err != nil {
		return nil, err
	}
	// 28 present, three proxies, one excused, one absent.
	marks := map[string]council.Attendance{}
	for i, m := range members {
		switch {
		case i == 13 || i == 21 || i == 29:
			marks[m.ID] = council.Attendance{Status: council.Represented, ProxyID: members[i-1].ID}
		case i == 17:
			marks[m.ID] = council.Attendance{Status: council.Excused}
		case i == 31:
			marks[m.ID] = council.Attendance{Status: council.Absent}
		default:
			marks[m.ID] = council.Attendance{Status: council.Present}
		}
	}
	if err := s.RecordAttendance(ctx, town.ID, x.ID, loc, marks); err != nil {
		return nil, err
	}
	x, err = s.Session(ctx, town.ID, x.ID)
	if err != nil {
		return nil, err
	}
	day := x.Day(loc)
	for i, d := range items {
		number, err := s.NextNumber(ctx, town.ID, council.Deliberation, day[:4])
		if err != nil {
			return nil, err
		}
		voters := 31 // present and represented
		a := &council.Act{TenantID: town.ID, Kind: council.Deliberation, Number: number, SessionID: x.ID, ItemID: x.Items[i].ID,
			AdoptedOn: day, SubjectCode: d.code, Title: d.title, Body: d.body, Outcome: council.Adopted, BudgetYear: d.budget,
			Vote: &council.Vote{InOffice: len(members), Voters: voters, For: voters - d.against - d.abstain, Against: d.against,
				Abstentions: d.abstain}}
		if d.budget != "" {
			a.BudgetName = "Budget principal"
		}
		if d.published {
			transmitted, _ := council.ParseDate(day)
			a.PrefectureID = fmt.Sprintf("086-218699007-%s-D%s-DE", transmitted.Format("20060102"), number)
			a.TransmittedOn = transmitted.AddDate(0, 0, 1).Format(council.DateLayout)
		}
		if err := s.SaveAct(ctx, a, author); err != nil {
			return nil, err
		}
		if d.published {
			if _, err := s.Publish(ctx, town.ID, a.ID, author, "", loc); err != nil {
				return nil, err
			}
		}
	}
	return x, nil
}

// demoUpcoming is the next session: agenda, convocation sent, the
// explanatory note as a PDF.
func (c *Capability) demoUpcoming(ctx context.Context, town *tenant.Tenant, members []*council.Member, at time.Time) error {
	s, loc := c.Store, town.Location()
	x, err := s.CreateSession(ctx, town.ID, council.SessionInput{StartsAt: at, Place: "Salle du conseil municipal, hôtel de ville",
		Kind: "ordinaire", PresidentID: members[0].ID, SecretaryID: members[10].ID,
		VideoURL: "https://video.montclair-sur-vienne.example/conseil"})
	if err != nil {
		return err
	}
	agenda := []council.ItemInput{
		{Title: "Approbation du procès-verbal de la séance précédente", Rapporteur: "Hélène Marchand"},
		{Title: "Plan pluriannuel d'investissement 2027-2030", Rapporteur: "Olivier Bertrand",
			Report: "Le plan prévoit 18,4 M€ d'investissements sur quatre ans, dont la rénovation énergétique des trois groupes scolaires."},
		{Title: "Révision allégée du plan local d'urbanisme (secteur des Chaumes)", Rapporteur: "Thierry Gauthier",
			Report: "La révision ouvre à l'urbanisation 2,1 ha classés en zone 2AU pour un programme de 48 logements dont 30 % sociaux."},
		{Title: "Règlement intérieur des marchés de plein air", Rapporteur: "Mathieu Caron"},
		{Title: "Questions diverses", Rapporteur: "Hélène Marchand"},
	}
	for _, in := range agenda {
		if _, err := s.AddItem(ctx, town.ID, x.ID, in); err != nil {
			return err
		}
	}
	var w pdf.Writer
	d := w.New("Note explicative de synthèse")
	d.Footer("Conseil municipal de Montclair-sur-Vienne – note de synthèse")
	d.Text(15, true, "Note explicative de synthèse")
	d.Gap(3)
	d.Paragraphs("Article L2121-12 du code général des collectivités territoriales : dans les communes de 3 500 habitants et plus, une note explicative de synthèse sur les affaires soumises à délibération est adressée avec la convocation.")
	for _, in := range agenda {
		d.Heading(in.Title)
		d.Paragraphs(in.Report + "\nRapporteur : " + in.Rapporteur + ".")
	}
	body, err := d.Bytes()
	if err != nil {
		return err
	}
	f, err := s.SaveFile(ctx, town.ID, "note-de-synthese.pdf", body)
	if err != nil {
		return err
	}
	if err := s.AddDocument(ctx, town.ID, x.ID, "", "Note explicative de synthèse", f); err != nil {
		return err
	}
	// Sent five clear days before the session at least (L2121-12): today.
	return s.Convene(ctx, town.ID, x.ID, "", loc)
}

// demoMayorActs are the mayor's arrêtés and a decision taken under
// delegation of the council (L2122-22).
func (c *Capability) demoMayorActs(ctx context.Context, town *tenant.Tenant, now time.Time, author string) error {
	s, loc := c.Store, town.Location()
	acts := []struct {
		kind, code, title, body string
		daysAgo                 int
	}{
		{council.Arrete, "6.1", "Réglementation temporaire de la circulation pour le marché de Noël",
			"La Maire de Montclair-sur-Vienne,\n\nVu le code général des collectivités territoriales, notamment ses articles L2212-2 et L2213-1 ;\n\n**Arrête :**\n\nArticle 1 – La circulation et le stationnement sont interdits place du Marché et rue des Halles pendant les trois jours du marché de Noël, du vendredi 6 h au dimanche 22 h.\n\nArticle 2 – Une déviation est mise en place par l'avenue de la Libération.",
			6},
		{council.Arrete, "6.1", "Interdiction temporaire de stationner rue Victor-Hugo pour un déménagement",
			"La Maire de Montclair-sur-Vienne,\n\nVu la demande de l'entreprise Transports Moreau ;\n\n**Arrête :**\n\nArticle 1 – Le stationnement est interdit au droit du n° 14 de la rue Victor-Hugo sur 15 mètres le jour du déménagement, de 8 h à 18 h.",
			2},
		{council.Arrete, "6.4", "Horaires d'ouverture des parcs et jardins publics en période hivernale",
			"La Maire de Montclair-sur-Vienne,\n\n**Arrête :**\n\nArticle 1 – Du 1er novembre au 31 mars, les parcs et jardins publics sont ouverts de 8 h à 18 h.\n\nArticle 2 – Le présent arrêté abroge l'arrêté n° A2025-118.",
			40},
		{council.Decision, "1.1", "Attribution du marché de fourniture de produits d'entretien",
			"La Maire de Montclair-sur-Vienne,\n\nVu la délibération du 22 mars 2026 portant délégation au maire en application de l'article L2122-22 du CGCT ;\n\n**Décide :**\n\nArticle 1 – Le marché de fourniture de produits d'entretien est attribué à la société Hygiène Centre-Ouest pour un montant maximum annuel de 38 000 € HT.",
			20},
	}
	for _, in := range acts {
		day := now.AddDate(0, 0, -in.daysAgo).Format(council.DateLayout)
		number, err := s.NextNumber(ctx, town.ID, in.kind, day[:4])
		if err != nil {
			return err
		}
		a := &council.Act{TenantID: town.ID, Kind: in.kind, Number: number, AdoptedOn: day, SubjectCode: in.code, Title: in.title,
			Body: in.body, TransmittedOn: day}
		if err := s.SaveAct(ctx, a, author); err != nil {
			return err
		}
		if _, err := s.Publish(ctx, town.ID, a.ID, author, "", loc); err != nil {
			return err
		}
	}
	return nil
}

// DemoLinks implements kernel.Showcase: the council's page and the
// secretary's deadlines.
func (c *Capability) DemoLinks(ctx context.Context) ([]kernel.DemoLink, error) {
	return []kernel.DemoLink{
		{Label: "Council, sessions and acts", Slug: demo.Town, Path: CouncilPath},
		{Label: "Council secretariat", Slug: demo.Town, Path: AdminPath},
	}, nil
}
