// Package procedure is the online procedures domain: the form engine (a
// JSON definition with pages, sections, fields, conditions and repeatable
// blocks), versioned procedures, cases and their workflow, messages,
// deadlines, retention and the PDF receipt and decision letter.
package procedure

// FieldType is the kind of a form field.
type FieldType string

// The field types of the form engine.
const (
	Text     FieldType = "text"     // one line
	LongText FieldType = "longtext" // several lines
	Number   FieldType = "number"
	Date     FieldType = "date" // YYYY-MM-DD
	Email    FieldType = "email"
	Phone    FieldType = "phone"
	Choice   FieldType = "choice" // one of Options
	Multi    FieldType = "multi"  // any of Options
	YesNo    FieldType = "yesno"  // "oui" or "non"
	Address  FieldType = "address"
	SIRET    FieldType = "siret"
	File     FieldType = "file"
	Repeat   FieldType = "repeat" // a block of Fields, repeated
	Info     FieldType = "info"   // explanatory text, no answer
)

// FieldTypes lists every type in the order the form builder offers them.
var FieldTypes = []FieldType{Text, LongText, Number, Date, Email, Phone, Choice, Multi, YesNo,
	Address, SIRET, File, Repeat, Info}

// Form is a procedure's form definition: pages of sections of fields.
type Form struct {
	Pages []Page `json:"pages"`
}

// Page is one step of the form.
type Page struct {
	Title    string    `json:"title"`
	Sections []Section `json:"sections"`
}

// Section groups fields under a heading; its condition hides it whole.
type Section struct {
	Title     string     `json:"title,omitempty"`
	Condition *Condition `json:"condition,omitempty"`
	Fields    []Field    `json:"fields"`
}

// Field is one question (or a text, or a repeatable block).
type Field struct {
	Key       string     `json:"key"`
	Type      FieldType  `json:"type"`
	Label     string     `json:"label"`
	Hint      string     `json:"hint,omitempty"`
	Required  bool       `json:"required,omitempty"`
	Options   []string   `json:"options,omitempty"`
	Condition *Condition `json:"condition,omitempty"`
	// Validation rules: lengths for text, bounds for numbers and dates
	// (as text, "2026-01-01"), a regular expression for text.
	MinLength int     `json:"min_length,omitempty"`
	MaxLength int     `json:"max_length,omitempty"`
	Min       *string `json:"min,omitempty"`
	Max       *string `json:"max,omitempty"`
	Pattern   string  `json:"pattern,omitempty"`
	// Files: allowed extensions ("pdf", "jpg"…) and the size limit in bytes.
	Accept  []string `json:"accept,omitempty"`
	MaxSize int64    `json:"max_size,omitempty"`
	// Repeatable blocks: the block's fields and how many items.
	Fields   []Field `json:"fields,omitempty"`
	MinItems int     `json:"min_items,omitempty"`
	MaxItems int     `json:"max_items,omitempty"`
}

// DefaultMaxSize is the file size limit when a field sets none: the
// 10 MB that electronic filing must accept at least.
const DefaultMaxSize = 10 << 20

// MaxFileSize is the largest limit a field may set.
const MaxFileSize = 25 << 20

// Limit returns the field's file size limit.
func (f *Field) Limit() int64 {
	if f.MaxSize > 0 {
		return f.MaxSize
	}
	return DefaultMaxSize
}

// HasAnswer reports whether the field takes an answer (explanatory text does not).
func (f *Field) HasAnswer() bool { return f.Type != Info }

// located is a field with where it sits in the form.
type located struct {
	Field   *Field
	Page    int
	Section int
}

// fields indexes the form's top-level fields by key.
func (f *Form) fields() map[string]located {
	out := map[string]located{}
	for p := range f.Pages {
		for s := range f.Pages[p].Sections {
			sec := &f.Pages[p].Sections[s]
			for i := range sec.Fields {
				out[sec.Fields[i].Key] = located{&sec.Fields[i], p, s}
			}
		}
	}
	return out
}

// Field returns the top-level field key, or nil.
func (f *Form) Field(key string) *Field {
	if l, ok := f.fields()[key]; ok {
		return l.Field
	}
	return nil
}

// Each calls fn for every top-level field in order, with its section.
func (f *Form) Each(fn func(sec *Section, fl *Field)) {
	for p := range f.Pages {
		for s := range f.Pages[p].Sections {
			sec := &f.Pages[p].Sections[s]
			for i := range sec.Fields {
				fn(sec, &sec.Fields[i])
			}
		}
	}
}
