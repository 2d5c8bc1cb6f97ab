package directory

import "guichet/internal/kernel"

// The SCDL équipements schema's themes (EQUIP_THEME), the ten families of
// the nomenclature of collective public equipment, in the schema's order.
const (
	ThemeAdministrative = "Equipement administratif"
	ThemeJustice        = "Equipement de justice"
	ThemeHealth         = "Equipement sanitaire"
	ThemeSocial         = "Equipement social et d'animation"
	ThemeSport          = "Equipement sportif et de loisirs"
	ThemeSchool         = "Equipement d'enseignement"
	ThemeFaith          = "Equipement cultuel"
	ThemeCulture        = "Equipement culturel"
	ThemeMobility       = "Equipement de mobilité"
	ThemeOther          = "Autre équipement"
)

// Kind is what an entry is within its category: the type the SCDL export
// gives it (EQUIP_THEME, EQUIP_CODE, EQUIP_TYPE) and its schema.org type.
type Kind struct {
	Key, Category string
	// Label is the type in French, as EQUIP_TYPE writes it.
	Label string
	// Theme is the family of the nomenclature (EQUIP_THEME).
	Theme string
	// Code is the 8-digit code of EQUIP_CODE, before the order number: the
	// family's rank in the schema's list of themes, then the group and
	// the type. The Mairie's is the schema's own example (01010401); the
	// others follow the same layout but are not taken from the CRIGE PACA
	// nomenclature: check them against it before publishing the export.
	Code string
	// SchemaOrg is the schema.org type of the entry's page.
	SchemaOrg string
}

// Kinds lists every kind; the first of each category is its default.
var Kinds = []Kind{
	{"service-public", kernel.CategoryPublic, "Service public", ThemeAdministrative, "01010101", "GovernmentOffice"},
	{"mairie", kernel.CategoryPublic, "Mairie", ThemeAdministrative, "01010401", "CityHall"},
	{"france-services", kernel.CategoryPublic, "Maison France Services", ThemeAdministrative, "01010501", "GovernmentOffice"},
	{"poste", kernel.CategoryPublic, "Bureau de poste", ThemeAdministrative, "01030101", "PostOffice"},
	{"decheterie", kernel.CategoryPublic, "Déchèterie", ThemeOther, "10010101", "RecyclingCenter"},

	{"ecole-elementaire", kernel.CategorySchool, "École élémentaire", ThemeSchool, "06010201", "ElementarySchool"},
	{"ecole-maternelle", kernel.CategorySchool, "École maternelle", ThemeSchool, "06010101", "Preschool"},
	{"college", kernel.CategorySchool, "Collège", ThemeSchool, "06020101", "MiddleSchool"},
	{"creche", kernel.CategorySchool, "Crèche", ThemeSocial, "04030101", "ChildCare"},

	{"maison-de-sante", kernel.CategoryHealth, "Maison de santé", ThemeHealth, "03010201", "MedicalClinic"},
	{"pharmacie", kernel.CategoryHealth, "Pharmacie", ThemeHealth, "03020101", "Pharmacy"},
	{"ehpad", kernel.CategoryHealth, "Établissement pour personnes âgées", ThemeSocial, "04020101", "MedicalOrganization"},
	{"centre-medico-social", kernel.CategoryHealth, "Centre médico-social", ThemeSocial, "04010101", "MedicalOrganization"},

	{"arret-bus", kernel.CategoryTransport, "Arrêt de bus", ThemeMobility, "09020101", "BusStop"},
	{"gare", kernel.CategoryTransport, "Gare ferroviaire", ThemeMobility, "09010101", "TrainStation"},
	{"covoiturage", kernel.CategoryTransport, "Aire de covoiturage", ThemeMobility, "09030101", "ParkingFacility"},

	{"commerce", kernel.CategoryBusiness, "Commerce", ThemeOther, "10020101", "Store"},
	{"boulangerie", kernel.CategoryBusiness, "Boulangerie", ThemeOther, "10020201", "Bakery"},
	{"librairie", kernel.CategoryBusiness, "Librairie", ThemeOther, "10020301", "BookStore"},
	{"cafe", kernel.CategoryBusiness, "Café", ThemeOther, "10020401", "CafeOrCoffeeShop"},
	{"halles", kernel.CategoryBusiness, "Halle de marché", ThemeOther, "10030101", "LocalBusiness"},
	{"entreprise", kernel.CategoryBusiness, "Entreprise", ThemeOther, "10040101", "LocalBusiness"},
	{"pepiniere", kernel.CategoryBusiness, "Pépinière d'entreprises", ThemeAdministrative, "01040101", "GovernmentOffice"},

	{"association", kernel.CategoryAssociation, "Association", ThemeSocial, "04050101", "NGO"},
	{"epicerie-solidaire", kernel.CategoryAssociation, "Épicerie solidaire", ThemeSocial, "04040101", "NGO"},

	{"lieu-de-culte", kernel.CategoryFaith, "Lieu de culte", ThemeFaith, "07019901", "PlaceOfWorship"},
	{"eglise", kernel.CategoryFaith, "Église", ThemeFaith, "07010101", "Church"},
	{"temple", kernel.CategoryFaith, "Temple", ThemeFaith, "07010201", "Church"},
	{"mosquee", kernel.CategoryFaith, "Mosquée", ThemeFaith, "07010301", "Mosque"},

	{"club-sportif", kernel.CategorySport, "Club sportif", ThemeSport, "05030101", "SportsClub"},
	{"stade", kernel.CategorySport, "Stade", ThemeSport, "05010101", "StadiumOrArena"},
	{"piscine", kernel.CategorySport, "Piscine", ThemeSport, "05020101", "PublicSwimmingPool"},

	{"ensemble-musical", kernel.CategoryCulture, "Association culturelle", ThemeCulture, "08040101", "PerformingGroup"},
	{"mediatheque", kernel.CategoryCulture, "Médiathèque", ThemeCulture, "08010101", "Library"},
	{"cinema", kernel.CategoryCulture, "Cinéma", ThemeCulture, "08020101", "MovieTheater"},
	{"ecole-de-musique", kernel.CategoryCulture, "École de musique", ThemeCulture, "08030101", "EducationalOrganization"},
	{"salle-des-fetes", kernel.CategoryCulture, "Salle des fêtes", ThemeSocial, "04060101", "EventVenue"},

	{"hotel", kernel.CategoryLodging, "Hôtel", ThemeOther, "10050101", "Hotel"},
	{"camping", kernel.CategoryLodging, "Camping", ThemeSport, "05050101", "Campground"},
	{"gite", kernel.CategoryLodging, "Gîte", ThemeOther, "10050201", "LodgingBusiness"},

	{"monument", kernel.CategorySight, "Monument", ThemeCulture, "08050101", "LandmarksOrHistoricalBuildings"},
	{"petit-patrimoine", kernel.CategorySight, "Petit patrimoine", ThemeCulture, "08050201", "LandmarksOrHistoricalBuildings"},
	{"sentier", kernel.CategorySight, "Sentier de promenade", ThemeSport, "05060101", "TouristAttraction"},
}

// KindOf returns an entry's kind: its own when it belongs to its
// category, else its category's first.
func KindOf(category, key string) Kind {
	var first *Kind
	for i, k := range Kinds {
		if k.Category != category {
			continue
		}
		if k.Key == key {
			return k
		}
		if first == nil {
			first = &Kinds[i]
		}
	}
	if first != nil {
		return *first
	}
	return Kind{Key: "autre", Category: category, Label: "Équipement", Theme: ThemeOther, Code: "10990101", SchemaOrg: "Place"}
}

// KindsOf lists a category's kinds.
func KindsOf(category string) []Kind {
	var out []Kind
	for _, k := range Kinds {
		if k.Category == category {
			out = append(out, k)
		}
	}
	return out
}

// ValidCategory reports whether c is one of the kernel's categories.
func ValidCategory(c string) bool {
	for _, k := range kernel.DirectoryCategories {
		if k == c {
			return true
		}
	}
	return false
}
