package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"guichet"
)

// funcs are the helpers every template may call.
var funcs = template.FuncMap{
	"dict":     dict,
	"dateFR":   func(t time.Time) string { return guichet.Date(t, "fr") }, // the French-only back office
	"date":     func(lang string, t time.Time) string { return guichet.Date(t, lang) },
	"timeFR":   func(t time.Time) string { return t.Format("15:04") },
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
	"fieldID":  func(name string) string { return "champ-" + name },
	"lower":    strings.ToLower,
	"contains": strings.Contains,
}

// dict builds a map from key/value pairs, to pass several values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
