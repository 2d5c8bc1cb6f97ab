package networkweb

import "guichet/internal/capability/network"

// demoTie is a tie of the demo between two directory entries, named by
// their slugs (docs: /work/notes' shared demo slugs).
type demoTie struct {
	from, to, kind string
	since          int
	note           string
}

const (
	partner  = network.KindPartnership
	members  = network.KindMembers
	funding  = network.KindFunding
	premises = network.KindPremises
)

// townTies draw the town's network: a cluster of solidarity around the
// épicerie solidaire and the health services, one of schools and
// families, one of culture and visitors; the Amicale des Tilleuls ties
// the first two together, the médiathèque the last two; the temple and
// the shared gardens are tied to each other and to nobody else.
var townTies = []demoTie{
	// Solidarity.
	{"epicerie-solidaire", "centre-medico-social", partner, 2017, "Le centre oriente les familles vers l'épicerie."},
	{"epicerie-solidaire", "france-services", partner, 2021, "Permanence d'aide aux démarches le jeudi à l'épicerie."},
	{"centre-medico-social", "ehpad-les-glycines", partner, 2015, ""},
	{"centre-medico-social", "france-services", premises, 2022, "Bureau partagé le mardi matin."},
	{"centre-medico-social", "maison-de-sante", partner, 2019, "Coordination des visites à domicile."},
	{"ehpad-les-glycines", "club-des-aines", members, 0, "Plusieurs bénévoles du club animent les après-midi de l'EHPAD."},
	{"ehpad-les-glycines", "maison-de-sante", partner, 2020, ""},
	{"club-des-aines", "eglise-saint-martin", premises, 2012, "Le club se réunit à la salle paroissiale."},
	{"eglise-saint-martin", "epicerie-solidaire", members, 0, "Bénévoles en commun pour la distribution du samedi."},
	{"centre-en-nour", "epicerie-solidaire", partner, 2023, "Collecte commune avant l'hiver."},
	// Schools and families.
	{"ecole-jules-ferry", "parents-eleves-jules-ferry", partner, 2008, ""},
	{"ecole-jules-ferry", "ecole-maternelle-tilleuls", partner, 0, "Liaison grande section – CP."},
	{"ecole-jules-ferry", "college-george-sand", partner, 0, "Liaison CM2 – sixième."},
	{"creche-petits-pas", "ecole-maternelle-tilleuls", partner, 2018, "Passerelle crèche – petite section."},
	{"judo-club", "ecole-jules-ferry", partner, 2021, "Cycle judo en CE2."},
	{"us-montclair-football", "college-george-sand", partner, 2016, "Section sportive football."},
	{"us-montclair-football", "judo-club", members, 0, "Des éducateurs bénévoles dans les deux clubs."},
	{"parents-eleves-jules-ferry", "ecole-maternelle-tilleuls", members, 0, ""},
	{"transports-moreau", "us-montclair-football", funding, 2019, "Maillots et déplacements de l'équipe des moins de 13 ans."},
	{"parents-eleves-jules-ferry", "college-george-sand", members, 0, "Les mêmes familles d'une école à l'autre."},
	{"ecole-maternelle-tilleuls", "judo-club", partner, 2022, "Éveil judo des grandes sections."},
	{"us-montclair-football", "parents-eleves-jules-ferry", members, 0, ""},
	{"creche-petits-pas", "parents-eleves-jules-ferry", members, 0, "Parents de la crèche et de l'école."},
	// The Amicale des Tilleuls ties solidarity to the schools.
	{"amicale-des-tilleuls", "epicerie-solidaire", partner, 2020, "Collecte de la fête des voisins."},
	{"amicale-des-tilleuls", "club-des-aines", members, 0, "Repas de quartier préparé ensemble."},
	{"amicale-des-tilleuls", "ecole-maternelle-tilleuls", partner, 2016, "Fête du quartier et carnaval des Tilleuls."},
	{"amicale-des-tilleuls", "parents-eleves-jules-ferry", members, 0, "Trois parents au bureau de l'amicale."},
	// The médiathèque ties the schools to culture.
	{"mediatheque", "ecole-jules-ferry", partner, 2010, "Accueil des classes un mardi sur deux."},
	{"mediatheque", "college-george-sand", partner, 2014, "Prix des lecteurs de sixième."},
	{"mediatheque", "creche-petits-pas", partner, 2017, "Bébés lecteurs, un jeudi par mois."},
	{"mediatheque", "ecole-maternelle-tilleuls", partner, 2017, "Heure du conte."},
	{"mediatheque", "ecole-de-musique", premises, 2018, "Auditorium partagé."},
	{"mediatheque", "cinema-le-rex", partner, 2019, "Ciné-lectures du mercredi."},
	// Culture and visitors.
	{"harmonie-municipale", "ecole-de-musique", members, 0, "Les élèves avancés jouent dans l'harmonie."},
	{"harmonie-municipale", "cinema-le-rex", partner, 2022, "Ciné-concert de printemps."},
	{"cinema-le-rex", "hotel-du-commerce", partner, 2021, "Soirées « cinéma et dîner »."},
	{"hotel-du-commerce", "camping-bords-de-vienne", partner, 0, "Accueil des randonneurs du GR."},
	{"camping-bords-de-vienne", "gite-moulin-chaussac", partner, 0, "Réservations renvoyées de l'un à l'autre en été."},
	{"gite-moulin-chaussac", "hotel-du-commerce", members, 0, "Même association d'hébergeurs."},
	{"hotel-du-commerce", "harmonie-municipale", funding, 2023, "Mécénat du concert du 14 juillet."},
	// An isolated pair.
	{"temple-protestant", "jardins-partages", premises, 2021, "Le jardin cultive la parcelle derrière le temple."},
}

// townProposal is the tie the Amicale's president proposed, waiting for
// the vie-locale service: confirmed, it would tie the isolated pair to
// the rest of the network.
var townProposal = demoTie{"amicale-des-tilleuls", "jardins-partages", partner, 2026,
	"Les Jardins partagés fournissent les plants de la fête de printemps du quartier."}

// villageTies are the village's few ties.
var villageTies = []demoTie{
	{"comite-des-fetes", "ecole-sauvigny", partner, 2015, "Kermesse de fin d'année."},
	{"mairie", "comite-des-fetes", funding, 0, "Subvention de la fête du village."},
	{"gite-les-granges", "comite-des-fetes", partner, 2020, "Hébergement des musiciens du bal."},
	{"eglise-saint-pierre", "comite-des-fetes", partner, 0, "Concert de Noël dans l'église."},
}

// demoContact is a contact of the demo, of the entry slug.
type demoContact struct {
	slug, name, role, email, phone string
	leader                         bool
	source                         string
	months                         int // how long ago they consented
}

// townContacts are contacts of about half the town's organisations, all
// with their consent.
var townContacts = []demoContact{
	{"amicale-des-tilleuls", "Présidente de l'Amicale des Tilleuls", "présidente", "association@courriel.localhost", "06 12 40 18 77", true, network.ConsentForm, 8},
	{"amicale-des-tilleuls", "Gérard Lemaire", "trésorier", "", "06 31 22 90 14", false, network.ConsentDeclaration, 8},
	{"epicerie-solidaire", "Nadia Benali", "coordinatrice", "nadia.benali@courriel.localhost", "05 49 00 31 40", true, network.ConsentEmail, 5},
	{"club-des-aines", "Jeanine Moreau", "présidente", "", "05 49 00 28 63", true, network.ConsentForm, 14},
	{"centre-medico-social", "Sophie Garnier", "assistante sociale", "sophie.garnier@departement.localhost", "05 49 00 40 10", false, network.ConsentEmail, 3},
	{"ecole-jules-ferry", "Marc Delorme", "directeur", "direction.jules-ferry@ecole.localhost", "05 49 00 22 10", true, network.ConsentEmail, 11},
	{"parents-eleves-jules-ferry", "Camille Perrin", "présidente", "camille.perrin@courriel.localhost", "", true, network.ConsentForm, 6},
	{"college-george-sand", "Hélène Faure", "principale", "principal.george-sand@ecole.localhost", "05 49 00 22 50", true, network.ConsentEmail, 20},
	{"us-montclair-football", "Karim Haddad", "président", "karim.haddad@courriel.localhost", "06 74 11 52 08", true, network.ConsentForm, 2},
	{"judo-club", "Élodie Marchand", "professeure", "elodie.marchand@courriel.localhost", "", false, network.ConsentDeclaration, 9},
	{"mediatheque", "Thomas Roussel", "responsable", "mediatheque@montclair.localhost", "05 49 00 12 60", true, network.ConsentEmail, 12},
	{"harmonie-municipale", "Bernard Chevalier", "chef de l'harmonie", "", "06 58 02 33 91", true, network.ConsentForm, 30},
	{"cinema-le-rex", "Julie Aubert", "programmatrice", "julie.aubert@courriel.localhost", "05 49 00 35 12", false, network.ConsentEmail, 4},
	{"hotel-du-commerce", "Patrick Giraud", "gérant", "contact@hotel-commerce.localhost", "05 49 00 50 00", true, network.ConsentForm, 16},
	{"temple-protestant", "Pasteur Lucas Fontaine", "pasteur", "lucas.fontaine@courriel.localhost", "", true, network.ConsentEmail, 7},
}

// villageContacts are the village's.
var villageContacts = []demoContact{
	{"comite-des-fetes", "Roger Bailly", "président", "comite.sauvigny@courriel.localhost", "03 80 00 46 30", true, network.ConsentForm, 10},
}
