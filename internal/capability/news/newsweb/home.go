package newsweb

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// homeItem is one line of the home page's latest news.
type homeItem struct{ URL, Title, ISO, When, Summary string }

// DisableCache makes every page read the database (tests counting queries).
func (m *Module) DisableCache() { m.cache.Disable() }

// sitemap lists the news list; it links to the items.
func (m *Module) sitemap(context.Context, *tenant.Tenant) ([]string, error) {
	return []string{"/actualites"}, nil
}

// homeTemplate is the news' part of the home page, rendered once per
// collectivité and language and cached:
// html/template pays a reflective call per action, and the home page is
// the busiest page of a site.
var homeTemplate = template.Must(template.New("home").Parse(`
<section aria-labelledby="dernieres-actualites">
<h2 id="dernieres-actualites">{{.T.news}}</h2>
{{- if .News}}
<ul class="cards">
{{- range .News}}
<li class="card"><h3><a href="{{.URL}}">{{.Title}}</a></h3><p class="muted"><time datetime="{{.ISO}}">{{.When}}</time></p>{{with .Summary}}<p>{{.}}</p>{{end}}</li>
{{- end}}
</ul>
{{- else}}<p>{{.T.no_news}}</p>{{end}}
<p><a href="/actualites">{{.T.all_news}}</a></p>
</section>`))

// HomeBlock implements portalweb.HomeBlock: the latest news, cached per
// collectivité and language for a few seconds, one query at most whatever
// the size of the archive.
func (m *Module) HomeBlock(r *http.Request) (template.HTML, error) {
	t := tenant.FromContext(r.Context())
	lang := web.LangOf(r)
	v, err := m.cache.Get(t.ID, publishingweb.HomeEntry(lang), func() (any, error) {
		items, _, err := m.store.ListPublic(r.Context(), t.ID, publishing.ListFilter{Limit: 3})
		if err != nil {
			return nil, err
		}
		list := make([]homeItem, len(items))
		for i, n := range items {
			v := m.newsView(r, n, false)
			list[i] = homeItem{URL: n.URL(), Title: n.Title, ISO: v.ISO, When: v.Local, Summary: n.Summary}
		}
		tr := func(k string) string { return m.s.Render.T(lang, k) }
		var b strings.Builder
		err = homeTemplate.Execute(&b, map[string]any{"News": list,
			"T": map[string]string{"news": tr("news.latest"), "no_news": tr("news.empty"), "all_news": tr("news.all")}})
		return template.HTML(b.String()), err //nolint:gosec // produced by html/template
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}
