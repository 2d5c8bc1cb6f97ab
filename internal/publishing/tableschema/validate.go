package tableschema

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one thing in the file that the schema refuses.
type Problem struct {
	// Row counts the CSV records after the header: 1 is the first data
	// row (a record spread over several lines counts once); 0 is the
	// header or the file as a whole.
	Row int
	// Column is the field concerned, "" for a whole row or the file.
	Column string
	// Check names the rule: a Table Schema constraint (required, pattern,
	// enum, minimum, maximum, minLength, maxLength, unique, primary-key),
	// type, a custom check's name, or one about the file's shape
	// (encoding, csv, missing-label, extra-label, duplicate-label,
	// misordered-label, missing-cell, extra-cell, blank-row).
	Check   string
	Message string
}

func (p Problem) String() string {
	where := "header"
	if p.Row > 0 {
		where = "row " + strconv.Itoa(p.Row)
	}
	if p.Column != "" {
		where += ", " + p.Column
	}
	return where + ": " + p.Check + ": " + p.Message
}

var byteOrderMark = []byte("\xef\xbb\xbf")

// Validate reads a CSV (comma-separated, UTF-8, header row first) and
// returns every problem found; an empty slice means the file is valid. It
// returns an error only when the schema cannot be applied or reading r
// fails; a malformed CSV is a problem, reported where reading stopped.
func (s *Schema) Validate(r io.Reader) ([]Problem, error) {
	p, err := compile(s)
	if err != nil {
		return nil, err
	}
	v := &validation{plan: p, problems: []Problem{}, keys: map[string]int{}}
	br := bufio.NewReader(r)
	start, err := br.Peek(len(byteOrderMark))
	if err != nil && err != io.EOF {
		return nil, err
	}
	if bytes.Equal(start, byteOrderMark) {
		// Reported, then skipped so that the header is still checked.
		br.Discard(len(byteOrderMark))
		v.add(0, "", "encoding", "the file starts with a byte-order mark; UTF-8 without one is expected")
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // rows of another width are problems, not errors
	header, err := cr.Read()
	if err != nil && err != io.EOF {
		return v.stop(0, err)
	}
	v.readHeader(header)
	for row := 1; ; row++ {
		record, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return v.stop(row, err)
		}
		v.readRow(row, record)
	}
	return v.problems, nil
}

type validation struct {
	plan     *plan
	problems []Problem
	columns  []int // field → its column in the file, -1 when absent
	width    int   // the header's number of columns
	seen     []map[string]int
	keys     map[string]int // primary key → the row it was first on
}

func (v *validation) add(row int, column, check, message string) {
	v.problems = append(v.problems, Problem{Row: row, Column: column, Check: check, Message: message})
}

// stop ends the reading: a CSV syntax error is the file's problem, any
// other error the reader's.
func (v *validation) stop(row int, err error) ([]Problem, error) {
	var syntax *csv.ParseError
	if !errors.As(err, &syntax) {
		return nil, err
	}
	v.add(row, "", "csv", err.Error()+"; the rest of the file was not read")
	return v.problems, nil
}

func (v *validation) readHeader(labels []string) {
	fields := v.plan.fields
	v.width = len(labels)
	v.columns = make([]int, len(fields))
	v.seen = make([]map[string]int, len(fields))
	for i := range fields {
		v.columns[i] = -1
		v.seen[i] = map[string]int{}
	}
	var order []int // the schema's fields in the file's order
	for col, label := range labels {
		i, known := v.plan.index[label]
		switch {
		case !known:
			v.add(0, label, "extra-label", fmt.Sprintf("column %d, %s, is not in the schema", col+1, quote(label)))
		case v.columns[i] >= 0:
			v.add(0, label, "duplicate-label", fmt.Sprintf("column %d repeats column %d", col+1, v.columns[i]+1))
		default:
			v.columns[i] = col
			order = append(order, i)
		}
	}
	for i, f := range fields {
		if v.columns[i] < 0 {
			v.add(0, f.Name, "missing-label", fmt.Sprintf("the schema's column %d is missing", i+1))
		}
	}
	// The fewest columns to move: those outside the longest run already
	// in the schema's order.
	inOrder := longestIncreasing(order)
	for k, i := range order {
		if inOrder[k] {
			continue
		}
		where := "first"
		if i > 0 {
			where = "after " + fields[i-1].Name
		}
		v.add(0, fields[i].Name, "misordered-label",
			fmt.Sprintf("column %d; the schema puts it %s", v.columns[i]+1, where))
	}
}

// longestIncreasing marks the members of one longest increasing
// subsequence of seq.
func longestIncreasing(seq []int) []bool {
	length := make([]int, len(seq))
	prev := make([]int, len(seq))
	best := -1
	for k := range seq {
		length[k], prev[k] = 1, -1
		for j := range k {
			if seq[j] < seq[k] && length[j]+1 > length[k] {
				length[k], prev[k] = length[j]+1, j
			}
		}
		if best < 0 || length[k] > length[best] {
			best = k
		}
	}
	in := make([]bool, len(seq))
	for k := best; k >= 0; k = prev[k] {
		in[k] = true
	}
	return in
}

func (v *validation) readRow(row int, record []string) {
	if !slices.ContainsFunc(record, func(c string) bool { return !v.plan.missing[c] }) {
		v.add(row, "", "blank-row", "every cell is empty")
		return
	}
	if len(record) > v.width {
		v.add(row, "", "extra-cell", fmt.Sprintf("%d cells, the header has %d", len(record), v.width))
	}
	fields := v.plan.fields
	cells := make([]cell, len(fields))
	for i := range fields {
		col := v.columns[i]
		switch {
		case col < 0:
			cells[i].absent = true // reported by the header
		case col >= len(record):
			cells[i].absent = true
			v.add(row, fields[i].Name, "missing-cell", "the row ends before this column")
		default:
			cells[i] = v.readCell(row, i, record[col])
		}
	}
	for _, chk := range v.plan.checks {
		if why := chk.run(cells); why != "" {
			v.add(row, chk.column, chk.name, why)
		}
	}
	v.checkPrimaryKey(row, cells)
}

func (v *validation) readCell(row, i int, raw string) cell {
	f := &v.plan.fields[i]
	c := cell{raw: raw}
	if v.plan.missing[raw] {
		if f.Constraints.Required {
			v.add(row, f.Name, "required", "a value is required")
		}
		return c
	}
	c.filled = true
	if !utf8.ValidString(raw) {
		v.add(row, f.Name, "encoding", quote(raw)+" is not UTF-8")
		return c
	}
	val, why := f.parse(raw)
	if why != "" {
		v.add(row, f.Name, "type", quote(raw)+": "+why)
		return c
	}
	c.ok = true
	cons := f.Constraints
	if f.pattern != nil && !f.pattern.MatchString(raw) {
		v.add(row, f.Name, "pattern", fmt.Sprintf("%s does not match %s", quote(raw), cons.Pattern))
	}
	if cons.Enum != nil && !slices.ContainsFunc(f.enum, func(e value) bool {
		c, ok := f.compare(val, e)
		return ok && c == 0
	}) {
		v.add(row, f.Name, "enum", fmt.Sprintf("%s is not one of: %s", quote(raw), strings.Join(cons.Enum, " | ")))
	}
	if f.min != nil {
		if c, ok := f.compare(val, *f.min); !ok || c < 0 {
			v.add(row, f.Name, "minimum", fmt.Sprintf("%s is below the minimum %s", quote(raw), cons.Minimum))
		}
	}
	if f.max != nil {
		if c, ok := f.compare(val, *f.max); !ok || c > 0 {
			v.add(row, f.Name, "maximum", fmt.Sprintf("%s is above the maximum %s", quote(raw), cons.Maximum))
		}
	}
	n := utf8.RuneCountInString(raw)
	if cons.MinLength != nil && n < *cons.MinLength {
		v.add(row, f.Name, "minLength", fmt.Sprintf("%d characters, at least %d expected", n, *cons.MinLength))
	}
	if cons.MaxLength != nil && n > *cons.MaxLength {
		v.add(row, f.Name, "maxLength", fmt.Sprintf("%d characters, at most %d expected", n, *cons.MaxLength))
	}
	if cons.Unique {
		key := f.canonical(val)
		if first, taken := v.seen[i][key]; taken {
			v.add(row, f.Name, "unique", fmt.Sprintf("%s is already on row %d", quote(raw), first))
		} else {
			v.seen[i][key] = row
		}
	}
	return c
}

func (v *validation) checkPrimaryKey(row int, cells []cell) {
	if len(v.plan.primaryKey) == 0 {
		return
	}
	var key, names []string
	for _, i := range v.plan.primaryKey {
		if !cells[i].ok {
			return // missing or wrong: already reported
		}
		f := &v.plan.fields[i]
		val, _ := f.parse(cells[i].raw)
		key = append(key, strconv.Quote(f.canonical(val)))
		names = append(names, f.Name)
	}
	k := strings.Join(key, ",")
	if first, taken := v.keys[k]; taken {
		v.add(row, strings.Join(names, ", "), "primary-key", fmt.Sprintf("the key is already on row %d", first))
		return
	}
	v.keys[k] = row
}
