package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	"sync"
	texttemplate "text/template"
)

// Langs are the languages templates are written in; French is the fallback.
var Langs = []string{"fr", "en"}

// Rendered is a message ready to send.
type Rendered struct {
	Subject string
	Text    string
	HTML    string // empty when the template has no .html file
	Lang    string // the language actually used
	// Attachments are the message's files, added after rendering.
	Attachments []Attachment
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058), from the
	// template's optional "unsubscribe" block; it becomes the
	// List-Unsubscribe and List-Unsubscribe-Post header fields.
	Unsubscribe string
	// ListID names the mailing list a message belongs to (RFC 2919's
	// List-Id, "<lettre.montclair.example>"); set by bulk senders.
	ListID string `json:",omitempty"`
}

// Templates finds each module's email templates: files mail/<name>.<lang>.txt
// (Go text/template, with a {{define "subject"}} block) and optionally
// mail/<name>.<lang>.html (html/template) in the module's embedded files.
// A message names them "module/name".
type Templates struct {
	mu      sync.RWMutex
	modules map[string]fs.FS
	parsed  map[string]*pair
}

// pair is one template name in one language.
type pair struct {
	text *texttemplate.Template
	html *htmltemplate.Template
	lang string
}

// NewTemplates returns an empty registry.
func NewTemplates() *Templates {
	return &Templates{modules: map[string]fs.FS{}, parsed: map[string]*pair{}}
}

// Add registers a module's files; its templates are the mail/*.txt and
// mail/*.html files of files.
func (t *Templates) Add(module string, files fs.FS) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, dup := t.modules[module]; dup {
		return fmt.Errorf("mail: templates of %q added twice", module)
	}
	t.modules[module] = files
	return nil
}

// NormalizeLang returns lang when templates may exist in it, else French.
func NormalizeLang(lang string) string {
	for _, l := range Langs {
		if strings.EqualFold(lang, l) {
			return l
		}
	}
	return "fr"
}

// Render executes the template name ("module/name") in lang, falling back
// to French, with data.
func (t *Templates) Render(name, lang string, data any) (*Rendered, error) {
	p, err := t.lookup(name, NormalizeLang(lang))
	if err != nil {
		return nil, err
	}
	var subject, text, html bytes.Buffer
	if err := p.text.ExecuteTemplate(&subject, "subject", data); err != nil {
		return nil, fmt.Errorf("mail: %s subject: %w", name, err)
	}
	if err := p.text.Execute(&text, data); err != nil {
		return nil, fmt.Errorf("mail: %s text: %w", name, err)
	}
	r := &Rendered{Subject: strings.Join(strings.Fields(subject.String()), " "),
		Text: strings.TrimSpace(text.String()) + "\n", Lang: p.lang}
	if p.text.Lookup("unsubscribe") != nil {
		var u bytes.Buffer
		if err := p.text.ExecuteTemplate(&u, "unsubscribe", data); err != nil {
			return nil, fmt.Errorf("mail: %s unsubscribe: %w", name, err)
		}
		r.Unsubscribe = strings.TrimSpace(u.String())
	}
	if p.html != nil {
		if err := p.html.Execute(&html, data); err != nil {
			return nil, fmt.Errorf("mail: %s html: %w", name, err)
		}
		r.HTML = html.String()
	}
	if r.Subject == "" {
		return nil, fmt.Errorf("mail: %s has an empty subject", name)
	}
	return r, nil
}

// Has reports whether the template name exists (in French at least).
func (t *Templates) Has(name string) bool {
	_, err := t.lookup(name, "fr")
	return err == nil
}

func (t *Templates) lookup(name, lang string) (*pair, error) {
	key := name + "." + lang
	t.mu.RLock()
	p := t.parsed[key]
	t.mu.RUnlock()
	if p != nil {
		return p, nil
	}
	module, base, ok := strings.Cut(name, "/")
	t.mu.RLock()
	files := t.modules[module]
	t.mu.RUnlock()
	if !ok || files == nil || base == "" || strings.ContainsAny(base, "/.") {
		return nil, fmt.Errorf("mail: unknown template %q", name)
	}
	p, err := parse(files, base, lang)
	if err != nil && lang != "fr" {
		p, err = parse(files, base, "fr")
	}
	if err != nil {
		return nil, fmt.Errorf("mail: template %q: %w", name, err)
	}
	t.mu.Lock()
	t.parsed[key] = p
	t.mu.Unlock()
	return p, nil
}

// missingkey=error turns a misspelt field into an error instead of a
// silent "<no value>" in someone's mailbox.
func parse(files fs.FS, base, lang string) (*pair, error) {
	path := "mail/" + base + "." + lang
	src, err := fs.ReadFile(files, path+".txt")
	if err != nil {
		return nil, err
	}
	p := &pair{lang: lang}
	if p.text, err = texttemplate.New(base).Option("missingkey=error").Parse(string(src)); err != nil {
		return nil, err
	}
	if p.text.Lookup("subject") == nil {
		return nil, fmt.Errorf("%s.txt has no subject block", path)
	}
	if src, err := fs.ReadFile(files, path+".html"); err == nil {
		if p.html, err = htmltemplate.New(base).Option("missingkey=error").Parse(string(src)); err != nil {
			return nil, err
		}
	}
	return p, nil
}
