package procedure

import "strings"

// Answers are a case's answers, by field key.
type Answers map[string]Answer

// Answer is one field's answer: a value, several values (multiple
// choice), items (a repeatable block) or files.
type Answer struct {
	Value  string    `json:"v,omitempty"`
	Values []string  `json:"l,omitempty"`
	Items  []Answers `json:"i,omitempty"`
	Files  []FileRef `json:"f,omitempty"`
}

// FileRef points to a stored file attached to an answer or a message.
type FileRef struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"type"`
	Size        int64  `json:"size"`
}

// Empty reports whether nothing was answered.
func (a Answer) Empty() bool {
	return strings.TrimSpace(a.Value) == "" && len(a.Values) == 0 && len(a.Items) == 0 && len(a.Files) == 0
}

// Text renders the answer on one line, for lists, exports and letters.
func (a Answer) Text() string {
	switch {
	case len(a.Values) > 0:
		return strings.Join(a.Values, ", ")
	case len(a.Files) > 0:
		names := make([]string, len(a.Files))
		for i, f := range a.Files {
			names[i] = f.Name
		}
		return strings.Join(names, ", ")
	}
	return a.Value
}

// Clone returns a deep copy of the answers.
func (a Answers) Clone() Answers {
	out := make(Answers, len(a))
	for k, v := range a {
		c := Answer{Value: v.Value, Values: append([]string(nil), v.Values...), Files: append([]FileRef(nil), v.Files...)}
		for _, it := range v.Items {
			c.Items = append(c.Items, it.Clone())
		}
		out[k] = c
	}
	return out
}

// SizeText is the file's size in French units.
func (f FileRef) SizeText() string { return HumanSize(f.Size) }
