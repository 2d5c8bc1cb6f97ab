package urbanism

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/kernel/db"
)

// Sources: what a file is imported as.
const (
	// SourceCadastre is an Etalab cadastre GeoJSON: parcels, sections or
	// buildings, told apart by their properties.
	SourceCadastre = "cadastre"
	// SourcePLU is a CNIG géostandard GeoJSON: zones, prescriptions or
	// easements.
	SourcePLU = "plu"
	// SourceAddresses is a Base Adresse Locale CSV.
	SourceAddresses = "adresses"
)

// Sources lists what can be imported, in the order of the commands.
var Sources = []string{SourceCadastre, SourcePLU, SourceAddresses}

// Layers of the territory, as imports report them.
const (
	LayerParcels     = "parcelles"
	LayerSections    = "sections"
	LayerBuildings   = "batiments"
	LayerZones       = "zones"
	LayerConstraints = "contraintes"
	LayerAddresses   = "adresses"
)

// ImportFile is one file to import.
type ImportFile struct {
	Source string
	// Name is the file's name, kept in the history of imports.
	Name string
	// Attribution credits the producer ("DGFiP / Etalab, cadastre 2024"),
	// shown under the maps.
	Attribution string
	Body        io.Reader
	// Progress, when set, hears the number of bytes read so far.
	Progress func(read int64)
}

// LayerReport is what an import did to one layer.
type LayerReport struct {
	Layer string
	// Communes are the INSEE codes the file covered: records of these
	// communes absent from the file were removed.
	Communes                           []string
	Added, Changed, Unchanged, Removed int
}

// Report is what an import did, layer by layer.
type Report struct{ Layers []LayerReport }

// String is the report in a line per layer, for the command line.
func (r *Report) String() string {
	var b strings.Builder
	for _, l := range r.Layers {
		fmt.Fprintf(&b, "%s (%s): %d added, %d changed, %d unchanged, %d removed\n",
			l.Layer, strings.Join(l.Communes, ", "), l.Added, l.Changed, l.Unchanged, l.Removed)
	}
	return b.String()
}

// Import reads a file into a collectivité's territory in one
// transaction: a file with one bad record changes nothing. Importing the
// same file again changes nothing either; a newer edition adds, changes
// and removes what it says, commune by commune.
func (s *Store) Import(ctx context.Context, tenantID string, f ImportFile) (*Report, error) {
	if !slices.Contains(Sources, f.Source) {
		return nil, guichet.Errorf(guichet.EInvalid, "Source inconnue « %s » : %s.", f.Source, strings.Join(Sources, ", "))
	}
	body := &countingReader{r: f.Body, progress: f.Progress}
	var rep *Report
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		im := &importer{ctx: ctx, tx: tx, tenantID: tenantID, ranks: map[string]int{}}
		var err error
		switch f.Source {
		case SourceCadastre:
			err = ReadFeatures(body, im.cadastre)
		case SourcePLU:
			err = ReadFeatures(body, im.plu)
		case SourceAddresses:
			err = ReadAddresses(body, im.address)
		}
		if err != nil {
			return err
		}
		if len(im.layers) == 0 {
			return guichet.Errorf(guichet.EInvalid, "Le fichier ne contient aucun objet à importer.")
		}
		rep, err = im.finish(s, f)
		return err
	})
	if err != nil {
		return nil, wrap("import "+f.Source, err)
	}
	s.changed(ctx, tenantID)
	return rep, nil
}

// importer writes one file's records, layer by layer.
type importer struct {
	ctx      context.Context
	tx       *db.Tx
	tenantID string
	layers   []*layer
	// ranks numbers zones and constraints that share a label, for their
	// keys: the géostandard gives them no identifier of their own.
	ranks map[string]int
}

func (im *importer) layer(spec layerSpec) (*layer, error) {
	for _, l := range im.layers {
		if l.Layer == spec.name {
			return l, nil
		}
	}
	l := &layer{layerSpec: spec, known: map[string]known{}, seen: map[string]bool{}, communes: map[string]bool{}}
	l.LayerReport.Layer = spec.name
	err := db.Each(im.ctx, im.tx, "SELECT id, commune, digest FROM "+spec.table+" WHERE tenant_id = ?", func(r db.Row) error {
		var id string
		var k known
		if err := r.Scan(&id, &k.commune, &k.digest); err != nil {
			return err
		}
		l.known[id] = k
		return nil
	}, im.tenantID)
	if err != nil {
		return nil, err
	}
	im.layers = append(im.layers, l)
	return l, nil
}

func (im *importer) put(spec layerSpec, n int, id, commune string, fields []any) error {
	l, err := im.layer(spec)
	if err != nil {
		return err
	}
	return l.put(im, n, id, commune, fields)
}

// cadastre takes one feature of an Etalab file.
func (im *importer) cadastre(n int, f *Feature) error {
	switch {
	case hasProperty(f, "numero"):
		p, err := ParcelOf(n, f)
		if err != nil {
			return err
		}
		g, err := geometryValue(p.Geometry)
		if err != nil {
			return err
		}
		return im.put(parcelsSpec, n, p.ID, p.Commune, boxed(p.Geometry, g,
			p.Prefix, p.Section, p.Number, p.Area, p.Updated))
	case hasProperty(f, "code"):
		sec, err := SectionOf(n, f)
		if err != nil {
			return err
		}
		g, err := geometryValue(sec.Geometry)
		if err != nil {
			return err
		}
		return im.put(sectionsSpec, n, sec.ID, sec.Commune, boxed(sec.Geometry, g, sec.Prefix, sec.Code))
	case hasProperty(f, "type"):
		b, err := BuildingOf(n, f)
		if err != nil {
			return err
		}
		g, err := geometryValue(b.Geometry)
		if err != nil {
			return err
		}
		return im.put(buildingsSpec, n, b.ID, b.Commune, boxed(b.Geometry, g, b.Kind, b.Name))
	}
	return guichet.Errorf(guichet.EInvalid,
		"objet n° %d : ce n'est ni une parcelle (numero), ni une section (code), ni un bâtiment (type) du cadastre.", n)
}

// plu takes one feature of a géostandard file.
func (im *importer) plu(n int, f *Feature) error {
	if hasProperty(f, "TYPEZONE") || hasProperty(f, "typezone") {
		z, err := ZoneOf(n, f)
		if err != nil {
			return err
		}
		z.ID = im.key(z.Commune, z.Label)
		g, err := geometryValue(z.Geometry)
		if err != nil {
			return err
		}
		return im.put(zonesSpec, n, z.ID, z.Commune, boxed(z.Geometry, g, z.Label, z.LongLabel, z.Type,
			z.Destination, z.IDURBA, z.FileName, z.FileURL, z.Approved, z.Valid))
	}
	c, err := ConstraintOf(n, f)
	if err != nil {
		return err
	}
	c.ID = im.key(c.Commune, c.Kind, c.Code)
	g, err := geometryValue(c.Geometry)
	if err != nil {
		return err
	}
	return im.put(constraintsSpec, n, c.ID, c.Commune, boxed(c.Geometry, g, c.Kind, c.Code, c.Label, c.Text, c.Protected))
}

// key numbers records sharing parts: "25392-UA-1", "25392-UA-2".
func (im *importer) key(parts ...string) string {
	k := strings.Join(parts, "-")
	im.ranks[k]++
	return k + "-" + strconv.Itoa(im.ranks[k])
}

// address takes one line of a BAL.
func (im *importer) address(n int, a *Address) error {
	return im.put(addressesSpec, n, a.ID, a.Commune, []any{a.Town, a.Street, a.Locality, a.Number, a.Suffix,
		a.Point.Lon(), a.Point.Lat(), strings.Join(a.Parcels, "|"), Fold(a.Street + " " + a.Locality)})
}

// boxed returns a geometry's columns (WKB and bounding box) after fields.
func boxed(g orb.MultiPolygon, wkb []byte, fields ...any) []any {
	b := g.Bound()
	return append(fields, wkb, b.Min.Lon(), b.Min.Lat(), b.Max.Lon(), b.Max.Lat())
}

func hasProperty(f *Feature, name string) bool {
	_, ok := f.Properties[name]
	return ok
}

// finish removes what the file no longer holds and records the import.
func (im *importer) finish(s *Store, f ImportFile) (*Report, error) {
	rep := &Report{}
	for _, l := range im.layers {
		if err := l.finish(im); err != nil {
			return nil, err
		}
		r := l.LayerReport
		if _, err := im.tx.Exec(im.ctx, `INSERT INTO urbanism_imports (id, tenant_id, layer, commune, file_name, attribution,
			added, changed, unchanged, removed, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			uuid.NewString(), im.tenantID, r.Layer, strings.Join(r.Communes, " "), f.Name, f.Attribution,
			r.Added, r.Changed, r.Unchanged, r.Removed, s.Now()); err != nil {
			return nil, err
		}
		rep.Layers = append(rep.Layers, r)
	}
	return rep, nil
}

// layerSpec is a layer's table and its columns after tenant_id, id,
// commune and digest, in the order an importer gives their values.
type layerSpec struct {
	name, table string
	columns     []string
}

var (
	box           = []string{"geometry", "min_lon", "min_lat", "max_lon", "max_lat"}
	parcelsSpec   = layerSpec{LayerParcels, "urbanism_parcels", append([]string{"prefix", "section", "number", "area", "source_updated"}, box...)}
	sectionsSpec  = layerSpec{LayerSections, "urbanism_sections", append([]string{"prefix", "code"}, box...)}
	buildingsSpec = layerSpec{LayerBuildings, "urbanism_buildings", append([]string{"kind", "name"}, box...)}
	zonesSpec     = layerSpec{LayerZones, "urbanism_zones", append([]string{"label", "long_label", "type", "destination",
		"idurba", "file_name", "file_url", "approved", "valid"}, box...)}
	constraintsSpec = layerSpec{LayerConstraints, "urbanism_constraints", append([]string{"kind", "code", "label", "text", "protected"}, box...)}
	addressesSpec   = layerSpec{LayerAddresses, "urbanism_addresses", []string{"town", "street", "locality", "number", "suffix",
		"lon", "lat", "parcels", "folded"}}
)

type known struct{ commune, digest string }

// layer is one table being imported into.
type layer struct {
	layerSpec
	LayerReport
	known    map[string]known
	seen     map[string]bool
	communes map[string]bool
	pending  []any
}

// flushRows is how many new rows wait before they are written.
const flushRows = 256

func (l *layer) put(im *importer, n int, id, commune string, fields []any) error {
	if l.seen[id] {
		return guichet.Errorf(guichet.EInvalid, "« %s » figure deux fois dans le fichier (n° %d).", id, n)
	}
	l.seen[id] = true
	l.communes[commune] = true
	digest := digestOf(fields)
	if k, ok := l.known[id]; ok {
		if k.digest == digest {
			l.Unchanged++
			return nil
		}
		if _, err := im.tx.Exec(im.ctx, "DELETE FROM "+l.table+" WHERE tenant_id = ? AND id = ?", im.tenantID, id); err != nil {
			return err
		}
		l.Changed++
	} else {
		l.Added++
	}
	l.pending = append(l.pending, im.tenantID, id, commune, digest)
	l.pending = append(l.pending, fields...)
	if len(l.pending) >= flushRows*(4+len(l.columns)) {
		return l.flush(im)
	}
	return nil
}

func (l *layer) flush(im *importer) error {
	cols := append([]string{"tenant_id", "id", "commune", "digest"}, l.columns...)
	err := db.InsertMany(im.ctx, im.tx, l.table, cols, l.pending)
	l.pending = l.pending[:0]
	return err
}

// finish writes what waits and removes the records of the file's
// communes that the file no longer holds.
func (l *layer) finish(im *importer) error {
	if err := l.flush(im); err != nil {
		return err
	}
	for id, k := range l.known {
		if l.seen[id] || !l.communes[k.commune] {
			continue
		}
		if _, err := im.tx.Exec(im.ctx, "DELETE FROM "+l.table+" WHERE tenant_id = ? AND id = ?", im.tenantID, id); err != nil {
			return err
		}
		l.Removed++
	}
	for c := range l.communes {
		l.Communes = append(l.Communes, c)
	}
	slices.Sort(l.Communes)
	return nil
}

// digestOf is the SHA-256 of a record's values: equal values, equal
// digest.
func digestOf(fields []any) string {
	h := sha256.New()
	for _, f := range fields {
		switch v := f.(type) {
		case []byte:
			h.Write(v)
		default:
			fmt.Fprint(h, v)
		}
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// countingReader tells progress how many bytes were read.
type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}
