package urbanismweb

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	orbclip "github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geo"

	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/pdf"
	"guichet/internal/kernel/tenant"
)

// Demo data. The town's cadastre is the real one of Saint-Igny-de-Vers
// (69114); its zoning and addresses are made up on those parcels, and
// say so, since no real PLU or address list of that commune ships with
// Guichet. The village carries the real PLU zones of commune 25392.
const (
	demoParcels       = "testdata/real/cadastre/cadastre-69114-parcelles.json.gz"
	demoZones         = "testdata/real/plu/25392_ZONE_URBA.geojson.gz"
	parcelsCredit     = "DGFiP / Etalab, cadastre 2024 : parcelles de Saint-Igny-de-Vers (69114), Licence Ouverte 2.0"
	zonesCredit       = "Géoportail de l'Urbanisme, PLU de la commune 25392 approuvé le 2 juin 2017, Licence Ouverte 2.0"
	demoZoningCredit  = "Zonage fictif, dessiné pour la démonstration sur les sections du cadastre"
	demoAddressCredit = "Adresses fictives, placées pour la démonstration sur les parcelles du cadastre"
	demoAuthor        = "Service urbanisme"
)

// SeedDemo implements kernel.DemoContent.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	if err := c.seedTown(ctx, tenants[demo.Town]); err != nil {
		return fmt.Errorf("urbanism demo, town: %w", err)
	}
	if err := c.importReal(ctx, tenants[demo.Village], urbanism.SourcePLU, demoZones, zonesCredit); err != nil {
		return fmt.Errorf("urbanism demo, village: %w", err)
	}
	return nil
}

func (c *Capability) importReal(ctx context.Context, t *tenant.Tenant, source, path, credit string) error {
	f, err := urbanism.RealFiles.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = c.Store.Import(ctx, t.ID, urbanism.ImportFile{Source: source, Name: path[len("testdata/real/"):],
		Attribution: credit, Body: f})
	return err
}

func (c *Capability) seedTown(ctx context.Context, t *tenant.Tenant) error {
	if err := c.importReal(ctx, t, urbanism.SourceCadastre, demoParcels, parcelsCredit); err != nil {
		return err
	}
	ter, err := c.Store.Territory(ctx, t.ID)
	if err != nil {
		return err
	}
	zoning, streets := demoZoning(ter.Parcels)
	body, err := json.Marshal(zoning)
	if err != nil {
		return err
	}
	if _, err := c.Store.Import(ctx, t.ID, urbanism.ImportFile{Source: urbanism.SourcePLU, Name: "zonage-demonstration.geojson",
		Attribution: demoZoningCredit, Body: bytes.NewReader(body)}); err != nil {
		return err
	}
	if _, err := c.Store.Import(ctx, t.ID, urbanism.ImportFile{Source: urbanism.SourceAddresses, Name: "adresses-demonstration.csv",
		Attribution: demoAddressCredit, Body: bytes.NewReader(streets)}); err != nil {
		return err
	}
	var pdfs pdf.Writer
	for _, z := range demoSummaries {
		label, summary := z.label, z.text
		if err := c.Store.SaveSummary(ctx, t.ID, "69114", label, summary, demoAuthor); err != nil {
			return err
		}
		doc := pdfs.New("Règlement de la zone " + label)
		doc.Heading("Plan local d'urbanisme de démonstration – règlement de la zone " + label)
		doc.Paragraphs(summary)
		doc.Footer("Document fictif, pour la démonstration de Guichet.")
		body, err := doc.Bytes()
		if err != nil {
			return err
		}
		if err := c.Store.SaveRuleFile(ctx, t.ID, "69114", label, "reglement-zone-"+label+".pdf", body, demoAuthor); err != nil {
			return err
		}
	}
	return nil
}

// demoSection is a section of the cadastre and how built up it looks.
type demoSection struct {
	code    string
	parcels []*urbanism.Parcel
	area    float64 // m²
}

// density is parcels per hectare: the small parcels of a village centre.
func (s *demoSection) density() float64 { return float64(len(s.parcels)) / (s.area / 10000) }

// demoZone is one zone of the made-up plan.
type demoZone struct {
	label, long, kind string
	shape             orb.MultiPolygon
}

// demoZoning draws a made-up plan around the centre of the densest
// section (the old village): the centre (UA), a ring of recent houses
// (UB), a future neighbourhood east of it (1AU), farmland to the east
// (A) and woods to the west (N), each outline a few dozen points, as a
// real plan's would be. It returns the zones as a géostandard GeoJSON,
// and a BAL of made-up streets over the small parcels of the centre.
func demoZoning(parcels []*urbanism.Parcel) (map[string]any, []byte) {
	bySection := map[string]*demoSection{}
	var sections []*demoSection
	box := parcels[0].Geometry.Bound()
	for _, p := range parcels {
		s := bySection[p.Section]
		if s == nil {
			s = &demoSection{code: p.Section}
			bySection[p.Section] = s
			sections = append(sections, s)
		}
		s.parcels = append(s.parcels, p)
		s.area += geo.Area(p.Geometry)
		box = box.Union(p.Geometry.Bound())
	}
	slices.SortFunc(sections, func(a, b *demoSection) int { return cmp.Compare(b.density(), a.density()) })
	var centre orb.MultiPolygon
	for _, p := range sections[0].parcels {
		centre = append(centre, p.Geometry...)
	}
	at := newRadial(centre.Bound().Center(), box)
	far := at.reach()
	zones := []demoZone{
		{"UA", "Centre ancien du bourg", urbanism.ZoneU, at.disc(220, 3, 0)},
		{"UB", "Extensions récentes du bourg", urbanism.ZoneU, at.ring(220, 3, 0, ubOuter, 2, 1)},
		{"1AU", "Secteur d'urbanisation future", urbanism.ZoneAUc, at.sector(ubOuter, 800, -30, 30)},
		{"A", "Zone agricole", urbanism.ZoneA, append(append(at.sector(ubOuter, far, -90, -30), at.sector(ubOuter, far, 30, 90)...),
			at.sector(800, far, -30, 30)...)},
		{"N", "Zone naturelle et forestière", urbanism.ZoneN, at.sector(ubOuter, far, 90, 270)},
	}
	var features []any
	for _, z := range zones {
		features = append(features, map[string]any{"type": "Feature",
			"properties": map[string]any{"LIBELLE": z.label, "LIBELONG": z.long, "TYPEZONE": z.kind, "DESTDOMI": "00",
				"NOMFIC": "69114_reglement_demonstration.pdf", "INSEE": "69114", "DATAPPRO": "20240315", "DATVALID": "20240315"},
			"geometry": map[string]any{"type": "MultiPolygon", "coordinates": orbclip.MultiPolygon(box, z.shape)}})
	}
	var addresses [][]string
	for _, s := range sections[:3] {
		addresses = append(addresses, demoStreet(s, len(addresses))...)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write([]string{"uid_adresse", "cle_interop", "commune_insee", "commune_nom", "voie_nom", "lieudit_complement_nom",
		"numero", "suffixe", "position", "long", "lat", "cad_parcelles", "source", "date_der_maj", "certification_commune"})
	_ = w.WriteAll(addresses)
	return map[string]any{"type": "FeatureCollection", "features": features}, b.Bytes()
}

// ubOuter is the mean radius of the UB ring's outer edge, in metres.
const ubOuter = 550

// radial draws shapes around a centre, in metres on the ground.
type radial struct {
	centre orb.Point
	box    orb.Bound
	perLon float64 // metres per degree of longitude there
}

const metresPerDegree = 111320.0

func newRadial(centre orb.Point, box orb.Bound) radial {
	return radial{centre: centre, box: box, perLon: metresPerDegree * math.Cos(centre.Lat()*math.Pi/180)}
}

// at is the point r metres from the centre at angle a (degrees,
// counter-clockwise from east).
func (d radial) at(r, a float64) orb.Point {
	rad := a * math.Pi / 180
	return orb.Point{d.centre.Lon() + r*math.Cos(rad)/d.perLon, d.centre.Lat() + r*math.Sin(rad)/metresPerDegree}
}

// reach is a radius covering the whole box.
func (d radial) reach() float64 {
	far := 0.0
	for _, c := range []orb.Point{d.box.Min, d.box.Max, {d.box.Min.X(), d.box.Max.Y()}, {d.box.Max.X(), d.box.Min.Y()}} {
		far = max(far, math.Hypot((c.Lon()-d.centre.Lon())*d.perLon, (c.Lat()-d.centre.Lat())*metresPerDegree))
	}
	return far * 1.05
}

// outline is a closed wavy circle: radius r, waving by a fifth waves
// times around, turned by phase.
func (d radial) outline(r float64, waves, phase float64) orb.Ring {
	var ring orb.Ring
	for i := 0; i <= 48; i++ {
		a := float64(i%48) * 7.5
		ring = append(ring, d.at(r*(1+0.15*math.Sin(waves*a*math.Pi/180+phase)), a))
	}
	return ring
}

func (d radial) disc(r, waves, phase float64) orb.MultiPolygon {
	return orb.MultiPolygon{{d.outline(r, waves, phase)}}
}

// ring is the band between two outlines: the outer one with the inner
// as its hole.
func (d radial) ring(r1, w1, p1, r2, w2, p2 float64) orb.MultiPolygon {
	hole := d.outline(r1, w1, p1)
	slices.Reverse(hole)
	return orb.MultiPolygon{{d.outline(r2, w2, p2), hole}}
}

// sector is the band between radii r1 and r2 from angle a1 to a2. An
// inner edge at ubOuter follows the UB ring's outline, so that zones
// meet.
func (d radial) sector(r1, r2, a1, a2 float64) orb.MultiPolygon {
	var ring orb.Ring
	for a := a1; a <= a2; a += 7.5 {
		r := r1
		if r1 == ubOuter {
			r *= 1 + 0.15*math.Sin(2*a*math.Pi/180+1)
		}
		ring = append(ring, d.at(r, a))
	}
	for a := a2; a >= a1; a -= 7.5 {
		ring = append(ring, d.at(r2, a))
	}
	ring = append(ring, ring[0])
	return orb.MultiPolygon{{ring}}
}

// demoStreetNames are the made-up streets of the centre, one per section.
var demoStreetNames = []string{"Grande Rue", "Rue de l'Église", "Chemin des Vignes"}

// demoStreet numbers a section's small parcels along a made-up street:
// odd numbers on one side, even on the other, as French streets go.
func demoStreet(s *demoSection, done int) [][]string {
	street := demoStreetNames[min(done/40, len(demoStreetNames)-1)]
	var small []*urbanism.Parcel
	for _, p := range s.parcels {
		if p.Area > 0 && p.Area < 2500 {
			small = append(small, p)
		}
	}
	slices.SortFunc(small, func(a, b *urbanism.Parcel) int { return cmp.Compare(a.Center().Lon(), b.Center().Lon()) })
	var out [][]string
	for i, p := range small[:min(40, len(small))] {
		n := i + 1
		key := fmt.Sprintf("69114_%04d_%05d", 100+done/40, n)
		c := p.Center()
		out = append(out, []string{"", key, "69114", "Saint-Igny-de-Vers", street, "", strconv.Itoa(n), "", "entrée",
			strconv.FormatFloat(c.Lon(), 'f', 6, 64), strconv.FormatFloat(c.Lat(), 'f', 6, 64), p.ID, "commune", "2024-03-15", "1"})
	}
	return out
}

// demoSummary is the made-up regulation summary of a zone of the town.
type demoSummary struct{ label, text string }

// demoSummaries are the made-up regulation summaries of the town's zones.
var demoSummaries = []demoSummary{
	{"UA", `Le centre ancien du bourg : maisons de village en ordre continu, commerces et services.

- **Destinations permises** : habitation, commerce de proximité, artisanat sans nuisance, équipements publics.
- **Implantation** : à l'alignement de la voie, d'une limite latérale à l'autre ou sur au moins une.
- **Hauteur** : 9 mètres à l'égout du toit au plus (rez-de-chaussée, un étage et combles).
- **Aspect** : toitures de tuiles creuses rouges, pente de 30 à 40 %, enduits de teinte pierre.
- **Stationnement** : une place par logement créé, sauf impossibilité technique.`},
	{"UB", `Les extensions récentes du bourg : maisons individuelles et petits collectifs.

- **Destinations permises** : habitation, bureaux, équipements publics.
- **Implantation** : à 5 mètres au moins de la voie ; à 3 mètres au moins des limites séparatives, ou sur la limite pour une annexe de moins de 3,5 mètres de haut.
- **Emprise au sol** : 40 % du terrain au plus.
- **Hauteur** : 7 mètres à l'égout du toit au plus.
- **Espaces verts** : 30 % du terrain au moins, en pleine terre.
- **Stationnement** : deux places par logement.`},
	{"1AU", `Un secteur que la commune ouvrira à l'urbanisation par une opération d'ensemble.

- **Construction** : seulement dans le cadre d'un aménagement de tout le secteur, conforme à l'orientation d'aménagement et de programmation.
- **Densité** : 15 logements par hectare au moins.
- **Réseaux** : les constructions se raccordent à l'eau, à l'assainissement collectif et à l'électricité.`},
	{"A", `Les terres agricoles, protégées pour leur valeur agronomique.

- **Destinations permises** : bâtiments nécessaires à l'exploitation agricole ; logement de l'exploitant s'il est nécessaire à l'exploitation et à moins de 100 mètres des bâtiments.
- **Habitations existantes** : une extension de 30 % de la surface de plancher au plus, et des annexes à moins de 20 mètres de la maison.
- **Hauteur** : 12 mètres pour les bâtiments agricoles, 7 mètres pour les maisons.`},
	{"N", `Les bois, les prairies humides et les bords de rivière, protégés pour leurs paysages et leur faune.

- **Construction** : interdite, sauf les équipements d'intérêt collectif et les abris pour animaux de moins de 20 m².
- **Habitations existantes** : une extension de 20 % au plus, sans nouveau logement.
- **Boisements** : les haies et alignements d'arbres repérés au plan sont conservés.`},
}

// DemoAddress is the address the README invites one to look up: the
// town's first made-up address.
const DemoAddress = "1 Grande Rue"
