package abuseweb

import (
	"encoding/json"
	"testing"

	"guichet/internal/kernel/abuse"
)

// Every action and kind of limit has its name in both languages: the
// console would otherwise show a raw key.
func TestEveryActionAndKindIsNamed(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fr", "en"} {
		raw, err := assets.ReadFile("messages/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(raw, &msgs); err != nil {
			t.Fatal(err)
		}
		for _, a := range abuse.Actions {
			if msgs["abuseweb.action."+a.Name] == "" {
				t.Errorf("%s: no name for the action %q", lang, a.Name)
			}
		}
		for _, k := range abuse.Kinds {
			if msgs["abuseweb.per."+string(k)] == "" {
				t.Errorf("%s: no name for the kind %q", lang, k)
			}
		}
	}
}
