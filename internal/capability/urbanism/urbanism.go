// Package urbanism holds a collectivité's territory and its urban plan:
// the cadastre (parcels, sections, buildings) imported from Etalab's
// GeoJSON, the PLU's zones in the CNIG géostandard with each zone's
// regulation, prescriptions and easements, the address list (BAL), the
// lookups a resident makes (a parcel by its reference, by an address, by a
// point of the map), the parcel sheet, and the maps drawn as SVG.
package urbanism

import (
	"embed"
	"strconv"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the urbanism tables.
var Migrations = db.Embedded("urbanism", migrationFiles)

// Parcel is one cadastral parcel (Etalab "parcelles").
type Parcel struct {
	// ID is the 14-character reference: INSEE (5), prefix (3), section
	// (2, padded with a leading 0 when one letter), number (4).
	ID      string
	Commune string // INSEE code
	Prefix  string // "000" unless the commune was merged
	Section string // "AB", or "A" for one letter
	Number  string // "30", without leading zeros
	// Area is the contenance, in m², as the cadastre states it.
	Area     int64
	Updated  string // the cadastre's own date of change, YYYY-MM-DD
	Geometry orb.MultiPolygon
}

// Label is how a person reads the reference: "AB 30", with the prefix
// when it is not "000".
func (p *Parcel) Label() string {
	if p.Prefix != "" && p.Prefix != "000" {
		return p.Prefix + " " + p.Section + " " + p.Number
	}
	return p.Section + " " + p.Number
}

// Section is one cadastral section (Etalab "sections").
type Section struct {
	ID       string // INSEE + prefix + code padded to 2: "274120000A"
	Commune  string
	Prefix   string
	Code     string
	Geometry orb.MultiPolygon
}

// Building is one building of the cadastre (Etalab "batiments").
type Building struct {
	ID      string
	Commune string
	// Kind is the cadastre's type: "01" built in hard material, "02" light.
	Kind     string
	Name     string
	Geometry orb.MultiPolygon
}

// Zone types of the CNIG géostandard (TYPEZONE).
const (
	ZoneU   = "U"   // urbaine
	ZoneAUc = "AUc" // à urbaniser, constructible
	ZoneAUs = "AUs" // à urbaniser, fermée
	ZoneA   = "A"   // agricole
	ZoneN   = "N"   // naturelle et forestière
)

// ZoneTypes lists the zone types in the géostandard's order.
var ZoneTypes = []string{ZoneU, ZoneAUc, ZoneAUs, ZoneA, ZoneN}

// Zone is one zone of the PLU (CNIG "ZONE_URBA").
type Zone struct {
	// ID is the zone's key in the collectivité: INSEE, label and rank
	// among the zones of that label ("25392-UA-1").
	ID        string
	Label     string // LIBELLE: "UA"
	LongLabel string // LIBELONG: "zone urbaine ancienne"
	Type      string // TYPEZONE: one of ZoneTypes
	// Destination is DESTDOMI, the dominant use ("08": none).
	Destination string
	IDURBA      string // the planning document's identifier, when given
	FileName    string // NOMFIC: the regulation's file name
	FileURL     string // URLFIC
	Commune     string // INSEE
	Approved    string // DATAPPRO, YYYY-MM-DD
	Valid       string // DATVALID, YYYY-MM-DD
	Geometry    orb.MultiPolygon
}

// Constraint kinds.
const (
	Prescription = "prescription" // a PLU prescription (PRESCRIPTION_*)
	Easement     = "servitude"    // a servitude d'utilité publique (SUP)
)

// Constraint is a prescription of the PLU or a servitude d'utilité
// publique that applies over an area.
type Constraint struct {
	ID    string
	Kind  string // Prescription or Easement
	Code  string // TYPEPSC ("05") or the SUP category ("AC1")
	Label string
	Text  string
	// Protected marks a protected area (abords de monument historique,
	// site patrimonial remarquable, site classé): it lengthens the
	// instruction of an application by one month (R423-24).
	Protected bool
	Commune   string
	Geometry  orb.MultiPolygon
}

// Address is one address of the Base Adresse Locale.
type Address struct {
	ID       string // cle_interop: "54084_0200_00001"
	Commune  string // INSEE
	Town     string // commune_nom
	Street   string // voie_nom
	Locality string // lieudit_complement_nom
	Number   int
	Suffix   string // "bis", "a"
	Point    orb.Point
	// Parcels are the parcels the address names (cad_parcelles), when it
	// names them.
	Parcels []string
}

// Label is the address as written on an envelope's line: "4 bis Rue
// Joffre".
func (a *Address) Label() string {
	s := ""
	if a.Number > 0 {
		s = strconv.Itoa(a.Number)
		if a.Suffix != "" {
			s += " " + a.Suffix
		}
		s += " "
	}
	return s + a.Street
}

// ErrNotFound answers a lookup that finds nothing.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Aucune parcelle ne correspond.")

// AreaText is the contenance as people write it: "43 570 m²".
func (p *Parcel) AreaText() string { return SquareMetres(p.Area) }

// SquareMetres writes an area with its thousands apart: "43 570 m²".
func SquareMetres(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return s + "\u00a0m²"
}
