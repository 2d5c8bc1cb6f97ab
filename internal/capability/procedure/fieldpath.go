package procedure

import (
	"slices"
	"strings"

	"guichet"
)

// A field path names one field of a form for the builder: its key at the
// top level, or "block.key" inside a repeatable block, whose keys are
// unique only within the block. Keys hold no dot, so paths cannot clash.

// ErrFieldNotFound is a field path that names no field of the form.
var ErrFieldNotFound = guichet.Errorf(guichet.ENotFound, "Champ introuvable.")

// FieldPath returns the path of the field key inside block ("" at the top level).
func FieldPath(block, key string) string {
	if block == "" {
		return key
	}
	return block + "." + key
}

// FieldAt returns the field at path, or nil.
func (f *Form) FieldAt(path string) *Field {
	list, i := f.siblings(path)
	if i < 0 {
		return nil
	}
	return &(*list)[i]
}

// siblings returns the list that holds the field at path (its section's
// or its block's) and its index there, or -1.
func (f *Form) siblings(path string) (*[]Field, int) {
	block, key, inBlock := strings.Cut(path, ".")
	if !inBlock {
		block = path
	}
	for p := range f.Pages {
		for s := range f.Pages[p].Sections {
			list := &f.Pages[p].Sections[s].Fields
			i := slices.IndexFunc(*list, func(fl Field) bool { return fl.Key == block })
			switch {
			case i < 0:
				continue
			case !inBlock:
				return list, i
			case (*list)[i].Type == Repeat:
				inner := &(*list)[i].Fields
				return inner, slices.IndexFunc(*inner, func(fl Field) bool { return fl.Key == key })
			}
			return nil, -1
		}
	}
	return nil, -1
}

// Move moves the field at path one place up (by -1) or down (by +1)
// within its section or its block; fields never change section this way,
// so that a condition keeps pointing at an earlier page.
func (f *Form) Move(path string, by int) error {
	list, i := f.siblings(path)
	if i < 0 {
		return ErrFieldNotFound
	}
	inBlock := strings.Contains(path, ".")
	switch j := i + by; {
	case by != -1 && by != 1:
		return guichet.Errorf(guichet.EInvalid, "Choisissez de monter ou de descendre le champ.")
	case j < 0 && inBlock:
		return guichet.Errorf(guichet.EInvalid, "Ce champ est déjà le premier de son bloc.")
	case j < 0:
		return guichet.Errorf(guichet.EInvalid, "Ce champ est déjà le premier de sa section.")
	case j >= len(*list) && inBlock:
		return guichet.Errorf(guichet.EInvalid, "Ce champ est déjà le dernier de son bloc.")
	case j >= len(*list):
		return guichet.Errorf(guichet.EInvalid, "Ce champ est déjà le dernier de sa section.")
	default:
		(*list)[i], (*list)[j] = (*list)[j], (*list)[i]
	}
	return nil
}

// Remove deletes the field at path, if there is one.
func (f *Form) Remove(path string) {
	if list, i := f.siblings(path); i >= 0 {
		*list = slices.Delete(*list, i, i+1)
	}
}
