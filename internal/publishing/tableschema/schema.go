// Package tableschema checks a CSV file against a Frictionless Table Schema
// as the French SCDL open-data schemas write them, with the "custom_checks"
// that OpenDataFrance's validata tool applies. Tests use it to prove that
// Guichet's SCDL exports would pass validata.
//
// It is strict where the schema says something it cannot check: an
// unknown type, format, constraint or custom check makes Load fail
// rather than let every file pass.
package tableschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Schema is a Table Schema read from its JSON file. Validate checks what
// these fields say; they may be read, and changed before validating.
type Schema struct {
	Name, Title, Version string
	Fields               []Field
	// MissingValues are the cell values that mean "no value". Nil stands
	// for Table Schema's default, [""]; an empty, non-nil list means that
	// every value, "" included, is a value.
	MissingValues []string
	// PrimaryKey names the fields whose values together are unique on
	// every row; each of them is then required.
	PrimaryKey   []string
	CustomChecks []CustomCheck
}

// Field is one column of the table.
type Field struct {
	Name string
	// Type is string, integer, number, boolean, date, datetime or year.
	Type string
	// Format is "" or "default"; uri or email for a string.
	Format      string
	Constraints Constraints
	// TrueValues and FalseValues spell a boolean; nil stands for Table
	// Schema's defaults.
	TrueValues, FalseValues []string
}

// Constraints are a field's Table Schema constraints.
type Constraints struct {
	Required bool
	Unique   bool
	// Pattern is a regular expression the whole value must match.
	Pattern string
	// Enum lists the allowed values as the schema writes them (a number in
	// its JSON spelling); "" when the constraint is absent.
	Enum []string
	// Minimum and Maximum bound a number, an integer, a year, a date or a
	// datetime, written as the field's values are; "" when absent.
	Minimum, Maximum string
	// MinLength and MaxLength count characters; nil when absent.
	MinLength, MaxLength *int
}

// CustomCheck is one entry of the schema's "custom_checks": validata's
// name for a rule across columns or on one column's meaning, and its
// parameters as decoded from JSON (strings, lists of strings).
type CustomCheck struct {
	Name   string
	Params map[string]any
}

// LoadFile reads a schema from its JSON file.
func LoadFile(path string) (*Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// schemaFile is the JSON of a schema; what it does not name is
// description, which changes nothing to the checks.
type schemaFile struct {
	Name          string          `json:"name"`
	Title         string          `json:"title"`
	Version       string          `json:"version"`
	Fields        []fieldFile     `json:"fields"`
	MissingValues []string        `json:"missingValues"`
	PrimaryKey    json.RawMessage `json:"primaryKey"`
	ForeignKeys   json.RawMessage `json:"foreignKeys"`
	CustomChecks  []struct {
		Name   string         `json:"name"`
		Params map[string]any `json:"params"`
	} `json:"custom_checks"`
}

type fieldFile struct {
	Name        string                     `json:"name"`
	Type        string                     `json:"type"`
	Format      string                     `json:"format"`
	Constraints map[string]json.RawMessage `json:"constraints"`
	TrueValues  []string                   `json:"trueValues"`
	FalseValues []string                   `json:"falseValues"`
	// These change how numbers are written; only their defaults are
	// supported, so a schema that sets them is refused.
	BareNumber  *bool   `json:"bareNumber"`
	DecimalChar *string `json:"decimalChar"`
	GroupChar   *string `json:"groupChar"`
}

// Load reads a schema and checks that Validate can apply all of it.
func Load(r io.Reader) (*Schema, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var file schemaFile
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("tableschema: reading the schema: %w", err)
	}
	if len(file.ForeignKeys) > 0 && !bytes.Equal(bytes.TrimSpace(file.ForeignKeys), []byte("null")) {
		return nil, errors.New("tableschema: foreignKeys are not supported")
	}
	s := &Schema{
		Name:          file.Name,
		Title:         file.Title,
		Version:       file.Version,
		MissingValues: file.MissingValues,
	}
	if file.MissingValues == nil {
		s.MissingValues = []string{""}
	}
	key, err := readPrimaryKey(file.PrimaryKey)
	if err != nil {
		return nil, err
	}
	s.PrimaryKey = key
	for _, ff := range file.Fields {
		f, err := readField(ff)
		if err != nil {
			return nil, fmt.Errorf("tableschema: field %q: %w", ff.Name, err)
		}
		s.Fields = append(s.Fields, f)
	}
	for _, c := range file.CustomChecks {
		s.CustomChecks = append(s.CustomChecks, CustomCheck{Name: c.Name, Params: c.Params})
	}
	if _, err := compile(s); err != nil {
		return nil, err
	}
	return s, nil
}

// readPrimaryKey accepts one field name or a list of them.
func readPrimaryKey(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("tableschema: primaryKey: %w", err)
	}
	return many, nil
}

func readField(ff fieldFile) (Field, error) {
	f := Field{
		Name:        ff.Name,
		Type:        ff.Type,
		Format:      ff.Format,
		TrueValues:  ff.TrueValues,
		FalseValues: ff.FalseValues,
	}
	if f.Type == "" {
		f.Type = "string" // Table Schema's default
	}
	if ff.BareNumber != nil && !*ff.BareNumber {
		return f, errors.New("bareNumber false is not supported")
	}
	if ff.DecimalChar != nil && *ff.DecimalChar != "." {
		return f, errors.New("decimalChar other than \".\" is not supported")
	}
	if ff.GroupChar != nil && *ff.GroupChar != "" {
		return f, errors.New("groupChar is not supported")
	}
	for key, raw := range ff.Constraints {
		if err := readConstraint(&f.Constraints, key, raw); err != nil {
			return f, fmt.Errorf("constraint %s: %w", key, err)
		}
	}
	return f, nil
}

func readConstraint(c *Constraints, key string, raw json.RawMessage) error {
	switch key {
	case "required":
		return json.Unmarshal(raw, &c.Required)
	case "unique":
		return json.Unmarshal(raw, &c.Unique)
	case "pattern":
		return json.Unmarshal(raw, &c.Pattern)
	case "enum":
		var values []json.RawMessage
		if err := json.Unmarshal(raw, &values); err != nil {
			return err
		}
		c.Enum = []string{}
		for _, v := range values {
			s, err := scalarText(v)
			if err != nil {
				return err
			}
			c.Enum = append(c.Enum, s)
		}
		return nil
	case "minimum":
		s, err := scalarText(raw)
		c.Minimum = s
		return err
	case "maximum":
		s, err := scalarText(raw)
		c.Maximum = s
		return err
	case "minLength":
		return readLength(raw, &c.MinLength)
	case "maxLength":
		return readLength(raw, &c.MaxLength)
	}
	return errors.New("unknown constraint")
}

// scalarText spells a JSON string, number or boolean as a CSV cell would.
func scalarText(raw json.RawMessage) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		if v {
			return "true", nil
		}
		return "false", nil
	}
	return "", fmt.Errorf("%s is not a string, a number or a boolean", raw)
}

func readLength(raw json.RawMessage, into **int) error {
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return err
	}
	if n < 0 {
		return fmt.Errorf("%d is negative", n)
	}
	*into = &n
	return nil
}
