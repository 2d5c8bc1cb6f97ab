package directoryweb

import "guichet/internal/capability/directory"

// demoEntry is one entry of the demo: its slug, as the other
// capabilities' demos name it, and its facts.
type demoEntry struct {
	slug, name, kind string
	org              bool
	summary, address string
	lat, lon         float64
	hours, phone     string
	email, website   string
	siret            string
	wheelchair       string
	loop             bool
	access, about    string
}

const (
	yes, limited, no, unknown = directory.WheelchairYes, directory.WheelchairLimited, directory.WheelchairNo, directory.WheelchairUnknown
)

// townEntries are the demo town's directory, in the streets of a made-up
// Montclair-sur-Vienne: the old town around the place de la République,
// the station to the north-west, the Tilleuls estate to the south, the
// Vienne and its mill to the east.
var townEntries = []demoEntry{
	{"mairie", "Hôtel de ville", "mairie", true, "Accueil de la mairie, état civil, urbanisme, élections et inscriptions scolaires.",
		"1 place de la République", 46.4201, 0.6003, "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off", "05 49 00 12 34",
		"contact@montclair.localhost", "", "", yes, true,
		"Entrée de plain-pied par la place, ascenseur vers la salle du conseil, toilettes adaptées au rez-de-chaussée.",
		"L'hôtel de ville accueille le public pour **l'état civil**, l'urbanisme, les élections et les inscriptions scolaires.\n\nLe samedi matin, seul l'état civil est ouvert."},
	{"bureau-de-poste", "La Poste, bureau de Montclair", "poste", true, "Courrier, colis, services bancaires et distributeur de billets.",
		"14 Grande Rue", 46.4209, 0.5989, "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off", "05 49 00 36 31",
		"", "", "", yes, false, "Rampe d'accès côté rue Pasteur ; distributeur à hauteur de fauteuil.", ""},
	{"france-services", "Maison France Services", "france-services", true,
		"Aide aux démarches en ligne : impôts, CAF, retraite, santé, emploi, carte grise.",
		"6 rue Pasteur", 46.4214, 0.5996, "Mo-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30; PH off", "05 49 00 52 10",
		"france-services@montclair.localhost", "", "", yes, true, "Bureau d'accueil confidentiel au rez-de-chaussée, ordinateurs en libre accès avec écran agrandi.",
		"Deux agents vous accompagnent dans vos démarches administratives, **sans rendez-vous** le matin et sur rendez-vous l'après-midi.\n\nApportez vos identifiants et vos justificatifs."},
	{"decheterie", "Déchèterie des Grands Champs", "decheterie", false, "Encombrants, déchets verts, gravats, bois, métaux et déchets dangereux des particuliers.",
		"Chemin des Grands Champs", 46.4295, 0.5862,
		"Apr-Sep Mo,We,Fr,Sa 09:00-12:00,14:00-18:30; Oct-Mar Mo,We,Fr,Sa 09:00-12:00,14:00-17:00; PH off", "05 49 00 77 40",
		"", "", "", limited, false, "Quais surélevés sans marche ; l'agent aide au déchargement sur demande.", ""},

	{"ecole-jules-ferry", "École élémentaire Jules-Ferry", "ecole-elementaire", true, "Dix classes du CP au CM2, restauration scolaire et accueil périscolaire.",
		"12 rue des Écoles", 46.4226, 0.6021, "Mo,Tu,Th,Fr 08:30-11:45,13:30-16:30; PH off", "05 49 00 61 20",
		"ce.0869901a@ac-poitiers.localhost", "", "", yes, false, "Cour et classes de plain-pied ; ascenseur vers la salle informatique.", ""},
	{"ecole-maternelle-tilleuls", "École maternelle des Tilleuls", "ecole-maternelle", true, "Quatre classes de la petite à la grande section, au cœur du quartier des Tilleuls.",
		"3 allée des Tilleuls", 46.4128, 0.5978, "Mo,Tu,Th,Fr 08:45-11:45,13:30-16:30; PH off", "05 49 00 61 35",
		"ce.0869902b@ac-poitiers.localhost", "", "", yes, false, "Bâtiment de plain-pied.", ""},
	{"college-george-sand", "Collège George-Sand", "college", true, "Collège public de 480 élèves, section sportive football et classe bilangue.",
		"25 avenue George-Sand", 46.4244, 0.6058, "Mo,Tu,Th,Fr 08:00-17:30; We 08:00-12:30; PH off", "05 49 00 62 00",
		"ce.0869903c@ac-poitiers.localhost", "", "", yes, true, "Ascenseur dans chaque bâtiment ; boucle magnétique en salle de réunion.", ""},
	{"creche-petits-pas", "Crèche municipale Les Petits Pas", "creche", true, "Multi-accueil de 30 places pour les enfants de 10 semaines à 4 ans.",
		"8 rue des Tilleuls", 46.4141, 0.5992, "Mo-Fr 07:30-18:30; PH off", "05 49 00 64 18",
		"creche@montclair.localhost", "", "", yes, false, "", ""},

	{"maison-de-sante", "Maison de santé pluriprofessionnelle", "maison-de-sante", true,
		"Médecins généralistes, infirmiers, kinésithérapeutes, sage-femme et orthophoniste.",
		"2 boulevard Jean-Jaurès", 46.4187, 0.6041, "Mo-Fr 08:00-19:30; Sa 08:00-12:00; PH off", "05 49 00 80 80",
		"", "https://msp-montclair.example", "32650981100005", yes, true, "Stationnement réservé devant l'entrée ; cabinets de plain-pied.",
		"En dehors des heures d'ouverture, appelez le **15** pour une urgence ou le 116 117 pour joindre un médecin de garde."},
	{"pharmacie-du-centre", "Pharmacie du Centre", "pharmacie", true, "Pharmacie, matériel médical et orthopédie.",
		"22 Grande Rue", 46.4206, 0.5982, "Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30,14:00-18:00", "05 49 00 21 45",
		"", "", "44512076800004", yes, false, "Porte automatique de plain-pied.", ""},
	{"ehpad-les-glycines", "EHPAD Les Glycines", "ehpad", true, "Établissement de 80 places pour personnes âgées dépendantes, avec unité protégée.",
		"4 allée des Glycines", 46.4163, 0.6072, "Mo-Su 10:00-12:00,14:00-19:00", "05 49 00 88 00",
		"accueil@ehpad-glycines.localhost", "", "", yes, true, "Les horaires sont ceux des visites ; l'établissement accueille ses résidents jour et nuit.", ""},
	{"centre-medico-social", "Centre médico-social départemental", "centre-medico-social", true,
		"Assistantes sociales, protection maternelle et infantile, consultations de puériculture.",
		"10 rue Victor-Hugo", 46.4179, 0.5968, "Mo,Tu,Th 09:00-12:00,13:30-17:00; PH off", "05 49 00 45 90",
		"", "", "", yes, false, "", ""},

	{"gare", "Gare de Montclair-sur-Vienne", "gare", false, "Trains régionaux vers Poitiers et Limoges, guichet et distributeurs de billets.",
		"Place de la Gare", 46.4282, 0.5893, "Mo-Fr 05:45-20:30; Sa 07:00-19:00; Su 08:00-21:00", "",
		"", "", "", limited, false, "Quai 1 de plain-pied ; le quai 2 est desservi par un passage souterrain sans ascenseur.", ""},
	{"arret-republique", "Arrêt de bus République, lignes 3 et 7", "arret-bus", false, "Lignes 3 (gare – Tilleuls) et 7 (Montclair – Poitiers), abri et banc.",
		"Place de la République", 46.4197, 0.6009, "24/7", "",
		"", "", "", yes, false, "Quai surélevé à hauteur des bus.", ""},
	{"aire-covoiturage", "Aire de covoiturage de la Croix-Blanche", "covoiturage", false, "Quarante places près de l'échangeur, dont deux réservées aux personnes handicapées.",
		"Rue de la Croix-Blanche", 46.4312, 0.6148, "24/7", "",
		"", "", "", yes, false, "", ""},

	{"boulangerie-martin", "Boulangerie Martin", "boulangerie", true, "Pains au levain, viennoiseries et pâtisseries maison.",
		"5 place du Marché", 46.4193, 0.5991, "Tu-Sa 06:30-13:00,15:30-19:30; Su 07:00-12:30", "05 49 00 23 17",
		"", "", "41234567800004", yes, false, "", ""},
	{"halles", "Halles du marché", "halles", false, "Marché couvert : producteurs du canton le mercredi et le samedi matin.",
		"Place du Marché", 46.4190, 0.5996, "We 08:00-13:00; Sa 07:30-13:00", "",
		"", "", "", yes, false, "", ""},
	{"librairie-la-page", "Librairie La Page", "librairie", true, "Librairie générale, jeunesse et bande dessinée ; commandes en 48 heures.",
		"31 Grande Rue", 46.4211, 0.5975, "Tu-Sa 09:30-12:30,14:00-19:00", "05 49 00 27 62",
		"bonjour@librairie-lapage.example", "https://librairie-lapage.example", "43881209500000", limited, false, "Une marche de 8 cm ; rampe amovible sur demande.", ""},
	{"transports-moreau", "Transports Moreau", "entreprise", true, "Transport de marchandises et déménagements, 25 salariés.",
		"Zone artisanale des Grands Champs", 46.4288, 0.5885, "Mo-Fr 08:00-12:00,13:30-18:00", "05 49 00 91 50",
		"contact@transports-moreau.example", "https://transports-moreau.example", "50217834600008", unknown, false, "", ""},
	{"cafe-de-la-gare", "Café de la Gare", "cafe", true, "Bar, tabac, presse et petite restauration le midi.",
		"2 avenue de la Gare", 46.4277, 0.5905, "Mo-Sa 06:30-20:00; Su 08:00-13:00", "05 49 00 18 09",
		"", "", "79845123000006", limited, false, "Terrasse de plain-pied ; salle avec une marche.", ""},
	{"pepiniere-entreprises", "Pépinière d'entreprises du Val de Vienne", "pepiniere", true,
		"Bureaux et ateliers à loyer modéré pour les entreprises de moins de trois ans, accompagnement par la communauté de communes.",
		"18 route de Poitiers", 46.4301, 0.5951, "Mo-Fr 08:30-12:30,13:30-17:30; PH off", "05 49 00 95 00",
		"pepiniere@valdevienne.localhost", "", "", yes, true, "", ""},

	{"amicale-des-tilleuls", "Amicale des Tilleuls, comité de quartier", "association", true,
		"Fêtes de quartier, vide-grenier, aide aux devoirs et accueil des nouveaux habitants des Tilleuls.",
		"Salle de quartier, 1 rue des Tilleuls", 46.4135, 0.5985, "We 18:00-20:00; Sa 10:00-12:00", "05 49 00 33 81",
		"amicale.tilleuls@courriel.localhost", "", "", yes, false, "Salle de quartier de plain-pied.",
		"L'amicale réunit les habitants du quartier des Tilleuls depuis 1978.\n\n- aide aux devoirs le mardi et le jeudi après l'école\n- vide-grenier le premier dimanche de juin\n- fête des voisins en mai"},
	{"epicerie-solidaire", "Épicerie solidaire La Courte Échelle", "epicerie-solidaire", true,
		"Produits alimentaires et d'hygiène à petit prix pour les foyers orientés par les services sociaux.",
		"7 rue du Moulin", 46.4219, 0.6079, "Tu,Th 14:00-18:00; Sa 09:30-12:00; PH off", "05 49 00 40 12",
		"courte.echelle@courriel.localhost", "", "", yes, false, "", ""},
	{"club-des-aines", "Club des aînés Les Cheveux d'argent", "association", true, "Jeux, goûters, sorties et voyages pour les retraités de la commune.",
		"Salle Jeanne-d'Arc, 9 rue Saint-Martin", 46.4216, 0.6012, "Mo,Th 14:00-18:00", "05 49 00 34 55",
		"", "", "", yes, true, "", ""},
	{"parents-eleves-jules-ferry", "Association des parents d'élèves Jules-Ferry", "association", true,
		"Représente les familles au conseil d'école et organise la kermesse de fin d'année.",
		"12 rue des Écoles", 46.4228, 0.6024, "", "",
		"ape.julesferry@courriel.localhost", "", "", unknown, false, "", ""},
	{"jardins-partages", "Les Jardins partagés de la Gare", "association", true, "Trente parcelles cultivées ensemble, compost collectif et ateliers de jardinage.",
		"Impasse des Jardins", 46.4268, 0.5918, "Apr-Oct Mo-Su 08:00-20:00; Nov-Mar Sa 10:00-16:00", "",
		"jardins.gare@courriel.localhost", "", "", limited, false, "Allées stabilisées ; deux bacs surélevés accessibles en fauteuil.", ""},

	{"eglise-saint-martin", "Église Saint-Martin, paroisse Saint-Hilaire-en-Vienne", "eglise", true, "Église romane du XIIe siècle ; messe le dimanche à 10 h 30.",
		"Place Saint-Martin", 46.4207, 0.6017, "Mo-Su 09:00-18:00", "05 49 00 14 70",
		"", "", "", limited, true, "Deux marches à l'entrée principale ; entrée latérale de plain-pied.", ""},
	{"temple-protestant", "Temple protestant, Église protestante unie", "temple", true, "Culte le dimanche à 10 h, groupe biblique le jeudi soir.",
		"15 rue Victor-Hugo", 46.4173, 0.5959, "Su 10:00-12:00", "05 49 00 15 22",
		"", "", "", yes, false, "", ""},
	{"centre-en-nour", "Centre culturel et cultuel En-Nour", "mosquee", true, "Salle de prière, cours d'arabe et activités culturelles.",
		"11 rue de la Croix-Blanche", 46.4253, 0.6101, "Mo-Th,Sa,Su 10:00-19:00; Fr 12:00-20:00", "05 49 00 16 48",
		"", "", "", limited, false, "Entrée de plain-pied ; salle de prière à l'étage.", ""},

	{"stade-municipal", "Stade municipal", "stade", false, "Terrain d'honneur, terrain synthétique éclairé et piste d'athlétisme.",
		"Rue du Stade", 46.4151, 0.6089, "Mo-Fr 17:00-22:00; Sa,Su 09:00-19:00", "05 49 00 70 10",
		"", "", "", yes, false, "Tribune avec places réservées aux fauteuils.", ""},
	{"piscine", "Piscine intercommunale des Îles", "piscine", false, "Bassin de 25 m, bassin d'apprentissage et pataugeoire ; bassin extérieur l'été.",
		"Quai de la Vienne", 46.4239, 0.6129,
		"Jun-Aug Mo-Su 10:00-19:30; Sep-May Tu,Th 12:00-13:30,17:00-20:00; Sep-May We,Sa 14:00-18:00; Sep-May Su 09:00-12:30",
		"05 49 00 72 44", "", "https://piscine-desiles.example", "", yes, false, "Fauteuil de mise à l'eau et vestiaire adapté.", ""},
	{"us-montclair-football", "US Montclair Football", "club-sportif", true, "Club de football de 260 licenciés, des U7 aux vétérans, école de football labellisée.",
		"Rue du Stade", 46.4155, 0.6094, "Tu,Th 18:30-20:30; We 14:00-17:00; Sa 10:00-12:00", "05 49 00 70 12",
		"usmontclair@courriel.localhost", "", "", yes, false, "", ""},
	{"judo-club", "Judo-club montclairois", "club-sportif", true, "Judo, jujitsu et taïso dès 4 ans au dojo du gymnase.",
		"Gymnase, 3 rue du Stade", 46.4160, 0.6080, "Tu,Th 17:30-21:00; We 14:00-18:00; Sa 09:30-12:00", "05 49 00 70 31",
		"judo.montclair@courriel.localhost", "", "", yes, false, "", ""},

	{"mediatheque", "Médiathèque Louise-Michel", "mediatheque", true, "Livres, films, musique, jeux vidéo, presse et ateliers numériques ; inscription gratuite.",
		"4 rue Louise-Michel", 46.4222, 0.5987, "Tu 14:00-18:00; We 10:00-12:30,14:00-18:00; Fr 14:00-19:00; Sa 10:00-17:00; PH off", "05 49 00 56 00",
		"mediatheque@montclair.localhost", "", "", yes, true, "Ascenseur, livres en grands caractères, livres audio et loupe électronique.",
		"La médiathèque prête **gratuitement** à tous les habitants du canton.\n\nHeure du conte le mercredi à 10 h 30 ; atelier numérique le vendredi à 17 h."},
	{"salle-des-fetes", "Salle des fêtes", "salle-des-fetes", false, "Salle de 400 places louée aux associations et aux particuliers.",
		"Place du 8-Mai-1945", 46.4183, 0.6006, "", "05 49 00 12 40",
		"", "", "", yes, true, "Réservation à l'accueil de la mairie.", ""},
	{"cinema-le-rex", "Cinéma Le Rex", "cinema", true, "Cinéma associatif classé art et essai, deux salles.",
		"20 boulevard Jean-Jaurès", 46.4193, 0.6050, "Mo,Tu,Th,Fr 18:00-23:00; We,Sa,Su 14:00-23:00", "05 49 00 58 58",
		"", "https://cinema-lerex.example", "51744203900007", yes, true, "Salle 1 de plain-pied avec quatre places pour fauteuils ; boucle magnétique.", ""},
	{"harmonie-municipale", "Harmonie municipale", "ensemble-musical", true, "Cinquante musiciens amateurs, concerts du 14-Juillet et de la Sainte-Cécile.",
		"Salle de musique, 6 rue Louise-Michel", 46.4224, 0.5983, "Fr 20:00-22:00", "",
		"harmonie.montclair@courriel.localhost", "", "", yes, false, "", ""},
	{"ecole-de-musique", "École de musique intercommunale", "ecole-de-musique", true, "Quinze instruments enseignés, chorale d'enfants et éveil musical dès 5 ans.",
		"6 rue Louise-Michel", 46.4225, 0.5980, "Mo-Fr 14:00-20:00; We 09:00-20:00; Sa 09:00-13:00; PH off", "05 49 00 57 10",
		"musique@valdevienne.localhost", "", "", limited, false, "Rez-de-chaussée accessible ; salles de l'étage sans ascenseur.", ""},

	{"hotel-du-commerce", "Hôtel du Commerce", "hotel", true, "Hôtel de 14 chambres et restaurant de cuisine du terroir, au centre-bourg.",
		"27 Grande Rue", 46.4204, 0.5979, "Mo-Su 07:00-22:00", "05 49 00 19 19",
		"reservation@hotel-commerce.example", "https://hotel-commerce.example", "77913482600006", limited, false, "Une chambre adaptée au rez-de-chaussée.", ""},
	{"camping-bords-de-vienne", "Camping des Bords de Vienne", "camping", true, "Camping deux étoiles de 60 emplacements au bord de la rivière.",
		"Route de Chaussac", 46.4262, 0.6152, "Apr-Sep 08:00-21:00", "05 49 00 74 74",
		"camping@montclair.localhost", "", "", yes, false, "Sanitaires adaptés.", ""},
	{"gite-moulin-chaussac", "Gîte du Moulin de Chaussac", "gite", true, "Gîte de six personnes dans un ancien moulin, location à la semaine.",
		"Hameau du Moulin", 46.4305, 0.6166, "", "05 49 00 76 02",
		"", "https://moulin-chaussac.example", "81329077400005", no, false, "Chambres à l'étage.", ""},

	{"pont-roman", "Pont roman sur la Vienne", "monument", false, "Pont de six arches du XIIe siècle, inscrit aux monuments historiques.",
		"Quai de la Vienne", 46.4212, 0.6118, "24/7", "",
		"", "", "", yes, false, "", ""},
	{"chateau-montclair", "Ruines du château de Montclair", "monument", false, "Donjon et remparts du XIIIe siècle, panorama sur la vallée.",
		"Rue du Château", 46.4234, 0.5861, "Apr-Sep Mo-Su 10:00-19:00; Oct-Mar Sa,Su 14:00-17:00", "",
		"", "", "", no, false, "Chemin d'accès en forte pente.", ""},
	{"sentier-bords-de-vienne", "Sentier des bords de Vienne", "sentier", false, "Boucle de 6 km le long de la rivière, du pont roman au moulin de Chaussac.",
		"Quai de la Vienne", 46.4248, 0.6138, "24/7", "",
		"", "", "", limited, false, "Les deux premiers kilomètres sont stabilisés.", ""},
	{"lavoir-fontaine", "Lavoir de la Fontaine", "petit-patrimoine", false, "Lavoir couvert du XIXe siècle restauré par les habitants.",
		"Rue de la Fontaine", 46.4168, 0.6027, "24/7", "",
		"", "", "", yes, false, "", ""},
}

// villageEntries are the demo village's few entries.
var villageEntries = []demoEntry{
	{"mairie", "Mairie de Sauvigny-le-Haut", "mairie", true, "Secrétariat de mairie : état civil, urbanisme, location de la salle.",
		"3 rue de l'Église", 47.3101, 4.8198, "Tu 14:00-18:00; Th 09:00-12:00; PH off", "03 80 00 45 67",
		"mairie@sauvigny.localhost", "", "", yes, false, "", ""},
	{"ecole-sauvigny", "École du village (RPI)", "ecole-elementaire", true, "Deux classes du regroupement pédagogique intercommunal.",
		"1 place des Tilleuls", 47.3108, 4.8210, "Mo,Tu,Th,Fr 08:45-12:00,13:30-16:30; PH off", "03 80 00 45 70",
		"", "", "", yes, false, "", ""},
	{"eglise-saint-pierre", "Église Saint-Pierre", "eglise", true, "Église du XVe siècle, ouverte en journée.",
		"Rue de l'Église", 47.3097, 4.8192, "Mo-Su 09:00-19:00", "",
		"", "", "", limited, false, "Une marche à l'entrée.", ""},
	{"comite-des-fetes", "Comité des fêtes", "association", true, "Fête du village en août, repas des anciens et marché de Noël.",
		"3 rue de l'Église", 47.3102, 4.8196, "", "",
		"comite.sauvigny@courriel.localhost", "", "", unknown, false, "", ""},
	{"gite-les-granges", "Gîte des Granges", "gite", true, "Gîte de quatre personnes dans une ferme rénovée.",
		"Hameau Les Granges", 47.3135, 4.8261, "", "03 80 00 46 12",
		"", "", "", limited, false, "", ""},
	{"salle-polyvalente", "Salle polyvalente", "salle-des-fetes", false, "Salle de 120 places louée aux habitants et aux associations.",
		"Route de Dijon", 47.3092, 4.8221, "", "03 80 00 45 67",
		"", "", "", yes, false, "", ""},
}
