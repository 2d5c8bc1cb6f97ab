package directory

import (
	"strings"
	"time"

	"guichet/internal/publishing/search"
)

// Query narrows the public list of the directory.
type Query struct {
	// Words are looked for in the name, the summary, the type, the
	// description and the address, as the site search reads words:
	// without accents or case, French stems ("écoles" finds "École"), and
	// a word's beginning finds it ("boulang").
	Words    string
	Category string
	// OpenAt, when set, keeps the places open at that time (in their
	// zone).
	OpenAt        time.Time
	AlsaceMoselle bool
	// Wheelchair keeps the places a wheelchair enters.
	Wheelchair bool
}

// Find returns the entries that match q, in their order.
func Find(entries []*Entry, q Query) []*Entry {
	terms := search.Terms(q.Words)
	out := make([]*Entry, 0, len(entries))
	for _, e := range entries {
		if q.Category != "" && e.Category != q.Category {
			continue
		}
		if q.Wheelchair && e.Wheelchair != WheelchairYes {
			continue
		}
		if !q.OpenAt.IsZero() && !e.StatusAt(q.OpenAt, q.AlsaceMoselle).Open {
			continue
		}
		if len(terms) > 0 && !holdsAll(e.terms(), terms) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// terms are the entry's words as the search reads them.
func (e *Entry) terms() map[string]bool {
	return e.memo.terms(termKey{e.ID, e.UpdatedAt}, func() map[string]bool {
		set := map[string]bool{}
		for _, t := range search.Terms(e.Name + "\n" + e.searchText()) {
			set[t] = true
		}
		return set
	})
}

// holdsAll reports whether every wanted term is one of have, or begins
// one of them when it has three letters or more.
func holdsAll(have map[string]bool, want []string) bool {
	for _, w := range want {
		if have[w] {
			continue
		}
		found := false
		if len(w) >= 3 {
			for h := range have {
				if strings.HasPrefix(h, w) {
					found = true
					break
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}
