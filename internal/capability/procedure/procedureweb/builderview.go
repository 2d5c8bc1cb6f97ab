package procedureweb

import "guichet/internal/capability/procedure"

// builderPage is one page of the draft as the builder lists it.
type builderPage struct {
	Title    string
	Sections []builderSection
}

type builderSection struct {
	Title     string
	Condition *procedure.Condition
	Rows      []builderField
}

// builderField is one field in the builder's list, with what its links
// and buttons need.
type builderField struct {
	*procedure.Field
	Path string
	Row  string // the id of its list item, the target of a move's error
	// First and Last within its section or block: no "Monter", no "Descendre".
	First, Last bool
	Sub         []builderField // a block's fields
}

func builderPages(f *procedure.Form) []builderPage {
	out := make([]builderPage, len(f.Pages))
	for i, pg := range f.Pages {
		out[i].Title = pg.Title
		for _, sec := range pg.Sections {
			out[i].Sections = append(out[i].Sections, builderSection{sec.Title, sec.Condition, builderFields(sec.Fields, "")})
		}
	}
	return out
}

func builderFields(fields []procedure.Field, block string) []builderField {
	out := make([]builderField, len(fields))
	for i := range fields {
		fl := &fields[i]
		path := procedure.FieldPath(block, fl.Key)
		out[i] = builderField{Field: fl, Path: path, Row: rowName(path), First: i == 0, Last: i == len(fields)-1}
		if block == "" && fl.Type == procedure.Repeat {
			out[i].Sub = builderFields(fl.Fields, fl.Key)
		}
	}
	return out
}
