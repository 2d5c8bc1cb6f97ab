package directory

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SCDLColumns are the columns of the SCDL équipements schema 0.1.5
// (schema.data.gouv.fr/scdl/equipements), in its order.
var SCDLColumns = []string{"COLL_NOM", "COLL_SIRET", "EQUIP_UID", "EQUIP_THEME", "EQUIP_CODE", "EQUIP_TYPE", "EQUIP_NOM",
	"ADR_NUMERO", "ADR_NOMVOIE", "ADR_CODEPOSTAL", "ADR_COMMUNE", "ADR_CLE_INTEROP", "ERP_ID", "ERP_TYPE", "ERP_CATEGORIE",
	"EQUIP_LAT", "EQUIP_LONG", "EQUIP_OUVERTURE", "EQUIP_TEL", "EQUIP_EMAIL", "EQUIP_WEB"}

// Publisher names the collectivité in its open data.
type Publisher struct {
	Name, SIRET string
	// INSEE is the commune's code, the first part of every EQUIP_UID.
	INSEE string
}

// Exported counts what an export wrote, and the published entries it
// left out because the schema requires what they lack (a position, a
// postcode, a commune, a number of three digits).
type Exported struct {
	Rows    int
	Skipped []string
}

// WriteSCDL writes the published entries as the SCDL équipements CSV
// (comma-separated, UTF-8). Each entry's kind gives its theme, its
// nomenclature code and its type; entries of one code are numbered in
// the order they were created, so that an entry keeps its EQUIP_UID
// when others are added.
func (s *Store) WriteSCDL(ctx context.Context, w io.Writer, tenantID string, p Publisher) (Exported, error) {
	var done Exported
	entries, err := s.list(ctx, s.db, `tenant_id = ? AND published = ? ORDER BY created_at, id`, tenantID, true)
	if err != nil {
		return done, wrap("scdl export", err)
	}
	out := csv.NewWriter(w)
	if err := out.Write(SCDLColumns); err != nil {
		return done, err
	}
	numbers := map[string]int{}
	var rows [][]string
	for _, e := range entries {
		k := KindOf(e.Category, e.Kind)
		// Numbered before any is left out: an entry keeps its number when
		// another gains the position it lacked.
		numbers[k.Code]++
		code := fmt.Sprintf("%s-%03d", k.Code, numbers[k.Code])
		if !e.HasPosition || e.Postcode == "" || scdlCommune(e.City) == "" || numbers[k.Code] > 999 {
			done.Skipped = append(done.Skipped, e.Name)
			continue
		}
		number, street := splitAddress(e.Address)
		if utf8.RuneCountInString(street) < 3 {
			street = scdlCommune(e.City) // a place without a street: its commune
		}
		if utf8.RuneCountInString(street) < 3 {
			done.Skipped = append(done.Skipped, e.Name)
			continue
		}
		rows = append(rows, []string{p.Name, p.SIRET, p.INSEE + "-" + code, k.Theme, code, k.Label, e.Name,
			number, street, e.Postcode, scdlCommune(e.City), "", "", "", "",
			strconv.FormatFloat(e.Lat, 'f', 6, 64), strconv.FormatFloat(e.Lon, 'f', 6, 64),
			e.OpeningHours, scdlPhone(e.Phone), e.Email, e.Website})
	}
	// The file reads by name; the numbering above followed creation.
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][6] < rows[j][6] })
	for _, r := range rows {
		if err := out.Write(r); err != nil {
			return done, err
		}
		done.Rows++
	}
	out.Flush()
	return done, out.Error()
}

var numberPrefix = regexp.MustCompile(`(?i)^([0-9]+)(?:\s*(bis|ter|quater|a|b|c))?[\s,]+(.+)$`)

// splitAddress cuts a street line into the number (with its "bis" or
// "ter") and the street's name; a line without a number gets the
// schema's "99999". The name keeps only what the schema allows: letters
// (accented ones too), digits, spaces, hyphens and apostrophes.
func splitAddress(line string) (number, street string) {
	line = strings.TrimSpace(line)
	number = "99999"
	if m := numberPrefix.FindStringSubmatch(line); m != nil {
		number, line = strings.TrimSpace(m[1]+" "+strings.ToLower(m[2])), m[3]
	}
	return number, scdlText(line, true)
}

// scdlText keeps the characters the schema's name patterns allow,
// putting a space for any other.
func scdlText(s string, apostrophe bool) string {
	s = strings.NewReplacer("’", "'", "œ", "oe", "Œ", "Oe").Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r >= 0xC0 && r <= 0xFF:
			b.WriteRune(r)
		case r == '\'' && apostrophe:
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// scdlCommune is a commune's name as the schema allows it (no digits, no
// apostrophe).
func scdlCommune(s string) string {
	return strings.Join(strings.FieldsFunc(scdlText(s, false), func(r rune) bool { return r >= '0' && r <= '9' || r == ' ' }), " ")
}

// scdlPhone writes a French number the European way: "+33 549123456".
func scdlPhone(s string) string {
	d := PhoneDigits(s)
	switch {
	case d == "":
		return ""
	case strings.HasPrefix(d, "+33"):
		return "+33 " + d[3:]
	case strings.HasPrefix(d, "0") && len(d) == 10:
		return "+33 " + d[1:]
	}
	return ""
}
