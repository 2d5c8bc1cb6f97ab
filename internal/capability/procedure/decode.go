package procedure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"guichet"
)

// Limits on submitted answers, whatever the form says.
const (
	maxValueLen  = 10000
	maxItems     = 50
	maxFilesEach = 10
)

// InputName is the HTML name of a top-level field: "c.<key>".
func InputName(key string) string { return "c." + key }

// ItemName is the HTML name of a field of a repeatable block's item i.
func ItemName(block string, i int, key string) string {
	return "c." + block + "." + strconv.Itoa(i) + "." + key
}

// ItemCount is the HTML name of the hidden input holding how many items a
// block shows.
func ItemCount(block string) string { return "c." + block + ".n" }

// DecodePage reads the answers to page p from a submitted form, on top of
// prev (earlier pages, and this page's files, which are uploaded apart).
// It never fails: bad values are kept for Validate to report.
func (f *Form) DecodePage(p int, vals url.Values, prev Answers) Answers {
	out := prev.Clone()
	if p < 0 || p >= len(f.Pages) {
		return out
	}
	for _, sec := range f.Pages[p].Sections {
		for i := range sec.Fields {
			fl := &sec.Fields[i]
			switch fl.Type {
			case Info, File:
				continue
			case Repeat:
				out[fl.Key] = Answer{Items: decodeItems(fl, vals)}
			default:
				out[fl.Key] = decodeValue(fl, vals[InputName(fl.Key)])
			}
		}
	}
	return out
}

func decodeValue(fl *Field, raw []string) Answer {
	if fl.Type == Multi {
		var vals []string
		for _, v := range raw {
			if v = clip(v); v != "" && !slices.Contains(vals, v) && len(vals) < len(fl.Options)+1 {
				vals = append(vals, v)
			}
		}
		return Answer{Values: vals}
	}
	if len(raw) == 0 {
		return Answer{}
	}
	v := clip(raw[0])
	if fl.Type != LongText {
		v = strings.TrimSpace(v)
	}
	return Answer{Value: v}
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) > maxValueLen {
		s = s[:maxValueLen]
		s = strings.ToValidUTF8(s, "")
	}
	return s
}

func decodeItems(fl *Field, vals url.Values) []Answers {
	n, _ := strconv.Atoi(vals.Get(ItemCount(fl.Key)))
	n = max(0, min(n, fl.itemLimit()))
	items := make([]Answers, 0, n)
	for i := 0; i < n; i++ {
		item := Answers{}
		for j := range fl.Fields {
			sub := &fl.Fields[j]
			if sub.HasAnswer() && sub.Type != File {
				item[sub.Key] = decodeValue(sub, vals[ItemName(fl.Key, i, sub.Key)])
			}
		}
		items = append(items, item)
	}
	return items
}

func (f *Field) itemLimit() int {
	if f.MaxItems > 0 && f.MaxItems < maxItems {
		return f.MaxItems
	}
	return maxItems
}

// DecodeJSON reads answers sent to the API: an object whose values are a
// string, a list of strings (multiple choice) or a list of objects (the
// items of a block). Files are attached apart. Unknown keys are refused.
func (f *Form) DecodeJSON(raw []byte) (Answers, error) {
	var in map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&in); err != nil {
		return nil, guichet.Errorf(guichet.EInvalid, "Réponses illisibles : %v", err)
	}
	all := f.fields()
	out := Answers{}
	for k, v := range in {
		l, ok := all[k]
		if !ok || !l.Field.HasAnswer() || l.Field.Type == File {
			return nil, guichet.Invalid(map[string]string{k: "Champ inconnu ou non modifiable ici."})
		}
		a, err := jsonAnswer(l.Field, v)
		if err != nil {
			return nil, guichet.Invalid(map[string]string{k: err.Error()})
		}
		out[k] = a
	}
	return out, nil
}

func jsonAnswer(fl *Field, raw json.RawMessage) (Answer, error) {
	switch fl.Type {
	case Multi:
		var vals []string
		if err := json.Unmarshal(raw, &vals); err != nil {
			return Answer{}, fmt.Errorf("une liste de choix est attendue")
		}
		return decodeValue(fl, vals), nil
	case Repeat:
		var items []map[string]string
		if err := json.Unmarshal(raw, &items); err != nil || len(items) > fl.itemLimit() {
			return Answer{}, fmt.Errorf("une liste d'au plus %d éléments est attendue", fl.itemLimit())
		}
		out := Answer{Items: make([]Answers, 0, len(items))}
		for _, it := range items {
			item := Answers{}
			for k, v := range it {
				sub := fl.sub(k)
				if sub == nil || !sub.HasAnswer() || sub.Type == File {
					return Answer{}, fmt.Errorf("champ inconnu dans un élément : %q", k)
				}
				item[k] = decodeValue(sub, []string{v})
			}
			out.Items = append(out.Items, item)
		}
		return out, nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return Answer{}, fmt.Errorf("un texte est attendu")
	}
	return decodeValue(fl, []string{v}), nil
}

func (f *Field) sub(key string) *Field {
	for i := range f.Fields {
		if f.Fields[i].Key == key {
			return &f.Fields[i]
		}
	}
	return nil
}
