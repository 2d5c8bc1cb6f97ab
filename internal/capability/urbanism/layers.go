package urbanism

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"guichet"
)

// ParcelOf reads a parcel of Etalab's cadastre ("parcelles"): properties
// id, commune, prefixe, section, numero, contenance and updated (or
// created). The reference must agree with its parts.
func ParcelOf(n int, f *Feature) (*Parcel, error) {
	d := decoding{n: n, f: f}
	id := d.id("id")
	commune := d.commune("commune")
	prefix := d.digits("prefixe", "le préfixe", 3, 3)
	section, padded := d.section("section")
	number := d.digits("numero", "le numéro", 1, 4)
	if d.err != nil {
		return nil, d.err
	}
	if id == "" {
		return nil, d.errorf("la parcelle n'a pas de référence (propriété « id »).")
	}
	if !isParcelID(id) {
		if len(id) != 14 {
			return nil, d.errorf("la référence « %s » n'a pas 14 caractères.", shortText(id))
		}
		return nil, d.errorf("la référence « %s » n'est pas de la forme commune (5), préfixe (3 chiffres), section (2), numéro (4 chiffres).", id)
	}
	if strings.Trim(number, "0") == "" {
		return nil, d.errorf("le numéro de parcelle « %s » est nul.", number)
	}
	number4 := strings.Repeat("0", 4-len(number)) + number
	switch {
	case id[:5] != commune:
		return nil, d.errorf("la référence « %s » porte la commune « %s », la propriété commune vaut « %s ».", id, id[:5], commune)
	case id[5:8] != prefix:
		return nil, d.errorf("la référence « %s » porte le préfixe « %s », la propriété prefixe vaut « %s ».", id, id[5:8], prefix)
	case id[8:10] != padded:
		return nil, d.errorf("la référence « %s » porte la section « %s », la propriété section vaut « %s ».", id, id[8:10], section)
	case id[10:] != number4:
		return nil, d.errorf("la référence « %s » porte le numéro « %s », la propriété numero vaut « %s ».", id, id[10:], number)
	}
	area := d.area("contenance")
	updated := d.date("updated", "YYYY-MM-DD")
	if updated == "" {
		updated = d.date("created", "YYYY-MM-DD")
	}
	g := d.geometry()
	if d.err != nil {
		return nil, d.err
	}
	return &Parcel{ID: id, Commune: commune, Prefix: prefix, Section: section,
		Number: strings.TrimLeft(number, "0"), Area: area, Updated: updated, Geometry: g}, nil
}

// SectionOf reads a section of Etalab's cadastre ("sections"): properties
// id ("274120000A"), commune, prefixe and code.
func SectionOf(n int, f *Feature) (*Section, error) {
	d := decoding{n: n, f: f}
	id := d.id("id")
	commune := d.commune("commune")
	prefix := d.digits("prefixe", "le préfixe", 3, 3)
	code, padded := d.section("code")
	if d.err != nil {
		return nil, d.err
	}
	want := commune + prefix + padded
	switch {
	case id == "":
		id = want
	case len(id) != 10:
		return nil, d.errorf("l'identifiant de section « %s » n'a pas 10 caractères.", shortText(id))
	case id[:5] != commune:
		return nil, d.errorf("l'identifiant de section « %s » porte la commune « %s », la propriété commune vaut « %s ».", id, id[:5], commune)
	case id[5:8] != prefix:
		return nil, d.errorf("l'identifiant de section « %s » porte le préfixe « %s », la propriété prefixe vaut « %s ».", id, id[5:8], prefix)
	case id[8:] != padded:
		return nil, d.errorf("l'identifiant de section « %s » porte la section « %s », la propriété code vaut « %s ».", id, id[8:], code)
	}
	g := d.geometry()
	if d.err != nil {
		return nil, d.err
	}
	return &Section{ID: id, Commune: commune, Prefix: prefix, Code: code, Geometry: g}, nil
}

// BuildingOf reads a building of Etalab's cadastre ("batiments"):
// properties type ("01" hard, "02" light), nom (often null) and commune.
// Its identifier is the property id, or the feature's id, or the property
// fid of a re-export, or else the commune and the feature's number
// ("27412-15").
func BuildingOf(n int, f *Feature) (*Building, error) {
	d := decoding{n: n, f: f}
	id := d.id("id")
	if id == "" {
		id = d.text("fid")
	}
	commune := d.commune("commune")
	kind := d.text("type")
	name := d.text("nom")
	if d.err != nil {
		return nil, d.err
	}
	if len(kind) == 1 {
		kind = "0" + kind
	}
	if kind != "01" && kind != "02" {
		if kind == "" {
			return nil, d.errorf("la propriété « type » du bâtiment manque (01 en dur, 02 léger).")
		}
		return nil, d.errorf("le type de bâtiment « %s » n'est ni 01 (en dur) ni 02 (léger).", shortText(kind))
	}
	if id == "" {
		id = commune + "-" + strconv.Itoa(n)
	}
	g := d.geometry()
	if d.err != nil {
		return nil, d.err
	}
	return &Building{ID: id, Commune: commune, Kind: kind, Name: name, Geometry: g}, nil
}

// ZoneOf reads a zone of a PLU in the CNIG géostandard ("ZONE_URBA"):
// LIBELLE, LIBELONG, TYPEZONE, DESTDOMI, IDURBA, NOMFIC, URLFIC, INSEE,
// DATAPPRO and DATVALID, in capitals or not. Without INSEE, the commune
// is read from IDURBA ("25392_PLU_20170602") or NOMFIC
// ("25392_reglement_20170602.pdf"). The 2014 standard's types Ah, Nh and
// Nd (sectors of limited building in A and N) are read as A and N. The
// zone's ID is left to the importer.
func ZoneOf(n int, f *Feature) (*Zone, error) {
	d := decoding{n: n, f: f, anyCase: true}
	z := &Zone{
		Label:       d.text("LIBELLE"),
		LongLabel:   d.text("LIBELONG"),
		Destination: d.text("DESTDOMI"),
		IDURBA:      d.text("IDURBA"),
		FileName:    d.text("NOMFIC"),
		FileURL:     d.text("URLFIC"),
	}
	typ := d.text("TYPEZONE")
	z.Commune = d.communeOf("INSEE", z.IDURBA, z.FileName)
	z.Approved = d.date("DATAPPRO", "AAAAMMJJ")
	z.Valid = d.date("DATVALID", "AAAAMMJJ")
	if d.err != nil {
		return nil, d.err
	}
	if z.Label == "" {
		return nil, d.errorf("la zone n'a pas de LIBELLE.")
	}
	if z.Commune == "" {
		return nil, d.errorf("la commune de la zone « %s » n'est pas donnée : ni INSEE, ni IDURBA ou NOMFIC commençant par son code INSEE (« 25392_ »).", shortText(z.Label))
	}
	if z.Type = zoneType(typ); z.Type == "" {
		if typ == "" {
			return nil, d.errorf("la zone « %s » n'a pas de TYPEZONE (U, AUc, AUs, A ou N).", shortText(z.Label))
		}
		return nil, d.errorf("le TYPEZONE « %s » de la zone « %s » n'est pas U, AUc, AUs, A ou N.", shortText(typ), shortText(z.Label))
	}
	if len(z.Destination) == 1 {
		z.Destination = "0" + z.Destination
	}
	z.Geometry = d.geometry()
	if d.err != nil {
		return nil, d.err
	}
	return z, nil
}

// zoneType returns the géostandard's spelling of a TYPEZONE, "" when it
// is none.
func zoneType(s string) string {
	switch strings.ToUpper(s) {
	case "U":
		return ZoneU
	case "AUC":
		return ZoneAUc
	case "AUS":
		return ZoneAUs
	case "A", "AH":
		return ZoneA
	case "N", "NH", "ND":
		return ZoneN
	}
	return ""
}

// ConstraintOf reads a prescription of a PLU in the CNIG géostandard
// (PRESCRIPTION_SURF: LIBELLE, TXT, TYPEPSC, STYPEPSC, INSEE or IDURBA),
// or the assiette of a servitude d'utilité publique in the SUP
// géostandard (categorie or suptype, nomass, idass). Only surfaces are
// read. The servitudes of categories AC1 (monuments historiques), AC2
// (sites inscrits et classés) and AC4 (sites patrimoniaux remarquables)
// are Protected. The ID is idass when given, else left to the importer.
func ConstraintOf(n int, f *Feature) (*Constraint, error) {
	d := decoding{n: n, f: f, anyCase: true}
	var c *Constraint
	if _, ok := d.lookup("TYPEPSC"); ok {
		typ := d.digits("TYPEPSC", "le TYPEPSC", 1, 2)
		sub := d.digits("STYPEPSC", "le STYPEPSC", 0, 2)
		c = &Constraint{Kind: Prescription, Label: d.text("LIBELLE"), Text: d.text("TXT")}
		c.Commune = d.communeOf("INSEE", d.text("IDURBA"), d.text("NOMFIC"))
		if d.err != nil {
			return nil, d.err
		}
		c.Code = strings.Repeat("0", 2-len(typ)) + typ
		if sub != "" {
			c.Code += "-" + strings.Repeat("0", 2-len(sub)) + sub
		}
	} else {
		cat := d.text("categorie")
		if cat == "" {
			cat = d.text("suptype")
		}
		if d.err != nil {
			return nil, d.err
		}
		if cat == "" {
			return nil, d.errorf("ce n'est ni une prescription du PLU (TYPEPSC) ni une servitude d'utilité publique (categorie ou suptype).")
		}
		cat = strings.ToUpper(cat)
		if !isSUPCategory(cat) {
			return nil, d.errorf("la catégorie de servitude « %s » n'est pas de la forme AC1, EL7, PM1…", shortText(cat))
		}
		c = &Constraint{Kind: Easement, Code: cat, ID: d.text("idass"), Label: d.text("nomass"), Text: d.text("nomsuplitt")}
		if c.Label == "" {
			c.Label = d.text("LIBELLE")
		}
		c.Protected = cat == "AC1" || cat == "AC2" || cat == "AC4"
		if _, ok := d.lookup("INSEE"); ok {
			c.Commune = d.commune("INSEE")
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	c.Geometry = d.geometry()
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

// isSUPCategory tells whether s looks like a category of servitude: a
// few capitals then digits ("AC1", "I4", "INT1", "PM1").
func isSUPCategory(s string) bool {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	if i == 0 || i > 4 || i == len(s) || len(s) > 8 {
		return false
	}
	for _, r := range s[i:] {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s[i] >= '0' && s[i] <= '9'
}

// isParcelID tells whether s is a parcel's 14-character reference:
// commune, prefix, section, number.
func isParcelID(s string) bool {
	if len(s) != 14 || !isCommune(s[:5]) || !allDigits(s[5:8]) || !allDigits(s[10:]) {
		return false
	}
	for _, c := range []byte(s[8:10]) {
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// isCommune tells whether s is an INSEE code: "69114", "2A004".
func isCommune(s string) bool {
	if len(s) != 5 || !allDigits(s[2:]) {
		return false
	}
	return allDigits(s[:2]) || s[:2] == "2A" || s[:2] == "2B"
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// decoding reads one feature's properties, keeping the first error.
type decoding struct {
	n int
	f *Feature
	// anyCase finds a property whatever the case of its name (the
	// géostandard's are in capitals, some exports lower them).
	anyCase bool
	err     error
}

func (d *decoding) errorf(format string, args ...any) error {
	return guichet.Errorf(guichet.EInvalid, "objet n° %d : %s", d.n, fmt.Sprintf(format, args...))
}

func (d *decoding) fail(format string, args ...any) {
	if d.err == nil {
		d.err = d.errorf(format, args...)
	}
}

// lookup returns a property that is present and not null.
func (d *decoding) lookup(name string) (any, bool) {
	if v, ok := d.f.Properties[name]; ok {
		return v, v != nil
	}
	if d.anyCase {
		for k, v := range d.f.Properties {
			if strings.EqualFold(k, name) {
				return v, v != nil
			}
		}
	}
	return nil, false
}

// text returns a property as trimmed text: a whole number is written in
// digits, null or absent is "".
func (d *decoding) text(name string) string {
	v, ok := d.lookup(name)
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	d.fail("la propriété « %s » n'est pas un texte (%s).", name, describeValue(v))
	return ""
}

// id returns the property name, or the feature's own id: both must agree
// when both are given.
func (d *decoding) id(name string) string {
	id := strings.ToUpper(d.text(name))
	var own string
	switch v := d.f.ID.(type) {
	case string:
		own = strings.ToUpper(strings.TrimSpace(v))
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			own = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	switch {
	case id == "":
		return own
	case own != "" && own != id:
		d.fail("l'identifiant de l'objet « %s » n'est pas sa propriété %s « %s ».", shortText(own), name, shortText(id))
	}
	return id
}

// commune returns a required property holding an INSEE code.
func (d *decoding) commune(name string) string {
	s := strings.ToUpper(d.text(name))
	switch {
	case d.err != nil:
	case s == "":
		d.fail("la propriété « %s » (code INSEE de la commune) manque.", name)
	case !isCommune(s):
		d.fail("la commune « %s » (propriété %s) n'est pas un code INSEE : 5 caractères, 2 chiffres ou 2A/2B puis 3 chiffres.", shortText(s), name)
	}
	return s
}

// communeOf returns the INSEE code of property name, or else the one that
// starts idurba or a file name ("25392_…"), or "" (a PLUi's IDURBA starts
// with the SIREN of its EPCI, not with a commune).
func (d *decoding) communeOf(name, idurba, file string) string {
	if _, ok := d.lookup(name); ok {
		return d.commune(name)
	}
	for _, s := range []string{idurba, file} {
		if len(s) > 5 && s[5] == '_' && isCommune(strings.ToUpper(s[:5])) {
			return strings.ToUpper(s[:5])
		}
	}
	return ""
}

// digits returns a required property of min to max digits (min 0: the
// property may be absent).
func (d *decoding) digits(name, what string, lo, hi int) string {
	s := d.text(name)
	switch {
	case d.err != nil:
	case s == "" && lo > 0:
		d.fail("la propriété « %s » manque.", name)
	case len(s) < lo || len(s) > hi || !allDigits(s):
		if lo == hi {
			d.fail("%s « %s » n'a pas %d chiffres.", what, shortText(s), hi)
		} else {
			d.fail("%s « %s » n'a pas de %d à %d chiffres.", what, shortText(s), max(lo, 1), hi)
		}
	}
	return s
}

// section returns a section's code as the cadastre writes it ("A",
// "AB") and padded to 2 characters ("0A").
func (d *decoding) section(name string) (code, padded string) {
	s := strings.ToUpper(d.text(name))
	if d.err != nil {
		return "", ""
	}
	ok := len(s) == 1 || len(s) == 2
	for _, c := range []byte(s) {
		ok = ok && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')
	}
	if !ok {
		if s == "" {
			d.fail("la propriété « %s » (section) manque.", name)
		} else {
			d.fail("la section « %s » n'a pas 1 ou 2 lettres ou chiffres.", shortText(s))
		}
		return "", ""
	}
	padded = strings.Repeat("0", 2-len(s)) + s
	code = s
	if len(s) == 2 && s[0] == '0' {
		code = s[1:]
	}
	return code, padded
}

// maxArea bounds a parcel's contenance: more than 1,000 km² is a mistake.
const maxArea = 1e9

// area returns a contenance in m², 0 when absent.
func (d *decoding) area(name string) int64 {
	v, ok := d.lookup(name)
	if !ok || d.err != nil {
		return 0
	}
	var a float64
	switch v := v.(type) {
	case float64:
		a = v
	case string:
		var err error
		if a, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			d.fail("la contenance « %s » n'est pas un nombre.", shortText(v))
			return 0
		}
	default:
		d.fail("la contenance (%s) n'est pas un nombre.", describeValue(v))
		return 0
	}
	switch {
	case math.IsNaN(a) || math.IsInf(a, 0):
		d.fail("la contenance n'est pas un nombre fini.")
	case a < 0:
		d.fail("la contenance « %g » est négative.", a)
	case a > maxArea:
		d.fail("la contenance « %g » m² est invraisemblable.", a)
	default:
		return int64(math.Round(a))
	}
	return 0
}

// date returns a date property as YYYY-MM-DD, "" when absent. It reads
// AAAAMMJJ (the géostandard's), YYYY-MM-DD and YYYY/MM/DD, and the date of
// an ISO date and time.
func (d *decoding) date(name, form string) string {
	s := d.text(name)
	if s == "" || d.err != nil {
		return ""
	}
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	for _, layout := range []string{"20060102", "2006-01-02", "2006/01/02"} {
		if t, err := time.Parse(layout, s); err == nil && len(s) == len(layout) {
			return t.Format("2006-01-02")
		}
	}
	d.fail("la date %s « %s » n'est pas une date de la forme %s.", name, shortText(s), form)
	return ""
}

// geometry returns the feature's surface.
func (d *decoding) geometry() orb.MultiPolygon {
	if d.err != nil {
		return nil
	}
	g, err := multiPolygon(d.f.Geometry)
	if err != nil {
		d.fail("%s", guichet.ErrorMessage(err))
		return nil
	}
	return g
}
