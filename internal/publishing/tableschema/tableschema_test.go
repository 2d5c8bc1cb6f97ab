package tableschema

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// table is a CSV being written by a test: the header, then data rows.
type table [][]string

func (tb table) clone() table {
	out := make(table, len(tb))
	for i, r := range tb {
		out[i] = slices.Clone(r)
	}
	return out
}

func (tb table) col(t *testing.T, name string) int {
	t.Helper()
	i := slices.Index(tb[0], name)
	if i < 0 {
		t.Fatalf("no column %s in the test's table", name)
	}
	return i
}

// set writes a cell of a data row (1 = the first).
func (tb table) set(t *testing.T, row int, column, value string) {
	t.Helper()
	tb[row][tb.col(t, column)] = value
}

// drop removes a column from the header and every row.
func (tb table) drop(t *testing.T, column string) table {
	t.Helper()
	i := tb.col(t, column)
	for r := range tb {
		tb[r] = slices.Delete(tb[r], i, i+1)
	}
	return tb
}

// swap exchanges two columns in the header and every row.
func (tb table) swap(t *testing.T, a, b string) {
	t.Helper()
	i, j := tb.col(t, a), tb.col(t, b)
	for _, r := range tb {
		r[i], r[j] = r[j], r[i]
	}
}

func (tb table) csv(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(tb); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func loadTestSchema(t testing.TB, file string) *Schema {
	t.Helper()
	s, err := LoadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadJSON(t testing.TB, schema string) *Schema {
	t.Helper()
	s, err := Load(strings.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validDeliberations() table {
	return table{
		{"COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM", "DELIB_OBJET",
			"BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE",
			"VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL"},
		{"Ville de Poitiers", "21860194600013", "DEL-2024-031", "2024-03-28", "7.1", "Finances locales/Décisions budgétaires",
			"Vote du budget primitif 2024, budget principal",
			"2024", "Budget principal", "086-218601946-20240328-DEL2024031-BF", "2024-04-02",
			"29", "27", "20", "5", "2", "https://www.poitiers.fr/deliberations/2024/DEL-2024-031.pdf"},
		{"Ville de Poitiers", "21860194600013", "DEL-2024-032", "2024-03-28", "2.1", "Urbanisme/Documents d'urbanisme",
			"Modification n° 3 du plan local d'urbanisme : approbation",
			"", "", "086-218601946-20240328-DEL2024032-DE", "2024-04-03",
			"29", "28", "28", "0", "0", "https://www.poitiers.fr/deliberations/2024/DEL-2024-032.pdf"},
		{"Ville de Poitiers", "21860194600013", "DEL-2024-033", "2024-03-28", "3.1", "Domaine et patrimoine/Acquisitions",
			"Acquisition de la parcelle AB 112, rue des Tanneurs, pour « 1 € » symbolique",
			"2024/2025", "Budget annexe de l'eau", "", "",
			"", "", "", "", "", "https://www.poitiers.fr/deliberations/2024/DEL-2024-033.pdf"},
	}
}

func validCatalogue() table {
	return table{
		{"COLL_NOM", "COLL_SIRET", "ID", "TITRE", "DESCRIPTION", "THEME", "PRODUCTEUR_NOM", "PRODUCTEUR_SIRET",
			"COUV_SPAT_MAILLE", "COUV_SPAT_NOM", "COUV_TEMP_DEBUT", "COUV_TEMP_FIN", "DATE_PUBL", "FREQ_MAJ", "DATE_MAJ",
			"MOTS_CLES", "LICENCE", "NOMBRE_RESSOURCES", "FORMAT_RESSOURCES", "URL"},
		{"Ville de Poitiers", "21860194600013", "deliberations-poitiers", "Délibérations du conseil municipal",
			"Les délibérations adoptées par le conseil municipal de Poitiers depuis 2020.", "Administration locale",
			"Ville de Poitiers", "21860194600013", "Communale", "Poitiers", "2020-01-01", "2024-12-31", "2024-04-05",
			"Mensuelle ou plusieurs fois par mois", "2024-04-05", "scdl;deliberations;conseil municipal",
			"Licence Ouverte-LO", "2", "csv;json", "https://www.poitiers.fr/donnees/deliberations"},
		{"Ville de Poitiers", "21860194600013", "equipements-poitiers", "Équipements publics",
			"Mairies, écoles, gymnases et bibliothèques de la ville.", "Équipements",
			"Grand Poitiers Communauté urbaine", "20006985400012", "Communale", "Poitiers", "2023-01-01", "2023-12-31",
			"2024-01-15", "Annuelle", "2024-01-15", "scdl;equipements",
			"Open Database License-ODBL", "1", "csv", "https://www.poitiers.fr/donnees/equipements"},
	}
}

// kitchenSink holds every type and constraint the SCDL schemas do not.
const kitchenSink = `{
  "name": "essai", "version": "1.0",
  "missingValues": ["", "n/a"],
  "primaryKey": ["annee", "montant"],
  "fields": [
    {"name": "code", "type": "string", "constraints": {"required": true, "unique": true, "minLength": 2, "maxLength": 5}},
    {"name": "cp", "constraints": {"pattern": "[0-9]{5}"}},
    {"name": "commune", "constraints": {"pattern": "^[A-Za-z\\s\\-\\u00C0-\\u00FF]+$"}},
    {"name": "courriel", "type": "string", "format": "email"},
    {"name": "actif", "type": "boolean"},
    {"name": "ouvert", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]},
    {"name": "maj", "type": "datetime"},
    {"name": "annee", "type": "year", "constraints": {"minimum": 2000, "maximum": 2030}},
    {"name": "montant", "type": "number", "constraints": {"maximum": 1000}},
    {"name": "debut", "type": "date", "constraints": {"minimum": "2020-01-01"}},
    {"name": "niveau", "type": "integer", "constraints": {"enum": [1, 2, 3]}}
  ]
}`

func validKitchenSink() table {
	return table{
		{"code", "cp", "commune", "courriel", "actif", "ouvert", "maj", "annee", "montant", "debut", "niveau"},
		{"AB1", "86000", "Poitiers", "mairie@poitiers.fr", "true", "oui", "2024-03-28T10:15:00+01:00", "2024", "12.5", "2024-01-01", "1"},
		{"ÉCOLE", "86100", "Châtellerault", "accueil@ville-chatellerault.fr", "0", "non", "2024-03-28T09:00:00Z", "2024", "1000", "2020-01-01", "+3"},
	}
}

// comparing has one compare-columns-value check with op.
func comparing(op string) string {
	return `{"name": "comparaison", "fields": [{"name": "a"}, {"name": "b"}],
	  "custom_checks": [{"name": "compare-columns-value", "params": {"column": "a", "op": "` + op + `", "column2": "b"}}]}`
}

func TestValidFilesHaveNoProblem(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		s     *Schema
		table table
	}{
		{"deliberations", loadTestSchema(t, "deliberations-2.1.5.schema.json"), validDeliberations()},
		{"catalogue", loadTestSchema(t, "catalogue-0.1.3.schema.json"), validCatalogue()},
		{"kitchen sink", loadJSON(t, kitchenSink), validKitchenSink()},
		{"compare numbers", loadJSON(t, comparing(">=")), table{{"a", "b"}, {"12", "9.5"}, {"", "3"}, {"4", ""}}},
		{"compare dates", loadJSON(t, comparing("<")), table{{"a", "b"}, {"2024-03-01", "2024-03-02"}}},
		{"compare spellings of a number", loadJSON(t, comparing("==")), table{{"a", "b"}, {"10", "1e1"}, {"0.5", ".50"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			problems, err := c.s.Validate(strings.NewReader(c.table.csv(t)))
			if err != nil {
				t.Fatal(err)
			}
			if problems == nil || len(problems) != 0 {
				t.Fatalf("want an empty slice, got %#v", problems)
			}
		})
	}
}

func TestLoadReadsTheSCDLSchemas(t *testing.T) {
	t.Parallel()
	d := loadTestSchema(t, "deliberations-2.1.5.schema.json")
	if d.Name != "deliberations" || d.Version != "2.1.5" || len(d.Fields) != 17 || len(d.CustomChecks) != 11 {
		t.Fatalf("deliberations read as %s %s, %d fields, %d checks", d.Name, d.Version, len(d.Fields), len(d.CustomChecks))
	}
	if f := d.Fields[1]; f.Name != "COLL_SIRET" || !f.Constraints.Required || f.Constraints.Pattern != `^\d{14}$` {
		t.Fatalf("COLL_SIRET read as %+v", f)
	}
	c := loadTestSchema(t, "catalogue-0.1.3.schema.json")
	if c.Name != "catalogue" || c.Version != "0.1.3" || len(c.Fields) != 20 {
		t.Fatalf("catalogue read as %s %s, %d fields", c.Name, c.Version, len(c.Fields))
	}
	if f := c.Fields[17]; f.Name != "NOMBRE_RESSOURCES" || f.Type != "integer" || f.Constraints.Minimum != "1" {
		t.Fatalf("NOMBRE_RESSOURCES read as %+v", f)
	}
	if f := c.Fields[19]; f.Name != "URL" || f.Format != "uri" {
		t.Fatalf("URL read as %+v", f)
	}
}

// TestEachRuleCanFail breaks one rule on one row of a valid file and
// expects that rule, and only it, to be reported there.
func TestEachRuleCanFail(t *testing.T) {
	t.Parallel()
	deliberations := loadTestSchema(t, "deliberations-2.1.5.schema.json")
	catalogue := loadTestSchema(t, "catalogue-0.1.3.schema.json")
	sink := loadJSON(t, kitchenSink)
	cases := []struct {
		name   string
		s      *Schema
		start  func() table
		edit   func(t *testing.T, tb table) table
		raw    func(csv string) string // changes the written file, when the rule is about its bytes
		row    int
		column string
		check  string
	}{
		// Délibérations
		{name: "SIRET key", s: deliberations, row: 2, column: "COLL_SIRET", check: "french-siret-value",
			edit: setCell(2, "COLL_SIRET", "21860194600014")},
		{name: "SIREN key", s: deliberations, row: 2, column: "COLL_SIRET", check: "french-siret-value",
			edit: setCell(2, "COLL_SIRET", "21860194700003")},
		{name: "pattern", s: deliberations, row: 1, column: "DELIB_MATIERE_CODE", check: "pattern",
			edit: setCell(1, "DELIB_MATIERE_CODE", "7.100")},
		{name: "required", s: deliberations, row: 3, column: "COLL_NOM", check: "required",
			edit: setCell(3, "COLL_NOM", "")},
		{name: "date", s: deliberations, row: 2, column: "DELIB_DATE", check: "type",
			edit: setCell(2, "DELIB_DATE", "2024-02-30")},
		{name: "date spelling", s: deliberations, row: 1, column: "PREF_DATE", check: "type",
			edit: setCell(1, "PREF_DATE", "02/04/2024")},
		{name: "uri", s: deliberations, row: 1, column: "DELIB_URL", check: "type",
			edit: setCell(1, "DELIB_URL", "www.poitiers.fr/deliberations/2024/DEL-2024-031.pdf")},
		{name: "uri scheme", s: deliberations, row: 2, column: "DELIB_URL", check: "type",
			edit: setCell(2, "DELIB_URL", "ftp://ftp.poitiers.fr/DEL-2024-032.pdf")},
		{name: "integer", s: deliberations, row: 1, column: "VOTE_POUR", check: "type",
			edit: setCell(1, "VOTE_POUR", "vingt")},
		{name: "year interval", s: deliberations, row: 1, column: "BUDGET_ANNEE", check: "year-interval-value",
			edit: setCell(1, "BUDGET_ANNEE", "2017/2019")},
		{name: "cohesive budget", s: deliberations, row: 3, column: "BUDGET_ANNEE", check: "cohesive-columns-value",
			edit: setCell(3, "BUDGET_NOM", "")},
		{name: "cohesive votes", s: deliberations, row: 3, column: "VOTE_EFFECTIF", check: "cohesive-columns-value",
			edit: setCell(3, "VOTE_POUR", "12")},
		{name: "prefecture before the vote", s: deliberations, row: 1, column: "PREF_DATE", check: "compare-columns-value",
			edit: setCell(1, "PREF_DATE", "2024-03-27")},
		{name: "more votes than members", s: deliberations, row: 2, column: "VOTE_EFFECTIF", check: "compare-columns-value",
			edit: setCell(2, "VOTE_EFFECTIF", "27")},
		{name: "sum", s: deliberations, row: 1, column: "VOTE_REEL", check: "sum-columns-value",
			edit: setCell(1, "VOTE_ABSTENTION", "1")},
		{name: "matière", s: deliberations, row: 2, column: "DELIB_MATIERE_NOM", check: "nomenclature-actes-value",
			edit: setCell(2, "DELIB_MATIERE_NOM", "Culture/Musées")},
		{name: "matière without a slash", s: deliberations, row: 3, column: "DELIB_MATIERE_NOM", check: "nomenclature-actes-value",
			edit: setCell(3, "DELIB_MATIERE_NOM", "Acquisitions")},
		{name: "misordered header", s: deliberations, row: 0, column: "DELIB_ID", check: "misordered-label",
			edit: func(t *testing.T, tb table) table { tb.swap(t, "DELIB_ID", "DELIB_DATE"); return tb }},
		{name: "missing header", s: deliberations, row: 0, column: "BUDGET_NOM", check: "missing-label",
			edit: func(t *testing.T, tb table) table { return tb.drop(t, "BUDGET_NOM") }},
		{name: "extra header", s: deliberations, row: 0, column: "COMMENTAIRE", check: "extra-label",
			edit: func(t *testing.T, tb table) table {
				tb[0] = append(tb[0], "COMMENTAIRE")
				for r := 1; r < len(tb); r++ {
					tb[r] = append(tb[r], "")
				}
				return tb
			}},
		{name: "duplicated header", s: deliberations, row: 0, column: "DELIB_ID", check: "duplicate-label",
			edit: func(t *testing.T, tb table) table {
				for r := range tb {
					tb[r] = append(tb[r], tb[r][2])
				}
				return tb
			}},
		{name: "extra cell", s: deliberations, row: 2, check: "extra-cell",
			edit: func(t *testing.T, tb table) table { tb[2] = append(tb[2], "oubli"); return tb }},
		{name: "missing cell", s: deliberations, row: 2, column: "DELIB_URL", check: "missing-cell",
			edit: func(t *testing.T, tb table) table { tb[2] = tb[2][:len(tb[2])-1]; return tb }},
		{name: "blank row", s: deliberations, row: 4, check: "blank-row",
			edit: func(t *testing.T, tb table) table { return append(tb, make([]string, len(tb[0]))) }},
		{name: "byte-order mark", s: deliberations, row: 0, check: "encoding",
			raw: func(csv string) string { return "\ufeff" + csv }},
		{name: "not UTF-8", s: deliberations, row: 1, column: "DELIB_OBJET", check: "encoding",
			raw: func(csv string) string { return strings.Replace(csv, "Vote du budget", "Vote du budget \xe9", 1) }},
		{name: "CSV syntax", s: deliberations, row: 2, check: "csv",
			raw: func(csv string) string { return strings.Replace(csv, "DEL-2024-032", `DEL"2024"032`, 1) }},

		// Catalogue
		{name: "enum", s: catalogue, start: validCatalogue, row: 1, column: "LICENCE", check: "enum",
			edit: setCell(1, "LICENCE", "CC-BY 4.0")},
		{name: "minimum", s: catalogue, start: validCatalogue, row: 2, column: "NOMBRE_RESSOURCES", check: "minimum",
			edit: setCell(2, "NOMBRE_RESSOURCES", "0")},
		{name: "producer's SIRET", s: catalogue, start: validCatalogue, row: 2, column: "PRODUCTEUR_SIRET", check: "french-siret-value",
			edit: setCell(2, "PRODUCTEUR_SIRET", "20006985400013")},
		{name: "catalogue date", s: catalogue, start: validCatalogue, row: 1, column: "COUV_TEMP_FIN", check: "type",
			edit: setCell(1, "COUV_TEMP_FIN", "31/12/2024")},

		// What the SCDL schemas do not use
		{name: "missing value", s: sink, start: validKitchenSink, row: 1, column: "code", check: "required",
			edit: setCell(1, "code", "n/a")},
		{name: "unique", s: sink, start: validKitchenSink, row: 2, column: "code", check: "unique",
			edit: setCell(2, "code", "AB1")},
		{name: "minLength", s: sink, start: validKitchenSink, row: 1, column: "code", check: "minLength",
			edit: setCell(1, "code", "A")},
		{name: "maxLength in characters", s: sink, start: validKitchenSink, row: 1, column: "code", check: "maxLength",
			edit: setCell(1, "code", "ÉÉÉÉÉÉ")},
		{name: "pattern is anchored", s: sink, start: validKitchenSink, row: 2, column: "cp", check: "pattern",
			edit: setCell(2, "cp", "861000")},
		{name: "pattern with \\u escapes", s: sink, start: validKitchenSink, row: 1, column: "commune", check: "pattern",
			edit: setCell(1, "commune", "Łódź")},
		{name: "email", s: sink, start: validKitchenSink, row: 1, column: "courriel", check: "type",
			edit: setCell(1, "courriel", "mairie.poitiers.fr")},
		{name: "boolean", s: sink, start: validKitchenSink, row: 1, column: "actif", check: "type",
			edit: setCell(1, "actif", "oui")},
		{name: "boolean spelt by the schema", s: sink, start: validKitchenSink, row: 1, column: "ouvert", check: "type",
			edit: setCell(1, "ouvert", "true")},
		{name: "datetime", s: sink, start: validKitchenSink, row: 1, column: "maj", check: "type",
			edit: setCell(1, "maj", "2024-03-28 10:15")},
		{name: "year", s: sink, start: validKitchenSink, row: 1, column: "annee", check: "type",
			edit: setCell(1, "annee", "24")},
		{name: "year minimum", s: sink, start: validKitchenSink, row: 1, column: "annee", check: "minimum",
			edit: setCell(1, "annee", "1999")},
		{name: "year maximum", s: sink, start: validKitchenSink, row: 1, column: "annee", check: "maximum",
			edit: setCell(1, "annee", "2031")},
		{name: "number", s: sink, start: validKitchenSink, row: 1, column: "montant", check: "type",
			edit: setCell(1, "montant", "12,5")},
		{name: "number maximum", s: sink, start: validKitchenSink, row: 2, column: "montant", check: "maximum",
			edit: setCell(2, "montant", "1000.01")},
		{name: "date minimum", s: sink, start: validKitchenSink, row: 2, column: "debut", check: "minimum",
			edit: setCell(2, "debut", "2019-12-31")},
		{name: "numeric enum", s: sink, start: validKitchenSink, row: 2, column: "niveau", check: "enum",
			edit: setCell(2, "niveau", "4")},
		{name: "primary key, same value spelt otherwise", s: sink, start: validKitchenSink, row: 2, column: "annee, montant", check: "primary-key",
			edit: setCell(2, "montant", "12.50")},

		// Each comparison
		{name: "a > b", s: loadJSON(t, comparing(">")), start: pair("2", "2"), row: 1, column: "a", check: "compare-columns-value"},
		{name: "a >= b", s: loadJSON(t, comparing(">=")), start: pair("1.5", "2"), row: 1, column: "a", check: "compare-columns-value"},
		{name: "a < b", s: loadJSON(t, comparing("<")), start: pair("2024-03-02", "2024-03-02"), row: 1, column: "a", check: "compare-columns-value"},
		{name: "a <= b", s: loadJSON(t, comparing("<=")), start: pair("3", "2"), row: 1, column: "a", check: "compare-columns-value"},
		{name: "a == b", s: loadJSON(t, comparing("==")), start: pair("10", "11"), row: 1, column: "a", check: "compare-columns-value"},
		{name: "not comparable", s: loadJSON(t, comparing(">=")), start: pair("2024-03-02", "douze"), row: 1, column: "a", check: "compare-columns-value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			start := c.start
			if start == nil {
				start = validDeliberations
			}
			tb := start().clone()
			if c.edit != nil {
				tb = c.edit(t, tb)
			}
			file := tb.csv(t)
			if c.raw != nil {
				file = c.raw(file)
			}
			problems, err := c.s.Validate(strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) == 0 {
				t.Fatalf("no problem reported, want %s on row %d", c.check, c.row)
			}
			for _, p := range problems {
				if p.Check != c.check || p.Row != c.row || c.column != "" && p.Column != c.column || p.Message == "" {
					t.Errorf("got %v, want only %s on row %d, %s", p, c.check, c.row, c.column)
				}
			}
		})
	}
}

// setCell edits one cell of the test's table.
func setCell(row int, column, value string) func(*testing.T, table) table {
	return func(t *testing.T, tb table) table {
		tb.set(t, row, column, value)
		return tb
	}
}

func pair(a, b string) func() table {
	return func() table { return table{{"a", "b"}, {a, b}} }
}

// TestAnEditedFileIsStillValid proves the edits above are not what fails:
// valid spellings the checks must let through.
func TestAnEditedFileIsStillValid(t *testing.T) {
	t.Parallel()
	s := loadTestSchema(t, "deliberations-2.1.5.schema.json")
	tb := validDeliberations()
	tb.set(t, 1, "DELIB_MATIERE_NOM", "  FINANCES LOCALES /Décisions budgétaires")
	tb.set(t, 2, "DELIB_MATIERE_NOM", "Libertes publiques et pouvoirs de police")
	tb.set(t, 3, "DELIB_MATIERE_NOM", "autres domaines de compétences/Voirie")
	tb.set(t, 3, "COLL_SIRET", "35600000000048")         // La Poste's head office: Luhn
	tb.set(t, 2, "COLL_SIRET", "35600000000010")         // one of its establishments: digits sum to 15
	tb.set(t, 1, "DELIB_URL", "HTTP://Poitiers.fr:8080") // no path, port, upper-case scheme
	problems, err := s.Validate(strings.NewReader(tb.csv(t)))
	if err != nil || len(problems) != 0 {
		t.Fatalf("got %v, %v", problems, err)
	}
}

func TestSIRET(t *testing.T) {
	t.Parallel()
	for siret, valid := range map[string]bool{
		"21860194600013": true,
		"24350013900189": true,
		"21860194600014": false, // SIRET key
		"21860194700003": false, // SIRET key right, SIREN key wrong
		"35600000000048": true,  // La Poste's head office
		"35600000000010": true,
		"35600000000011": false,
		"2186019460001":  false,
		"2186019460001A": false,
		"２1860194600013": false,
	} {
		if got := siretProblem(siret) == ""; got != valid {
			t.Errorf("%s: valid %v, want %v (%s)", siret, got, valid, siretProblem(siret))
		}
	}
}

func TestYearInterval(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		value     string
		yearOnly  bool
		wantValid bool
	}{
		{"2024/2025", false, true},
		{"2024", true, true},
		{"2024", false, false},
		{"2024/2024", true, false},
		{"2025/2024", true, false},
		{"2017/2019", true, false},
		{"24/25", true, false},
	} {
		if got := yearIntervalProblem(c.value, c.yearOnly) == ""; got != c.wantValid {
			t.Errorf("%q (year only %v): valid %v, want %v", c.value, c.yearOnly, got, c.wantValid)
		}
	}
}

func TestPatternEscapes(t *testing.T) {
	t.Parallel()
	for pattern, want := range map[string]string{
		`^[\u00C0-\u00FF]+$`: `^[\x{00C0}-\x{00FF}]+$`,
		`a\\u0041`:           `a\\u0041`, // an escaped backslash, then "u0041"
		`\d{5}\u12`:          `\d{5}\u12`,
	} {
		if got := goRegexp(pattern); got != want {
			t.Errorf("%s became %s, want %s", pattern, got, want)
		}
	}
}

func TestLoadRefusesWhatItCannotCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, schema, want string
	}{
		{"unknown custom check",
			`{"fields": [{"name": "a"}, {"name": "b"}], "custom_checks": [{"name": "one-of-required", "params": {"column1": "a", "column2": "b"}}]}`,
			"unknown custom check"},
		{"unknown type", `{"fields": [{"name": "a", "type": "geopoint"}]}`, "unknown type"},
		{"unknown format", `{"fields": [{"name": "a", "type": "string", "format": "uuid"}]}`, "unknown format"},
		{"date format", `{"fields": [{"name": "a", "type": "date", "format": "%d/%m/%Y"}]}`, "unknown format"},
		{"unknown constraint", `{"fields": [{"name": "a", "constraints": {"exclusiveMinimum": 1}}]}`, "unknown constraint"},
		{"pattern Go cannot run", `{"fields": [{"name": "a", "constraints": {"pattern": "(?=a)a"}}]}`, "pattern"},
		{"minimum of a string", `{"fields": [{"name": "a", "constraints": {"minimum": "b"}}]}`, "minimum"},
		{"minimum not of the type", `{"fields": [{"name": "a", "type": "date", "constraints": {"minimum": 2020}}]}`, "minimum"},
		{"check on an unknown column", `{"fields": [{"name": "a"}], "custom_checks": [{"name": "french-siret-value", "params": {"column": "SIRET"}}]}`,
			"not a field"},
		{"unknown op", `{"fields": [{"name": "a"}, {"name": "b"}], "custom_checks": [{"name": "compare-columns-value", "params": {"column": "a", "op": "!=", "column2": "b"}}]}`,
			"unknown op"},
		{"unknown parameter", `{"fields": [{"name": "a"}], "custom_checks": [{"name": "french-siret-value", "params": {"column": "a", "strict": "yes"}}]}`,
			"unknown parameters strict"},
		{"foreign keys", `{"fields": [{"name": "a"}], "foreignKeys": [{"fields": "a", "reference": {"resource": "b", "fields": "id"}}]}`,
			"foreignKeys"},
		{"decimal comma", `{"fields": [{"name": "a", "type": "number", "decimalChar": ","}]}`, "decimalChar"},
		{"two fields of one name", `{"fields": [{"name": "a"}, {"name": "a"}]}`, "two fields"},
		{"no fields", `{"name": "vide"}`, "no fields"},
		{"not JSON", `{"fields": [`, "reading the schema"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(strings.NewReader(c.schema))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error about %q", err, c.want)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	for p, want := range map[Problem]string{
		{Row: 2, Column: "COLL_SIRET", Check: "french-siret-value", Message: "21860194600014: the SIRET's key is wrong"}: "row 2, COLL_SIRET: french-siret-value: 21860194600014: the SIRET's key is wrong",
		{Row: 0, Column: "BUDGET_NOM", Check: "missing-label", Message: "the schema's column 9 is missing"}:              "header, BUDGET_NOM: missing-label: the schema's column 9 is missing",
		{Row: 4, Check: "blank-row", Message: "every cell is empty"}:                                                     "row 4: blank-row: every cell is empty",
	} {
		if got := p.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestEmptyFileMissesEveryColumn(t *testing.T) {
	t.Parallel()
	s := loadTestSchema(t, "catalogue-0.1.3.schema.json")
	problems, err := s.Validate(strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != len(s.Fields) {
		t.Fatalf("got %d problems, want one per field: %v", len(problems), problems)
	}
	for _, p := range problems {
		if p.Check != "missing-label" {
			t.Errorf("got %v", p)
		}
	}
}
