package urbanism

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"guichet"
)

// balRequired are the columns of a Base Adresse Locale that ReadAddresses
// needs.
var balRequired = []string{"cle_interop", "commune_insee", "voie_nom", "numero", "long", "lat"}

// balLieuDit is the numero of an address that is a lieu-dit without a
// number.
const balLieuDit = 99999

// maxBALLine bounds one line of a BAL.
const maxBALLine = 1 << 20

// ReadAddresses reads a Base Adresse Locale (BAL 1.3 or 1.4: a CSV
// separated by semicolons, in UTF-8 with or without BOM, gzipped or not),
// one address at a time: each is called with the address's line in the
// file (the header is line 1) and the address, which it may keep. Columns
// are found by their names in the header; other columns are ignored. A
// numero of 99999 (a lieu-dit) is read as 0. A bad line is an EInvalid
// error that names it. An error of each is returned as it is.
func ReadAddresses(r io.Reader, each func(n int, a *Address) error) error {
	in, err := decompressed(r)
	if err != nil {
		return err
	}
	if bom, _ := in.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		in.Discard(3)
	}
	lim := &limitReader{r: in}
	cr := csv.NewReader(lim)
	cr.Comma = ';'
	cr.ReuseRecord = true
	cr.LazyQuotes = false

	lim.allow(maxBALLine)
	header, err := cr.Read()
	if err == io.EOF {
		return guichet.Errorf(guichet.EInvalid, "Le fichier BAL est vide.")
	}
	if err != nil {
		return csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; !dup && h != "" {
			col[h] = i
		}
	}
	var missing []string
	for _, c := range balRequired {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		hint := ""
		if len(header) == 1 && (strings.Contains(header[0], ",") || strings.Contains(header[0], "\t")) {
			hint = " Les colonnes doivent être séparées par des points-virgules « ; »."
		}
		return guichet.Errorf(guichet.EInvalid, "Le fichier BAL n'a pas les colonnes obligatoires : %s.%s",
			strings.Join(missing, ", "), hint)
	}
	width := len(header) // header is reused by the next Read
	cr.FieldsPerRecord = width
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		start := cr.InputOffset()
		lim.allow(maxBALLine)
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err == nil && cr.InputOffset()-start > maxBALLine {
			line, _ := cr.FieldPos(0)
			return guichet.Errorf(guichet.EInvalid, "ligne %d : la ligne fait plus de %d Mio.", line, maxBALLine>>20)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
			return guichet.Errorf(guichet.EInvalid, "ligne %d : %d colonnes au lieu des %d de l'en-tête.", pe.StartLine, len(rec), width)
		}
		if err != nil {
			return csvError(err)
		}
		line, _ := cr.FieldPos(0)
		a, err := addressOf(line, rec, field)
		if err != nil {
			return err
		}
		if err := each(line, a); err != nil {
			return err
		}
	}
}

// addressOf reads one line of a BAL.
func addressOf(line int, rec []string, field func([]string, string) string) (*Address, error) {
	fail := func(format string, args ...any) error {
		return guichet.Errorf(guichet.EInvalid, "ligne %d : "+format, append([]any{line}, args...)...)
	}
	for _, v := range rec {
		if !utf8.ValidString(v) {
			return nil, fail("le texte n'est pas en UTF-8 : le fichier doit être encodé en UTF-8.")
		}
	}
	a := &Address{
		ID:       field(rec, "cle_interop"),
		Commune:  strings.ToUpper(field(rec, "commune_insee")),
		Town:     field(rec, "commune_nom"),
		Street:   field(rec, "voie_nom"),
		Locality: field(rec, "lieudit_complement_nom"),
		Suffix:   field(rec, "suffixe"),
	}
	switch {
	case a.ID == "":
		return nil, fail("la clé d'interopérabilité (cle_interop) est vide.")
	case strings.ContainsAny(a.ID, " \t"):
		return nil, fail("la clé d'interopérabilité « %s » contient une espace.", shortText(a.ID))
	case a.Commune == "":
		return nil, fail("le code INSEE de la commune (commune_insee) est vide.")
	case !isCommune(a.Commune):
		return nil, fail("la commune « %s » (commune_insee) n'est pas un code INSEE : 5 caractères, 2 chiffres ou 2A/2B puis 3 chiffres.", shortText(a.Commune))
	case a.Street == "":
		return nil, fail("le nom de la voie (voie_nom) est vide.")
	}
	num := field(rec, "numero")
	n, err := strconv.Atoi(num)
	switch {
	case num == "":
		return nil, fail("le numéro (numero) est vide.")
	case err != nil || !allDigits(num):
		return nil, fail("le numéro « %s » n'est pas un nombre entier (le suffixe va dans la colonne suffixe).", shortText(num))
	case n > balLieuDit:
		return nil, fail("le numéro « %s » dépasse 99999.", num)
	case n == balLieuDit:
		n = 0
	}
	a.Number = n
	lon, err := coordinate(field(rec, "long"), "longitude (long)", 180)
	if err != nil {
		return nil, fail("%s", err.Error())
	}
	lat, err := coordinate(field(rec, "lat"), "latitude (lat)", 90)
	if err != nil {
		return nil, fail("%s", err.Error())
	}
	a.Point = orb.Point{lon, lat}
	if s := field(rec, "cad_parcelles"); s != "" {
		for _, p := range strings.Split(s, "|") {
			p = strings.ToUpper(strings.TrimSpace(p))
			if !isParcelID(p) {
				if len(p) != 14 {
					return nil, fail("la parcelle « %s » (cad_parcelles) n'a pas 14 caractères.", shortText(p))
				}
				return nil, fail("la parcelle « %s » (cad_parcelles) n'est pas une référence cadastrale.", p)
			}
			a.Parcels = append(a.Parcels, p)
		}
	}
	return a, nil
}

// coordinate reads a longitude or latitude in degrees.
func coordinate(s, what string, bound float64) (float64, error) {
	if s == "" {
		return 0, errors.New("la " + what + " est vide.")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && strings.Contains(s, ","):
		return 0, errors.New("la " + what + " « " + shortText(s) + " » n'est pas un nombre : le séparateur décimal est le point.")
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return 0, errors.New("la " + what + " « " + shortText(s) + " » n'est pas un nombre.")
	case v < -bound || v > bound:
		return 0, errors.New("la " + what + " « " + s + " » n'est pas en degrés WGS 84 : elle doit être entre -" +
			strconv.Itoa(int(bound)) + " et " + strconv.Itoa(int(bound)) + ".")
	}
	return v, nil
}

// csvError turns an error of encoding/csv into a message naming the line.
func csvError(err error) error {
	var pe *csv.ParseError
	var ge *guichet.Error
	switch {
	case errors.As(err, &ge):
		return err
	case errors.Is(err, errTooLarge):
		return guichet.Errorf(guichet.EInvalid, "Fichier BAL : une ligne fait plus de %d Mio.", maxBALLine>>20)
	case errors.As(err, &pe):
		var what string
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			return guichet.Errorf(guichet.EInvalid, "ligne %d : le nombre de colonnes n'est pas celui de l'en-tête.", pe.Line)
		case errors.Is(pe.Err, csv.ErrBareQuote):
			what = "un guillemet « \" » se trouve dans une valeur qui n'est pas entre guillemets"
		case errors.Is(pe.Err, csv.ErrQuote):
			what = "une valeur entre guillemets est mal fermée"
		case errors.Is(pe.Err, errTooLarge):
			return guichet.Errorf(guichet.EInvalid, "ligne %d : la ligne fait plus de %d Mio.", pe.StartLine, maxBALLine>>20)
		default:
			return csvError(pe.Err)
		}
		return guichet.Errorf(guichet.EInvalid, "ligne %d, colonne %d : %s.", pe.Line, pe.Column, what)
	default:
		return readError("Fichier BAL : ", err)
	}
}
