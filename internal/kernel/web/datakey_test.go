package web

import (
	"html/template"
	"testing"
	"time"
)

type keyItem struct {
	Title string
	At    time.Time
	tags  []string
	notes map[string]int
	Extra any
	Next  *keyItem
}

func dataKey(t *testing.T, v any) string {
	t.Helper()
	b, ok := appendData(nil, v)
	if !ok {
		t.Fatalf("no key for %#v", v)
	}
	return string(b)
}

// TestDataKeyTellsDataApart checks that two data a template could show
// differently never share a key, and that the same data, built anew or
// with its map filled in another order, has the same one.
func TestDataKeyTellsDataApart(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	base := func() map[string]any {
		return map[string]any{"Items": []keyItem{{Title: "Marché", At: at, tags: []string{"a"}, notes: map[string]int{"a": 1, "b": 2}}},
			"Next": "", "Page": 1}
	}
	variants := map[string]func(m map[string]any){
		"a title":                   func(m map[string]any) { m["Items"].([]keyItem)[0].Title = "Marche" },
		"an instant":                func(m map[string]any) { m["Items"].([]keyItem)[0].At = at.Add(time.Second) },
		"a time zone":               func(m map[string]any) { m["Items"].([]keyItem)[0].At = at.In(paris) },
		"an unexported field":       func(m map[string]any) { m["Items"].([]keyItem)[0].tags[0] = "b" },
		"an unexported map":         func(m map[string]any) { m["Items"].([]keyItem)[0].notes["b"] = 3 },
		"a dynamic type":            func(m map[string]any) { m["Next"] = template.HTML("") },
		"an int for a string":       func(m map[string]any) { m["Page"] = "1" },
		"a pointer":                 func(m map[string]any) { m["Items"].([]keyItem)[0].Next = &keyItem{} },
		"an element more":           func(m map[string]any) { m["Items"] = append(m["Items"].([]keyItem), keyItem{}) },
		"a map entry more":          func(m map[string]any) { m["Later"] = false },
		"a key moved into a value":  func(m map[string]any) { delete(m, "Next"); m["Page"] = "Next" },
		"a string split in two":     func(m map[string]any) { m["Items"].([]keyItem)[0].tags = []string{"", "a"} },
		"an interface set to a nil": func(m map[string]any) { m["Items"].([]keyItem)[0].Extra = (*keyItem)(nil) },
	}
	same := dataKey(t, base())
	reordered := map[string]any{}
	for _, k := range []string{"Page", "Next", "Items"} {
		reordered[k] = base()[k]
	}
	if dataKey(t, reordered) != same {
		t.Error("the same data filled in another order has another key")
	}
	seen := map[string]string{same: "the base"}
	for name, change := range variants {
		m := base()
		change(m)
		k := dataKey(t, m)
		if other, ok := seen[k]; ok {
			t.Errorf("%s gives the key of %s", name, other)
		}
		seen[k] = name
	}
}

// TestDataKeyRefusesWhatItCannotKnow checks that data holding a function
// or a channel, a cycle of maps, or too much text gets no key, so that its
// page is rendered each time.
func TestDataKeyRefusesWhatItCannotKnow(t *testing.T) {
	t.Parallel()
	loop := map[string]any{}
	loop["self"] = loop
	for name, v := range map[string]any{
		"a function":      map[string]any{"Label": func() string { return "x" }},
		"a channel":       struct{ C chan int }{make(chan int)},
		"a cycle of maps": loop,
		"a big text":      make([]byte, maxDataKey+1),
	} {
		if _, ok := appendData(nil, v); ok {
			t.Errorf("%s got a key", name)
		}
	}
	if _, ok := appendData(nil, struct{ F func() }{}); !ok {
		t.Error("a nil function, which shows nothing, got no key")
	}
	ring := &keyItem{Title: "a"}
	ring.Next = &keyItem{Title: "b", Next: ring}
	if _, ok := appendData(nil, ring); !ok {
		t.Error("a cycle of pointers, written with references, got no key")
	}
}

// TestDataKeyTellsSharedPointersApart checks pointers met again, written
// as a reference to their first meeting: data sharing one value and data
// holding two different ones never have the same key.
func TestDataKeyTellsSharedPointersApart(t *testing.T) {
	t.Parallel()
	type pair struct{ A, B *keyItem }
	x, y := &keyItem{Title: "Halle"}, &keyItem{Title: "Salle"}
	keys := map[string]string{}
	for name, v := range map[string]pair{"x x": {x, x}, "x y": {x, y}, "y x": {y, x}, "y y": {y, y}, "x nil": {x, nil}} {
		k := dataKey(t, v)
		if other, ok := keys[k]; ok {
			t.Errorf("%s has the key of %s", name, other)
		}
		keys[k] = name
		if again := dataKey(t, v); again != k {
			t.Errorf("%s: two keys", name)
		}
	}
	if dataKey(t, pair{x, x}) != dataKey(t, pair{x, &keyItem{Title: "Halle"}}) {
		t.Log("a shared value and its copy have two keys: the page is only rendered again")
	}
}
