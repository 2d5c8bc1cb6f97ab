package web

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"html"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"text/template/parse"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
)

// Page is what every template receives; Data holds the page's own values.
type Page struct {
	Title    string
	Data     any
	Errors   map[string]string // field name → message, for the error summary
	Form     url.Values        // submitted values, to refill a form
	Notice   string            // a one-off confirmation shown above the content
	Tenant   *tenant.Tenant
	Identity *account.Identity
	Lang     string
	Path     string
	Nav      []NavItem
	// NavHTML is the main navigation's list items, rendered once per
	// language and current section (see navHTML).
	NavHTML template.HTML
	// Personal links to the signed-in person's own records (their cases,
	// their bookings) on a collectivité's site, for the header and the
	// account page; empty for visitors.
	Personal []NavItem
	// Extra carries what decorators add to every page (alert banners, the
	// accessibility mention…), keyed by the decorating module.
	Extra map[string]any

	cat    *Catalogue
	static *Static
	filled bool
	// siteURL, canonical and private describe the page for sharing
	// (meta.go).
	siteURL, canonical string
	private            bool
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// N is T for a message about n things (Catalogue.N).
func (p *Page) N(key string, n int, args ...any) string { return p.cat.N(p.Lang, key, n, args...) }

// Asset returns the hashed URL of a static file.
func (p *Page) Asset(name string) string { return p.static.Path(name) }

// Value returns the submitted value of a form field.
func (p *Page) Value(field string) string { return p.Form.Get(field) }

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key   string // message key of its label
	Path  string
	Order int
	// Show, when set, tells whether a personal link is for the signed-in
	// person of the request (« Mes fiches de l'annuaire » for the
	// managers of an entry only); it must not query the database on
	// every page.
	Show func(r *http.Request) bool
}

// Current reports whether the item is the section being shown.
func (n NavItem) Current(p *Page) bool {
	return p.Path == n.Path || (n.Path != "/" && strings.HasPrefix(p.Path, n.Path+"/"))
}

type navKey struct {
	platform bool
	lang     string
	current  int
}

// navHTML returns the navigation's list items with the current section
// marked; there are few combinations, so each is rendered once and kept.
func (r *Renderer) navHTML(p *Page) template.HTML {
	key := navKey{platform: p.Tenant.IsPlatform(), lang: p.Lang, current: -1}
	for i, n := range p.Nav {
		if n.Current(p) {
			key.current = i
			break
		}
	}
	if h, ok := r.navCache.Load(key); ok {
		return h.(template.HTML)
	}
	var b strings.Builder
	for i, n := range p.Nav {
		b.WriteString(`<li><a href="` + html.EscapeString(n.Path) + `"`)
		if i == key.current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">" + html.EscapeString(r.Cat.T(p.Lang, n.Key)) + "</a></li>\n")
	}
	h := template.HTML(b.String()) // paths and labels are escaped above
	r.navCache.Store(key, h)
	return h
}

// Decorator adds shared content to every page before it renders.
type Decorator func(r *http.Request, p *Page)

// Renderer parses every template once at start and renders pages in the
// shared layout.
type Renderer struct {
	Cat        *Catalogue
	Static     *Static
	log        *slog.Logger
	base       *template.Template
	pages      map[string]map[string]*template.Template // language → page name → template
	pending    []moduleFiles
	nav        []NavItem // collectivités' sites
	navPlat    []NavItem // the operator's host
	personal   []NavItem // a signed-in person's own records, on collectivités' sites
	decorators []Decorator
	navCache   sync.Map // navKey → template.HTML
	memo       memo
	bufs       sync.Pool
	keys       sync.Pool // *[]byte, the memo's keys being built
	// siteURL gives a collectivité's site address for the pages'
	// canonical links; the server sets it (NewServer).
	siteURL func(*http.Request, *tenant.Tenant) string
}

type moduleFiles struct {
	name  string
	files fs.FS
}

// NewRenderer returns a renderer; add modules, then call Build.
func NewRenderer(log *slog.Logger) *Renderer {
	return &Renderer{Cat: NewCatalogue(), Static: NewStatic(), log: log, pages: map[string]map[string]*template.Template{},
		memo: memo{seed: maphash.MakeSeed(), pages: map[uint64]*memoPage{}},
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }},
		keys: sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}}
}

// AddModule registers a module's templates/, messages/ and static/ folders.
// Files in templates/ whose name starts with "_" are partials shared by all pages.
func (r *Renderer) AddModule(name string, files fs.FS) error {
	if err := r.Cat.Load(name, files); err != nil {
		return err
	}
	if err := r.Static.Add(files); err != nil {
		return err
	}
	r.pending = append(r.pending, moduleFiles{name, files})
	return nil
}

// AddNav adds entries to the main navigation of the collectivités' sites.
func (r *Renderer) AddNav(items ...NavItem) { r.nav = sortedNav(r.nav, items) }

// AddPlatformNav adds entries to the main navigation of the operator's host.
func (r *Renderer) AddPlatformNav(items ...NavItem) { r.navPlat = sortedNav(r.navPlat, items) }

func sortedNav(nav, items []NavItem) []NavItem {
	nav = append(nav, items...)
	sort.SliceStable(nav, func(i, j int) bool { return nav[i].Order < nav[j].Order })
	return nav
}

// personalFor keeps the personal links meant for the request's person.
func personalFor(req *http.Request, all []NavItem) []NavItem {
	out := make([]NavItem, 0, len(all))
	for _, n := range all {
		if n.Show == nil || n.Show(req) {
			out = append(out, n)
		}
	}
	return out
}

// AddPersonal adds links to a signed-in person's own records (« Mes
// démarches ») to the header and the account page of the collectivités'
// sites: the account module cannot know which capabilities keep them.
func (r *Renderer) AddPersonal(items ...NavItem) { r.personal = sortedNav(r.personal, items) }

// AddDecorator registers a function run on every page before rendering.
func (r *Renderer) AddDecorator(d Decorator) { r.decorators = append(r.decorators, d) }

// Build parses the shared partials, then each page on a clone of them,
// once per language with its constant strings already translated.
func (r *Renderer) Build() error {
	r.base = template.New("").Funcs(funcs)
	for _, m := range r.pending {
		partials, _ := fs.Glob(m.files, "templates/_*.html")
		if len(partials) == 0 {
			continue
		}
		if _, err := r.base.ParseFS(m.files, partials...); err != nil {
			return fmt.Errorf("render: %s partials: %w", m.name, err)
		}
	}
	for _, lang := range Languages {
		r.pages[lang] = map[string]*template.Template{}
		for _, m := range r.pending {
			if err := r.buildModule(lang, m); err != nil {
				return err
			}
		}
	}
	r.pending = nil
	return nil
}

func (r *Renderer) buildModule(lang string, m moduleFiles) error {
	pages, _ := fs.Glob(m.files, "templates/*.html")
	for _, p := range pages {
		if strings.HasPrefix(path.Base(p), "_") {
			continue
		}
		t, err := r.pageSet(m.files, p)
		if err != nil {
			return fmt.Errorf("render: %s: %w", p, err)
		}
		pretranslate(t, r.Cat, r.Static, lang)
		r.pages[lang][m.name+"/"+strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return nil
}

// pageSet returns a template set holding the page's own templates and only
// the partials they and the layout use. Cloning every module's partials
// for every page and language cost about 40 MB of parse trees.
func (r *Renderer) pageSet(files fs.FS, page string) (*template.Template, error) {
	own, err := template.New("").Funcs(funcs).ParseFS(files, page)
	if err != nil {
		return nil, err
	}
	lookup := func(name string) *template.Template {
		if t := own.Lookup(name); t != nil && t.Tree != nil {
			return t
		}
		return r.base.Lookup(name)
	}
	set := template.New("").Funcs(funcs)
	roots := []string{"layout"}
	for _, t := range own.Templates() {
		roots = append(roots, t.Name())
	}
	done := map[string]bool{}
	for len(roots) > 0 {
		name := roots[len(roots)-1]
		roots = roots[:len(roots)-1]
		if done[name] {
			continue
		}
		done[name] = true
		t := lookup(name)
		if t == nil || t.Tree == nil || t.Tree.Root == nil {
			continue // a missing template fails at execution, as it would have
		}
		if _, err := set.AddParseTree(name, t.Tree.Copy()); err != nil {
			return nil, err
		}
		roots = append(roots, calledTemplates(t.Tree.Root)...)
	}
	return set, nil
}

// calledTemplates lists the templates a tree invokes with {{template}}.
func calledTemplates(n parse.Node) []string {
	var out []string
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			out = append(out, calledTemplates(c)...)
		}
	case *parse.TemplateNode:
		out = append(out, n.Name)
	case *parse.IfNode:
		out = append(append(out, calledTemplates(n.List)...), calledTemplates(n.ElseList)...)
	case *parse.RangeNode:
		out = append(append(out, calledTemplates(n.List)...), calledTemplates(n.ElseList)...)
	case *parse.WithNode:
		out = append(append(out, calledTemplates(n.List)...), calledTemplates(n.ElseList)...)
	}
	return out
}

// Has reports whether a page template exists.
func (r *Renderer) Has(name string) bool { _, ok := r.pages["fr"][name]; return ok }

// T translates outside a page (emails, titles).
func (r *Renderer) T(lang, key string, args ...any) string { return r.Cat.T(lang, key, args...) }

// NewPage returns a page filled with the request's shared values.
func (r *Renderer) NewPage(req *http.Request, title string, data any) *Page {
	p := &Page{Title: title, Data: data}
	r.fill(req, p)
	return p
}

// fill sets the request's shared values once, then runs the decorators.
func (r *Renderer) fill(req *http.Request, p *Page) {
	if p.filled {
		return
	}
	p.filled = true
	p.cat, p.static = r.Cat, r.Static
	p.Tenant = tenant.FromContext(req.Context())
	p.Identity = account.FromContext(req.Context())
	p.Lang = LangOf(req)
	p.Path = req.URL.Path
	p.Nav = r.nav
	if p.Tenant.IsPlatform() {
		p.Nav = r.navPlat
	}
	p.NavHTML = r.navHTML(p)
	r.setMeta(req, p)
	if p.Identity != nil && !p.Tenant.IsPlatform() {
		p.Personal = personalFor(req, r.personal)
	}
	if p.Extra == nil {
		p.Extra = map[string]any{}
	}
	for _, d := range r.decorators {
		d(req, p)
	}
}

// Page renders the page template name ("module/file") in the layout.
// Rendering goes to a buffer first so that a template error yields a clean 500.
func (r *Renderer) Page(w http.ResponseWriter, req *http.Request, status int, name string, p *Page) {
	r.fill(req, p)
	if status != http.StatusOK {
		p.private = true // an error or a refused form is no page to share
	}
	r.translateMessages(p)
	markErrorTitle(p)
	t, ok := r.pages[p.Lang][name]
	if !ok {
		r.log.Error("render: unknown page", "page", name)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		r.log.Error("render", "page", name, "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// markErrorTitle starts the title of a form shown with errors with
// "Erreur : ", so that a screen-reader user hears it on arrival.
func markErrorTitle(p *Page) {
	prefix := p.T("form.error_prefix")
	if len(p.Errors) > 0 && !strings.HasPrefix(p.Title, prefix) {
		p.Title = prefix + p.Title
	}
}

// render executes page name in the layout into a new byte slice.
func (r *Renderer) render(name string, p *Page) ([]byte, error) {
	t, ok := r.pages[p.Lang][name]
	if !ok {
		return nil, fmt.Errorf("render: unknown page %s", name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Fragment renders a named template without the layout (for emails or
// partial content) into a string.
func (r *Renderer) Fragment(page, name string, data any) (string, error) {
	t, ok := r.pages["fr"][page]
	if !ok {
		return "", fmt.Errorf("render: unknown page %s", page)
	}
	var b strings.Builder
	err := t.ExecuteTemplate(&b, name, data)
	return b.String(), err
}

// translateMessages writes the field errors and the notice in the page's
// language: the domains word them in French.
func (r *Renderer) translateMessages(p *Page) {
	if p.Lang == Languages[0] {
		return
	}
	if len(p.Errors) > 0 {
		errs := make(map[string]string, len(p.Errors)) // the caller's map may be an error's own
		for k, v := range p.Errors {
			errs[k] = r.Cat.Sentence(p.Lang, v)
		}
		p.Errors = errs
	}
	p.Notice = r.Cat.Sentence(p.Lang, p.Notice)
}
