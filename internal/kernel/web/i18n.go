package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"guichet/internal/identity/account"
)

// Languages Guichet speaks; French first, and the fallback.
var Languages = []string{"fr", "en"}

// Catalogue holds every user-facing string, per language and key. Each
// module ships messages/fr.json and messages/en.json; keys are unique
// across modules (loading fails on a duplicate).
type Catalogue struct {
	msgs map[string]map[string]string
	// sentences translates the messages the domains write in French, as
	// gettext does with its source language: language → French → text.
	// A French sentence with %s, %d or %q (a field's label, a number) is a
	// pattern: its values carry over, in order, into the translation.
	sentences map[string]map[string]string
	patterns  map[string][]sentencePattern
}

type sentencePattern struct {
	fr, text string
	re       *regexp.Regexp
}

// verbs are the format verbs a pattern sentence may hold.
var verbs = regexp.MustCompile(`%[sdqv]`)

// NewCatalogue returns an empty catalogue.
func NewCatalogue() *Catalogue {
	c := &Catalogue{msgs: map[string]map[string]string{}, sentences: map[string]map[string]string{},
		patterns: map[string][]sentencePattern{}}
	for _, l := range Languages {
		c.msgs[l] = map[string]string{}
		c.sentences[l] = map[string]string{}
	}
	return c
}

// Load adds a module's messages/<lang>.json files, and the translations
// of the domains' French messages in messages/sentences.<lang>.json.
func (c *Catalogue) Load(module string, files fs.FS) error {
	for _, lang := range Languages[1:] {
		body, err := fs.ReadFile(files, "messages/sentences."+lang+".json")
		if err != nil {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal(body, &m); err != nil {
			return fmt.Errorf("i18n: %s/sentences.%s.json: %w", module, lang, err)
		}
		for fr, text := range m {
			if _, dup := c.sentences[lang][fr]; dup {
				return fmt.Errorf("i18n: sentence %q of %s translated twice", fr, module)
			}
			c.sentences[lang][fr] = text
			if verbs.MatchString(fr) {
				if strings.TrimSpace(verbs.ReplaceAllString(fr, "")) == "" {
					return fmt.Errorf("i18n: %q has no words of its own", fr)
				}
				if n, m := len(verbs.FindAllString(fr, -1)), len(verbs.FindAllString(text, -1)); n != m {
					return fmt.Errorf("i18n: %q has %d values, its translation %d", fr, n, m)
				}
				parts := verbs.Split(fr, -1)
				for i := range parts {
					parts[i] = regexp.QuoteMeta(parts[i])
				}
				re := regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$")
				c.patterns[lang] = append(c.patterns[lang], sentencePattern{fr: fr, re: re, text: text})
			}
		}
		// The longest pattern first: the most specific wins, always the same.
		slices.SortFunc(c.patterns[lang], func(a, b sentencePattern) int {
			return cmp.Or(cmp.Compare(len(b.fr), len(a.fr)), cmp.Compare(a.fr, b.fr))
		})
	}
	for _, lang := range Languages {
		body, err := fs.ReadFile(files, "messages/"+lang+".json")
		if err != nil {
			continue // a module may have no strings
		}
		var m map[string]string
		if err := json.Unmarshal(body, &m); err != nil {
			return fmt.Errorf("i18n: %s/%s.json: %w", module, lang, err)
		}
		for k, v := range m {
			if _, dup := c.msgs[lang][k]; dup {
				return fmt.Errorf("i18n: key %q of %s defined twice", k, module)
			}
			c.msgs[lang][k] = v
		}
	}
	return nil
}

// T returns the message for key in lang (falling back to French), formatted
// with args. A missing key shows as itself so that the gap is visible.
func (c *Catalogue) T(lang, key string, args ...any) string {
	msg, ok := c.msgs[lang][key]
	if !ok {
		msg, ok = c.msgs["fr"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// N is T for a message about n things, given as its first argument: the
// key ending in "_one" when the language puts n in the singular (in
// French 0 and 1, in English 1) and such a key exists.
func (c *Catalogue) N(lang, key string, n int, args ...any) string {
	if n == 1 || n == 0 && lang != "en" {
		if _, ok := c.msgs["fr"][key+"_one"]; ok {
			key += "_one"
		}
	}
	return c.T(lang, key, append([]any{n}, args...)...)
}

// HasPrefix reports whether a message of lang has a key starting with
// prefix (keys built from a value: "alerts.severity."+severity).
func (c *Catalogue) HasPrefix(lang, prefix string) bool {
	for k := range c.msgs[lang] {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// Sentence returns fr, a message a domain wrote in French (a validation
// error, say), in lang; a sentence without translation stays French.
func (c *Catalogue) Sentence(lang, fr string) string {
	if t, ok := c.sentences[lang][fr]; ok {
		return t
	}
	for _, p := range c.patterns[lang] {
		if m := p.re.FindStringSubmatch(fr); m != nil {
			values := m[1:]
			return verbs.ReplaceAllStringFunc(p.text, func(string) string {
				v := c.Sentence(lang, values[0]) // a value may be a sentence itself
				values = values[1:]
				return v
			})
		}
	}
	return fr
}

// Sentences returns the translated sentences of lang, for completeness tests.
func (c *Catalogue) Sentences(lang string) map[string]string { return c.sentences[lang] }

// Has reports whether key exists in lang.
func (c *Catalogue) Has(lang, key string) bool { _, ok := c.msgs[lang][key]; return ok }

// Keys returns the keys of lang, for completeness tests.
func (c *Catalogue) Keys(lang string) []string {
	keys := make([]string, 0, len(c.msgs[lang]))
	for k := range c.msgs[lang] {
		keys = append(keys, k)
	}
	return keys
}

// LangCookie remembers the language chosen with the switch.
const LangCookie = "lang"

// LangOf returns the request's language: the switch's cookie, then the
// signed-in profile, then French.
func LangOf(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil {
		if lang, ok := supported(c.Value); ok {
			return lang
		}
	}
	if id := account.FromContext(r.Context()); id != nil {
		if lang, ok := supported(id.Lang); ok {
			return lang
		}
	}
	return "fr"
}

// supported returns the language of Languages that lang names, in any
// case: pages exist under that exact name only.
func supported(lang string) (string, bool) {
	for _, l := range Languages {
		if strings.EqualFold(l, lang) {
			return l, true
		}
	}
	return "", false
}
