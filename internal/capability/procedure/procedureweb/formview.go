package procedureweb

import (
	"strconv"
	"strings"

	"guichet/internal/capability/procedure"
)

// option is a choice as the form partials want it.
type option struct{ Value, Label string }

// fieldView is one field ready for the _procedure.html partials.
type fieldView struct {
	Kind      string // input, textarea, radios, checkboxes, file, repeat, info
	Key       string
	Name      string
	Label     string
	Hint      string
	Type      string
	Value     string
	Values    []string
	Required  bool
	Inline    bool
	Options   []option
	Accept    string
	Files     []procedure.FileRef
	Items     []itemView
	CountName string
	CanAdd    bool
	Width     string
	Inputmode string
	Auto      string
}

// itemView is one item of a repeatable block.
type itemView struct {
	Index  int
	Number int
	Fields []fieldView
}

// sectionView is a shown section of a page.
type sectionView struct {
	Title  string
	Fields []fieldView
}

// pageView builds the shown sections of page p for answers.
func pageView(form *procedure.Form, p int, answers procedure.Answers) ([]sectionView, bool) {
	vis := form.Visible(answers)
	multipart := false
	var out []sectionView
	for si := range form.Pages[p].Sections {
		sec := &form.Pages[p].Sections[si]
		if !vis.Section(sec) {
			continue
		}
		sv := sectionView{Title: sec.Title}
		for i := range sec.Fields {
			fl := &sec.Fields[i]
			if !vis.Field(fl.Key) {
				continue
			}
			if fl.Type == procedure.File {
				multipart = true
			}
			sv.Fields = append(sv.Fields, fieldOf(fl, procedure.InputName(fl.Key), answers[fl.Key]))
		}
		if len(sv.Fields) > 0 {
			out = append(out, sv)
		}
	}
	return out, multipart
}

func fieldOf(fl *procedure.Field, name string, a procedure.Answer) fieldView {
	v := fieldView{Key: fl.Key, Name: name, Label: fl.Label, Hint: fl.Hint, Required: fl.Required, Value: a.Value, Kind: "input", Type: "text"}
	switch fl.Type {
	case procedure.LongText:
		v.Kind = "textarea"
	case procedure.Number:
		v.Inputmode, v.Width = "decimal", "short"
	case procedure.Date:
		v.Type, v.Width = "date", "short"
	case procedure.Email:
		v.Type, v.Auto = "email", "email"
	case procedure.Phone:
		v.Type, v.Auto = "tel", "tel"
	case procedure.SIRET:
		v.Inputmode, v.Width = "numeric", "short"
		if v.Hint == "" {
			v.Hint = "14 chiffres, par exemple 732 829 320 00074."
		}
	case procedure.Address:
		v.Kind = "textarea" // several lines, as a postal address is written
	case procedure.Choice:
		v.Kind = "radios"
		v.Options = options(fl.Options)
	case procedure.YesNo:
		v.Kind, v.Inline = "radios", true
		v.Options = []option{{"oui", "Oui"}, {"non", "Non"}}
	case procedure.Multi:
		v.Kind, v.Values = "checkboxes", a.Values
		v.Options = options(fl.Options)
	case procedure.File:
		v.Kind, v.Files = "file", a.Files
		exts := fl.Accept
		if len(exts) > 0 {
			v.Accept = "." + strings.Join(exts, ",.")
		}
		hint := "Taille maximale : " + procedure.HumanSize(fl.Limit())
		if len(exts) > 0 {
			hint += ". Formats : " + strings.Join(exts, ", ")
		}
		if v.Hint != "" {
			hint = v.Hint + " " + hint
		}
		v.Hint = hint + "."
	case procedure.Repeat:
		v.Kind, v.CountName = "repeat", procedure.ItemCount(fl.Key)
		for i, it := range a.Items {
			iv := itemView{Index: i, Number: i + 1}
			for j := range fl.Fields {
				sub := &fl.Fields[j]
				iv.Fields = append(iv.Fields, fieldOf(sub, procedure.ItemName(fl.Key, i, sub.Key), it[sub.Key]))
			}
			v.Items = append(v.Items, iv)
		}
		v.CanAdd = fl.MaxItems == 0 || len(a.Items) < fl.MaxItems
	case procedure.Info:
		v.Kind = "info"
	}
	return v
}

func options(opts []string) []option {
	out := make([]option, len(opts))
	for i, o := range opts {
		out[i] = option{o, o}
	}
	return out
}

// answerLine is one line of the review page and receipt.
type answerLine struct {
	Label string
	Value string
}

// summary lists the shown answers in form order, each block item apart.
func summary(form *procedure.Form, answers procedure.Answers) []answerLine {
	var out []answerLine
	vis := form.Visible(answers)
	form.Each(func(_ *procedure.Section, fl *procedure.Field) {
		if !vis.Field(fl.Key) || fl.Type == procedure.Info {
			return
		}
		a := answers[fl.Key]
		if fl.Type != procedure.Repeat {
			out = append(out, answerLine{fl.Label, a.Text()})
			return
		}
		for i, it := range a.Items {
			var parts []string
			for _, sub := range fl.Fields {
				parts = append(parts, sub.Label+" : "+it[sub.Key].Text())
			}
			out = append(out, answerLine{fl.Label + " " + strconv.Itoa(i+1), strings.Join(parts, " ; ")})
		}
	})
	return out
}
