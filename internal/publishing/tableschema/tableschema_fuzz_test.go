package tableschema

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// FuzzValidate checks any file against the délibérations schema: no
// panic, no error from a reader that cannot fail, and a file that
// encoding/csv reads gives the same problems once written again by
// encoding/csv (the problems depend on the cells, not on their quoting).
func FuzzValidate(f *testing.F) {
	s := loadTestSchema(f, "deliberations-2.1.5.schema.json")
	valid := validDeliberations()
	var b bytes.Buffer
	if err := csv.NewWriter(&b).WriteAll(valid); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add("\ufeff" + b.String())
	f.Add(strings.Join(valid[0], ",") + "\n")
	f.Add("")
	f.Add("COLL_NOM,COLL_SIRET\n\"Ville de \"\"Poitiers\"\"\",21860194600014\n")
	f.Add(strings.Replace(b.String(), "DEL-2024-032", `DEL"2024"032`, 1))
	f.Add(strings.ReplaceAll(b.String(), "29,27,20,5,2", "\"29\r\n\",27,20,5,2,\xff"))
	f.Fuzz(func(t *testing.T, file string) {
		problems, err := s.Validate(strings.NewReader(file))
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		for _, p := range problems {
			if p.Row < 0 || p.Check == "" || p.Message == "" {
				t.Fatalf("incomplete problem %#v", p)
			}
		}
		again, ok := rewritten(file)
		if !ok {
			return
		}
		problems2, err := s.Validate(strings.NewReader(again))
		if err != nil {
			t.Fatalf("error on the rewritten file: %v", err)
		}
		if !slices.Equal(problems, problems2) {
			t.Fatalf("%q gives\n%v\nrewritten as %q it gives\n%v", file, problems, again, problems2)
		}
	})
}

// rewritten reads file with encoding/csv and writes its records again,
// byte-order mark kept. It gives up on what encoding/csv itself does not
// write back the same: a syntax error, a record of one empty cell
// (written as a blank line, which reading skips) and a cell holding
// "\r\n" (read back as "\n").
func rewritten(file string) (string, bool) {
	bom, rest := "", file
	if strings.HasPrefix(file, "\ufeff") {
		bom, rest = "\ufeff", file[len("\ufeff"):]
	}
	r := csv.NewReader(strings.NewReader(rest))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return "", false
	}
	for _, rec := range records {
		if len(rec) == 1 && rec[0] == "" {
			return "", false
		}
		if slices.ContainsFunc(rec, func(c string) bool { return strings.Contains(c, "\r\n") }) {
			return "", false
		}
	}
	var b strings.Builder
	b.WriteString(bom)
	w := csv.NewWriter(&b)
	if err := w.WriteAll(records); err != nil {
		return "", false
	}
	return b.String(), true
}
