package publishingweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/search"
)

//go:embed all:templates messages static
var assets embed.FS

// Module is the web side of what capabilities publish together: the site
// search over every kind they index, and the partials and words their
// editors share.
type Module struct {
	s     *web.Server
	index *search.Index
	kinds map[string]search.Kind
	boost map[string]int
	// found keeps recent results: in a rush most residents type the same
	// few words ("passeport"). Any change to what is indexed drops them.
	found *invalidate.Memo
}

// foundTTL bounds how long another process's change may leave results
// stale; foundMax bounds the results kept.
const (
	foundTTL = 5 * time.Second
	foundMax = 2000
)

// New returns the module, searching index for the kinds the installed
// capabilities publish; changes drops the results kept.
func New(index *search.Index, kinds []search.Kind, changes *invalidate.Bus) *Module {
	m := &Module{index: index, kinds: map[string]search.Kind{}, boost: search.Boosts(kinds),
		found: invalidate.NewMemo(changes, "search-results", foundTTL,
			invalidate.Tenant, invalidate.Content, invalidate.Procedure, invalidate.Agenda).Bound(foundMax)}
	for _, k := range kinds {
		m.kinds[k.Name] = k
	}
	return m
}

// Name implements web.Module.
func (m *Module) Name() string { return "publishing" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes implements web.Module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "publishing.nav.search", Path: "/recherche", Order: 95})
	s.Render.AddDecorator(headerSearch)
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) { return []string{"/recherche"}, nil })
	s.Site("GET /recherche", m.search)
	s.Site("GET /recherche/suggestions", m.suggestions)
}

// maxSuggestions is how many titles the search box offers as one types.
const maxSuggestions = 6

// Suggestion is one title offered as the query is typed.
type Suggestion struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Kind  string `json:"kind"`
}

// suggestions answers the search box's script with the titles of the best
// documents for what is typed so far; the box works without it.
func (m *Module) suggestions(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query().Get("q")
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	out := struct {
		Suggestions []Suggestion `json:"suggestions"`
	}{Suggestions: []Suggestion{}}
	if len([]rune(strings.TrimSpace(q))) >= 2 {
		page, err := m.index.Search(r.Context(), search.Query{TenantID: t.ID, Text: q, Limit: maxSuggestions, Boost: m.boost})
		if err != nil {
			return err
		}
		for _, h := range page.Hits {
			if _, ok := m.kinds[h.Kind]; ok {
				out.Suggestions = append(out.Suggestions, Suggestion{Title: h.Title, URL: h.URL, Kind: h.Kind})
			}
		}
	}
	w.Header().Set("Cache-Control", "private, max-age=60")
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// maxQuery bounds the length of a search; perKind is how many results of
// each kind the first page shows.
const (
	maxQuery = 200
	perKind  = 3
)

// Group is the results of one kind on the first page of a search.
type Group struct {
	Kind  search.Kind
	Count int
	More  bool
	Hits  []search.Hit
}

// Results is what a search shows: a direct answer, then the results
// grouped by kind, or one kind's results page by page.
type Results struct {
	*search.Page
	Answer       *search.Hit
	AnswerAction string
	Groups       []Group
	// Kind is the kind the results are limited to, nil on the first page.
	Kind *search.Kind
}

// search is the site search over everything the capabilities publish.
func (m *Module) search(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	data := map[string]any{"Query": q}
	if q != "" {
		res, err := m.results(r.Context(), t.ID, q, r.URL.Query().Get("type"), r.URL.Query().Get("apres"))
		if err != nil {
			return err
		}
		data["Results"], data["Q"] = res, url.QueryEscape(q)
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("publishing.search.title")
	if q != "" {
		p.Title = p.T("publishing.search.results_for", q)
	}
	m.s.Render.PageData(w, r, "publishing/search", p)
	return nil
}

// results runs a search, or gives the same search's results from a few
// seconds ago.
func (m *Module) results(ctx context.Context, tenantID, q, kind, after string) (*Results, error) {
	return invalidate.Memoized(m.found, tenantID, q+"\x00"+kind+"\x00"+after, func() (*Results, error) {
		return m.find(ctx, tenantID, q, kind, after)
	})
}

// find runs a search: limited to one kind when kind names an installed
// one, otherwise the first page, grouped, with its direct answer.
func (m *Module) find(ctx context.Context, tenantID, q, kind, after string) (*Results, error) {
	if k, ok := m.kinds[kind]; ok {
		page, err := m.index.Search(ctx, search.Query{TenantID: tenantID, Text: q, Kinds: []string{k.Name}, After: after, Boost: m.boost})
		return &Results{Page: page, Kind: &k}, err
	}
	page, err := m.index.Search(ctx, search.Query{TenantID: tenantID, Text: q, PerKind: perKind, Boost: m.boost})
	if err != nil {
		return nil, err
	}
	// Room for every kind up front: groups points into the slice.
	res := &Results{Page: page, Groups: make([]Group, 0, len(page.Kinds))}
	groups := map[string]*Group{}
	for _, c := range page.Kinds {
		k, ok := m.kinds[c.Kind]
		if !ok {
			continue // a kind no installed capability publishes
		}
		res.Groups = append(res.Groups, Group{Kind: k, Count: c.Count, More: c.More})
		groups[c.Kind] = &res.Groups[len(res.Groups)-1]
	}
	for i, h := range page.Hits {
		g := groups[h.Kind]
		if g == nil {
			continue
		}
		// The best service whose title holds every word answers first.
		if res.Answer == nil && g.Kind.Action != "" && h.InTitle {
			res.Answer, res.AnswerAction = &page.Hits[i], g.Kind.Action
			if g.Count--; g.Count == 0 {
				continue
			}
		}
		if res.Answer != &page.Hits[i] {
			g.Hits = append(g.Hits, h)
		}
	}
	kept := res.Groups[:0]
	for _, g := range res.Groups {
		if len(g.Hits) > 0 {
			kept = append(kept, g)
		}
	}
	res.Groups = kept
	return res, nil
}

// HeaderSearch is the search form the layout shows in the header of a
// collectivité's pages (decoration "headerSearch").
type HeaderSearch struct{ Action, Label, Submit, Script string }

// MemoKey implements web.MemoKeyer.
func (h HeaderSearch) MemoKey() string {
	return h.Action + "\x00" + h.Label + "\x00" + h.Submit + "\x00" + h.Script
}

// headerSearch puts the site search in the header of every page of a
// collectivité: residents search for a service from wherever they are.
func headerSearch(_ *http.Request, p *web.Page) {
	if p.Tenant == nil || p.Tenant.IsPlatform() {
		return
	}
	p.Extra["headerSearch"] = HeaderSearch{Action: "/recherche", Label: p.T("publishing.search.label"),
		Submit: p.T("publishing.search.submit"), Script: p.Asset("js/suggest.js")}
}
