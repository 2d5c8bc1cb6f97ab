package procedure

import (
	"bytes"
	"encoding/json"
	"fmt"

	"guichet"
)

// MaxDefinitionSize bounds a form definition, so that a pasted or
// uploaded definition cannot exhaust memory.
const MaxDefinitionSize = 512 << 10

// ParseForm decodes a form definition. It refuses unknown keys and
// trailing data; it does not run the publication check (see Check).
func ParseForm(raw []byte) (*Form, error) {
	if len(raw) > MaxDefinitionSize {
		return nil, guichet.Errorf(guichet.EInvalid, "Définition trop volumineuse.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f Form
	if err := dec.Decode(&f); err != nil {
		return nil, guichet.Errorf(guichet.EInvalid, "Définition illisible : %v", err)
	}
	if dec.More() {
		return nil, guichet.Errorf(guichet.EInvalid, "Définition illisible : données après la fin.")
	}
	if err := f.shape(); err != nil {
		return nil, err
	}
	return &f, nil
}

// shape checks what every stored definition must satisfy, even a draft:
// known types, bounded sizes, no block inside a block.
func (f *Form) shape() error {
	count := 0
	var walk func(fields []Field, depth int) error
	walk = func(fields []Field, depth int) error {
		for i := range fields {
			fl := &fields[i]
			count++
			if count > 500 {
				return guichet.Errorf(guichet.EInvalid, "Plus de 500 champs.")
			}
			if !knownType(fl.Type) {
				return guichet.Errorf(guichet.EInvalid, "Type de champ inconnu : %q.", fl.Type)
			}
			if fl.Type == Repeat && depth > 0 {
				return guichet.Errorf(guichet.EInvalid, "Un bloc répétable ne peut pas contenir un autre bloc.")
			}
			if fl.Type != Repeat && len(fl.Fields) > 0 {
				return guichet.Errorf(guichet.EInvalid, "Seul un bloc répétable contient des champs.")
			}
			if err := walk(fl.Fields, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(f.Pages) > 50 {
		return guichet.Errorf(guichet.EInvalid, "Plus de 50 pages.")
	}
	for _, p := range f.Pages {
		for _, s := range p.Sections {
			if err := walk(s.Fields, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

func knownType(t FieldType) bool {
	for _, k := range FieldTypes {
		if k == t {
			return true
		}
	}
	return false
}

// JSON encodes the definition.
func (f *Form) JSON() []byte {
	b, err := json.Marshal(f)
	if err != nil {
		panic(fmt.Sprintf("procedure: encode form: %v", err)) // only plain types: cannot fail
	}
	return b
}

// CheckShape checks what every stored draft must satisfy (see ParseForm).
func (f *Form) CheckShape() error { return f.shape() }
