package urbanism

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"guichet"
)

// maxFeatureBytes is the largest feature ReadFeatures accepts: a commune's
// boundary drawn to the centimetre stays far below.
const maxFeatureBytes = 16 << 20

// ReadFeatures reads a GeoJSON FeatureCollection, gzipped or not, one
// feature at a time: each is called with the feature's number (from 1) and
// the feature, which it may keep. The members of the collection other
// than "features" are skipped, whatever their order. A file that is not a
// FeatureCollection, a feature that is not a Feature or that is over 16
// MiB, a truncated file: an EInvalid error that says which feature. An
// error of each is returned as it is.
func ReadFeatures(r io.Reader, each func(n int, f *Feature) error) error {
	in, err := decompressed(r)
	if err != nil {
		return err
	}
	lim := &limitReader{r: in}
	dec := json.NewDecoder(lim)
	dec.UseNumber()
	fileErr := func(err error) error { return jsonError(0, err) }

	tok, err := token(dec, lim)
	if err == io.EOF {
		return guichet.Errorf(guichet.EInvalid, "Le fichier GeoJSON est vide.")
	}
	if err != nil {
		return fileErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return guichet.Errorf(guichet.EInvalid, "Le fichier n'est pas un objet GeoJSON « FeatureCollection » : il commence par %s.", describeToken(tok))
	}
	found := false
	for {
		tok, err := token(dec, lim)
		if err != nil {
			return fileErr(err)
		}
		if d, ok := tok.(json.Delim); ok && d == '}' {
			break
		}
		key, _ := tok.(string)
		switch key {
		case "features":
			if found {
				return guichet.Errorf(guichet.EInvalid, "Le fichier GeoJSON a deux membres « features ».")
			}
			found = true
			if err := readFeatureArray(dec, lim, each); err != nil {
				return err
			}
		case "type":
			var t any
			if err := decode(dec, lim, &t); err != nil {
				return fileErr(err)
			}
			if s, ok := t.(string); !ok || s != "FeatureCollection" {
				return guichet.Errorf(guichet.EInvalid, "Le fichier GeoJSON est de type %s et non « FeatureCollection ».", describeValue(t))
			}
		case "crs":
			var crs struct {
				Properties struct {
					Name any `json:"name"`
				} `json:"properties"`
			}
			if err := decode(dec, lim, &crs); err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					continue // a crs we cannot read does not matter: coordinates are checked
				}
				return fileErr(err)
			}
			if name, ok := crs.Properties.Name.(string); ok && !isWGS84(name) {
				return guichet.Errorf(guichet.EInvalid,
					"Le fichier GeoJSON déclare le système de coordonnées « %s » : il doit être en WGS 84 longitude/latitude (EPSG:4326 / CRS84). Exportez-le à nouveau dans ce système.", name)
			}
		default:
			if err := skipValue(dec, lim); err != nil {
				return fileErr(err)
			}
		}
	}
	if !found {
		return guichet.Errorf(guichet.EInvalid, "Le fichier GeoJSON n'a pas de tableau « features » : ce n'est pas une FeatureCollection.")
	}
	if _, err := token(dec, lim); err != io.EOF {
		if err != nil {
			return fileErr(err)
		}
		return guichet.Errorf(guichet.EInvalid, "Le fichier GeoJSON se poursuit après la fin de la FeatureCollection.")
	}
	return nil
}

// readFeatureArray reads the value of "features", the decoder standing
// just before it.
func readFeatureArray(dec *json.Decoder, lim *limitReader, each func(n int, f *Feature) error) error {
	tok, err := token(dec, lim)
	if err != nil {
		return jsonError(0, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return guichet.Errorf(guichet.EInvalid, "Le membre « features » du fichier GeoJSON n'est pas un tableau : c'est %s.", describeToken(tok))
	}
	for n := 1; dec.More(); n++ {
		var raw json.RawMessage
		if err := decode(dec, lim, &raw); err != nil {
			if errors.Is(err, errTooLarge) {
				return tooLarge(n)
			}
			return jsonError(n, err)
		}
		f, err := featureOf(n, raw)
		if err != nil {
			return err
		}
		if err := each(n, f); err != nil {
			return err
		}
	}
	if _, err := token(dec, lim); err != nil { // the closing ]
		return jsonError(0, err)
	}
	return nil
}

func tooLarge(n int) error {
	return guichet.Errorf(guichet.EInvalid, "objet n° %d : l'objet dépasse %d Mio.", n, maxFeatureBytes>>20)
}

// featureOf decodes one element of "features".
func featureOf(n int, raw json.RawMessage) (f *Feature, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, guichet.Errorf(guichet.EInvalid, "objet n° %d : l'élément de « features » n'est pas un objet Feature.", n)
	}
	var head struct {
		Type       any             `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
		BBox       json.RawMessage `json:"bbox"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, jsonError(n, err)
	}
	if s, ok := head.Type.(string); !ok || s != "Feature" {
		return nil, guichet.Errorf(guichet.EInvalid, "objet n° %d : son type est %s et non « Feature ».", n, describeValue(head.Type))
	}
	if p := bytes.TrimSpace(head.Properties); len(p) > 0 && p[0] != '{' && !bytes.Equal(p, []byte("null")) {
		return nil, guichet.Errorf(guichet.EInvalid, "objet n° %d : le membre « properties » n'est pas un objet.", n)
	}
	if b := bytes.TrimSpace(head.BBox); len(b) > 0 && !bytes.Equal(b, []byte("null")) {
		var box []float64
		if json.Unmarshal(b, &box) != nil {
			return nil, guichet.Errorf(guichet.EInvalid, "objet n° %d : le membre « bbox » n'est pas un tableau de nombres.", n)
		}
	}
	geometry := "" // its type
	if g := bytes.TrimSpace(head.Geometry); len(g) > 0 && !bytes.Equal(g, []byte("null")) {
		if geometry, err = checkGeometry(g, 0); err != nil {
			return nil, guichet.Errorf(guichet.EInvalid, "objet n° %d : %s", n, err.Error())
		}
	}
	var body struct {
		ID         any            `json:"id"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, jsonError(n, err)
	}
	f = &Feature{ID: body.ID, Properties: body.Properties}
	if geometry != "" {
		if f.Geometry, err = decodeGeometry(head.Geometry); err != nil {
			return nil, guichet.Errorf(guichet.EInvalid, "objet n° %d : les coordonnées de la géométrie « %s » sont illisibles (%s).", n, geometry, frenchJSON(err))
		}
	}
	if f.Properties == nil {
		f.Properties = map[string]any{}
	}
	return f, nil
}

// Feature is one GeoJSON feature as the importers read it.
type Feature struct {
	ID         any
	Geometry   orb.Geometry
	Properties map[string]any
}

// decodeGeometry reads a geometry that checkGeometry accepted. Positions
// decode into orb's points: an altitude, a third number, is dropped.
func decodeGeometry(raw json.RawMessage) (orb.Geometry, error) {
	var g struct {
		Type        string            `json:"type"`
		Coordinates json.RawMessage   `json:"coordinates"`
		Geometries  []json.RawMessage `json:"geometries"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, err
	}
	into := func(v orb.Geometry, ptr any) (orb.Geometry, error) {
		if err := json.Unmarshal(g.Coordinates, ptr); err != nil {
			return nil, err
		}
		return v, nil
	}
	switch g.Type {
	case "Point":
		var p orb.Point
		_, err := into(nil, &p)
		return p, err
	case "MultiPoint":
		var m orb.MultiPoint
		_, err := into(nil, &m)
		return m, err
	case "LineString":
		var l orb.LineString
		_, err := into(nil, &l)
		return l, err
	case "MultiLineString":
		var m orb.MultiLineString
		_, err := into(nil, &m)
		return m, err
	case "Polygon":
		var p orb.Polygon
		_, err := into(nil, &p)
		return p, err
	case "MultiPolygon":
		var m orb.MultiPolygon
		_, err := into(nil, &m)
		return m, err
	}
	var c orb.Collection
	for _, part := range g.Geometries {
		one, err := decodeGeometry(part)
		if err != nil {
			return nil, err
		}
		c = append(c, one)
	}
	return c, nil
}

// geometryTypes are the GeoJSON geometry types.
var geometryTypes = []string{"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}

// checkGeometry checks what orb's decoder takes for granted: a geometry
// is an object of a known type, and a collection holds geometries.
// It returns the geometry's type.
func checkGeometry(raw json.RawMessage, depth int) (string, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return "", errors.New("la géométrie n'est pas un objet.")
	}
	if depth > 8 {
		return "", errors.New("la géométrie imbrique trop de collections.")
	}
	var g struct {
		Type        any               `json:"type"`
		Coordinates json.RawMessage   `json:"coordinates"`
		Geometries  []json.RawMessage `json:"geometries"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return "", fmt.Errorf("la géométrie est illisible (%s).", frenchJSON(err))
	}
	t, _ := g.Type.(string)
	known := false
	for _, k := range geometryTypes {
		known = known || k == t
	}
	if !known {
		return "", fmt.Errorf("la géométrie est de type %s, qui n'est pas un type GeoJSON.", describeValue(g.Type))
	}
	if t == "GeometryCollection" {
		for _, sub := range g.Geometries {
			if _, err := checkGeometry(bytes.TrimSpace(sub), depth+1); err != nil {
				return "", err
			}
		}
		return t, nil
	}
	if c := bytes.TrimSpace(g.Coordinates); len(c) == 0 || c[0] != '[' {
		return "", fmt.Errorf("la géométrie « %s » n'a pas de tableau « coordinates ».", t)
	}
	return t, nil
}

// multiPolygon returns a Polygon or a MultiPolygon as a MultiPolygon, or
// an EInvalid error whose message (to prefix with the feature's number)
// says what is wrong: another type, an empty or open ring, coordinates
// that are not WGS 84 longitude/latitude.
func multiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case nil:
		return nil, guichet.Errorf(guichet.EInvalid, "l'objet n'a pas de géométrie.")
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, guichet.Errorf(guichet.EInvalid,
			"la géométrie est un « %s » : seules les surfaces (Polygon, MultiPolygon) sont lues.", g.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, guichet.Errorf(guichet.EInvalid, "la géométrie est vide.")
	}
	for i, poly := range mp {
		if len(poly) == 0 {
			return nil, guichet.Errorf(guichet.EInvalid, "le polygone n° %d de la géométrie n'a aucun anneau.", i+1)
		}
		for j, ring := range poly {
			where := fmt.Sprintf("l'anneau n° %d du polygone n° %d", j+1, i+1)
			for _, p := range ring {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
					return nil, guichet.Errorf(guichet.EInvalid, "%s a une coordonnée qui n'est pas un nombre fini.", where)
				}
				if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
					return nil, guichet.Errorf(guichet.EInvalid,
						"le point (%s %s) n'est pas une longitude/latitude : le fichier doit être en WGS 84 longitude/latitude (EPSG:4326 / CRS84), non en projection (Lambert 93, par exemple). Exportez-le à nouveau dans ce système.",
						decimal(p[0]), decimal(p[1]))
				}
			}
			if len(ring) == 0 {
				return nil, guichet.Errorf(guichet.EInvalid, "%s est vide.", where)
			}
			if len(ring) < 4 {
				return nil, guichet.Errorf(guichet.EInvalid, "%s n'a que %d points : il en faut au moins 4.", where, len(ring))
			}
			if ring[0] != ring[len(ring)-1] {
				return nil, guichet.Errorf(guichet.EInvalid,
					"%s n'est pas fermé : son premier point (%s %s) n'est pas son dernier (%s %s).",
					where, decimal(ring[0][0]), decimal(ring[0][1]), decimal(ring[len(ring)-1][0]), decimal(ring[len(ring)-1][1]))
			}
		}
	}
	return mp, nil
}

// decimal writes a coordinate as a file does: 6520000.5, not 6.5200005e+06.
func decimal(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// isWGS84 tells whether a crs name of GeoJSON 2008 is longitude/latitude
// in WGS 84.
// A name that gives no EPSG code passes: the coordinates are checked
// anyway.
func isWGS84(name string) bool {
	n := strings.ToUpper(strings.TrimSpace(name))
	if strings.HasSuffix(n, "CRS84") {
		return true
	}
	code := strings.TrimLeft(n[strings.LastIndexFunc(n, func(r rune) bool { return r < '0' || r > '9' })+1:], "0")
	switch code {
	case "":
		return !strings.Contains(n, "EPSG")
	case "4326", "4171", "4258", "4979": // WGS 84, RGF93 and ETRS89 geographic
		return true
	}
	return false
}

// skipValue skips the value the decoder stands before, token by token, so
// that a large member that is not read is not held in memory either.
func skipValue(dec *json.Decoder, lim *limitReader) error {
	depth := 0
	for {
		tok, err := token(dec, lim)
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// jsonError turns a decoding error into a message about the file, or
// about feature n when n > 0.
func jsonError(n int, err error) error {
	p := "Fichier GeoJSON : "
	if n > 0 {
		p = fmt.Sprintf("objet n° %d : ", n)
	}
	return readError(p, err)
}

// readError says what went wrong reading a file, after prefix p.
func readError(p string, err error) error {
	var se *json.SyntaxError
	var ce flate.CorruptInputError
	var ge *guichet.Error
	switch {
	case errors.As(err, &ge):
		return err
	case errors.Is(err, errTooLarge):
		return guichet.Errorf(guichet.EInvalid, "%sune valeur dépasse %d Mio.", p, maxFeatureBytes>>20)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &ce):
		return guichet.Errorf(guichet.EInvalid, "%sle fichier compressé (gzip) est illisible (%v).", p, err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return guichet.Errorf(guichet.EInvalid, "%sle fichier s'arrête avant sa fin : il est tronqué.", p)
	case errors.As(err, &se):
		return guichet.Errorf(guichet.EInvalid, "%sce n'est pas du JSON valide (%s, à l'octet %d).", p, frenchJSON(err), se.Offset)
	}
	return guichet.Errorf(guichet.EInvalid, "%slecture impossible (%s).", p, frenchJSON(err))
}

// frenchJSON says in French what encoding/json reports.
func frenchJSON(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		v := map[string]string{"array": "un tableau", "object": "un objet", "string": "un texte", "bool": "un booléen", "null": "null"}[te.Value]
		if v == "" {
			v = "un nombre"
		}
		if te.Field != "" {
			return fmt.Sprintf("%s là où le membre « %s » attend autre chose", v, te.Field)
		}
		return v + " là où une autre valeur est attendue"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg := se.Error()
		if c, ok := strings.CutPrefix(msg, "invalid character "); ok {
			if i := strings.LastIndex(c, "' "); strings.HasPrefix(c, "'") && i > 0 {
				return "caractère « " + c[1:i] + " » inattendu"
			}
		}
		if strings.HasPrefix(msg, "unexpected end") {
			return "fin inattendue"
		}
		return msg
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func describeToken(tok json.Token) string {
	if d, ok := tok.(json.Delim); ok {
		switch d {
		case '[':
			return "un tableau"
		case '{':
			return "un objet"
		}
		return "« " + d.String() + " »"
	}
	return describeValue(tok)
}

func describeValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "absent (ou null)"
	case string:
		return "« " + shortText(v) + " »"
	case json.Number:
		return "le nombre " + shortText(v.String())
	case float64, bool:
		return fmt.Sprintf("%v", v)
	case []any:
		return "un tableau"
	case map[string]any:
		return "un objet"
	}
	return fmt.Sprintf("%v", v)
}

// shortText shortens a value quoted in a message.
func shortText(s string) string {
	if len(s) <= 60 {
		return s
	}
	r := []rune(s)
	if len(r) <= 60 {
		return s
	}
	return string(r[:57]) + "…"
}

// decompressed returns r, gunzipped when it starts with gzip's magic
// bytes.
func decompressed(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, guichet.Errorf(guichet.EInvalid, "Le fichier compressé (gzip) est illisible : %v.", err)
		}
		return bufio.NewReaderSize(zr, 64<<10), nil
	}
	return br, nil
}

// token reads the next token, of at most maxFeatureBytes.
func token(dec *json.Decoder, lim *limitReader) (json.Token, error) {
	start := dec.InputOffset()
	lim.allow(maxFeatureBytes)
	tok, err := dec.Token()
	if err == nil && dec.InputOffset()-start > maxFeatureBytes {
		return nil, errTooLarge
	}
	return tok, err
}

// decode reads the next value, of at most maxFeatureBytes.
func decode(dec *json.Decoder, lim *limitReader, v any) error {
	start := dec.InputOffset()
	lim.allow(maxFeatureBytes)
	err := dec.Decode(v)
	if err == nil && dec.InputOffset()-start > maxFeatureBytes {
		return errTooLarge
	}
	return err
}

var errTooLarge = errors.New("urbanism: value over the limit")

// limitReader refuses to read more than a given number of bytes past the
// point allow set: a decoder that buffers one value at a time cannot then
// hold more than that limit and its own read-ahead.
type limitReader struct {
	r         io.Reader
	read, max int64
}

// allow lets n more bytes be read.
func (l *limitReader) allow(n int64) { l.max = l.read + n }

func (l *limitReader) Read(p []byte) (int, error) {
	if l.read >= l.max {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.max-l.read {
		p = p[:l.max-l.read]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
