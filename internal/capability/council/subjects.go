package council

import "strings"

// Subject is a heading of the ACTES nomenclature that the prefectures'
// transmission system classifies acts by: a matière (1 to 9) and its
// sous-matière, coded "x.y".
type Subject struct {
	Code, Matter, Name string
}

// Label is how the SCDL délibérations export names the subject:
// "matière/sous-matière".
func (s Subject) Label() string { return s.Matter + "/" + s.Name }

// Matters are the nine matières of the ACTES nomenclature, by number.
var Matters = []string{"Commande publique", "Urbanisme", "Domaine et patrimoine", "Fonction publique",
	"Institutions et vie politique", "Libertés publiques et pouvoirs de police", "Finances locales",
	"Domaines de compétences par thèmes", "Autres domaines de compétences"}

// Subjects is the nomenclature's second level, as the ACTES
// application of the ministry of the Interior lists it for communes.
var Subjects = buildSubjects(map[string][]string{
	"1": {"Marchés publics", "Délégation de service public", "Conventions de mandat", "Autres types de contrats",
		"Transactions / protocole d'accord transactionnel", "Actes relatifs à la maîtrise d'œuvre", "Actes spéciaux et divers"},
	"2": {"Documents d'urbanisme", "Actes relatifs au droit d'occupation ou d'utilisation des sols", "Droit de préemption urbain"},
	"3": {"Acquisitions", "Aliénations", "Locations", "Limites territoriales", "Autres actes de gestion du domaine public",
		"Autres actes de gestion du domaine privé"},
	"4": {"Personnels titulaires et stagiaires de la FPT", "Personnels contractuels", "Fonction publique hospitalière",
		"Autres catégories de personnels", "Régime indemnitaire"},
	"5": {"Élection exécutif", "Fonctionnement des assemblées", "Désignation de représentants", "Délégation de fonctions",
		"Délégation de signature", "Exercice des mandats locaux", "Intercommunalité", "Décision d'ester en justice"},
	"6": {"Police municipale", "Pouvoir du président du conseil départemental", "Pouvoir du président du conseil régional",
		"Autres actes réglementaires", "Actes pris au nom de l'État"},
	"7": {"Décisions budgétaires", "Fiscalité", "Emprunts", "Interventions économiques", "Subventions",
		"Contributions budgétaires", "Avances", "Fonds de concours", "Prise de participation (SEM, etc.)", "Divers"},
	"8": {"Enseignement", "Aide sociale", "Voirie", "Aménagement du territoire", "Politique de la ville, habitat, logement",
		"Emploi, formation professionnelle", "Transports", "Environnement", "Culture"},
	"9": {"Autres domaines de compétences des communes", "Autres domaines de compétences des départements",
		"Autres domaines de compétences des régions", "Vœux et motions"},
})

func buildSubjects(byMatter map[string][]string) []Subject {
	var out []Subject
	for i, matter := range Matters {
		n := string(rune('1' + i))
		for j, name := range byMatter[n] {
			out = append(out, Subject{Code: n + "." + itoa(j+1), Matter: matter, Name: name})
		}
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return "1" + string(rune('0'+n-10))
}

// SubjectOf returns the subject of a code, and whether it exists.
func SubjectOf(code string) (Subject, bool) {
	code = strings.TrimSpace(code)
	for _, s := range Subjects {
		if s.Code == code {
			return s, true
		}
	}
	return Subject{}, false
}

// MatterOf returns the matière number ("7") of a code ("7.1").
func MatterOf(code string) string {
	m, _, _ := strings.Cut(code, ".")
	return m
}
