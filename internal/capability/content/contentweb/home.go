package contentweb

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
)

// Home is what the home page shows of local information, as plain
// strings: the home page is the busiest page, and template calls of
// methods and translations cost more than these few assignments.
type Home struct {
	News   []HomeItem
	Events []HomeItem
}

// HomeItem is one line of the home page.
type HomeItem struct {
	URL, Title, Label, ISO, When, Extra string
}

type homeData struct {
	news   []*content.News
	events []content.Dated
}

// Home returns the latest news and the next events,
// cached for a few seconds: three queries at most, whatever the size of
// the collectivité's archive.
func (m *Module) Home(r *http.Request) (*Home, error) {
	t := tenant.FromContext(r.Context())
	v, err := m.cache.Get(t.ID+"/home", func() (any, error) {
		news, _, err := m.store.ListPublicNews(r.Context(), t.ID, content.NewsFilter{Limit: 3})
		if err != nil {
			return nil, err
		}
		events, _, err := m.store.ListEvents(r.Context(), t.ID, content.EventFilter{From: m.store.Now(), Limit: 4})
		return &homeData{news: news, events: events}, err
	})
	if err != nil {
		return nil, err
	}
	d := v.(*homeData)
	h := &Home{}
	for _, n := range d.news {
		v := m.newsView(r, n, false)
		h.News = append(h.News, HomeItem{URL: n.URL(), Title: n.Title, ISO: v.ISO, When: v.Local, Extra: n.Summary})
	}
	for _, e := range d.events {
		v := m.dateView(r, e.Event, e.Occurrence)
		when := v.Day
		if v.Hours != "" {
			when += ", " + v.Hours
		}
		h.Events = append(h.Events, HomeItem{URL: e.URL(), Title: e.Title, ISO: v.StartISO, When: when, Extra: e.Place})
	}
	return h, nil
}

// DisableCache makes every page read the database (tests counting queries).
func (m *Module) DisableCache() { m.cache.Disable() }

// sitemap lists the public lists of local information; they link to
// their items.
func (m *Module) sitemap(context.Context, *tenant.Tenant) ([]string, error) {
	return []string{"/actualites", "/agenda", "/agenda/archives"}, nil
}

// HomeBlock implements portalweb.HomeBlock.
func (m *Module) HomeBlock(r *http.Request) (template.HTML, error) { return m.HomeHTML(r) }

// homeTemplate is the local-information part of the home page, rendered
// once per collectivité and language and kept with the cached digest:
// html/template pays a reflective call per action, and the home page is
// the busiest page of a site.
var homeTemplate = template.Must(template.New("home").Parse(`
<section aria-labelledby="dernieres-actualites">
<h2 id="dernieres-actualites">{{.T.news}}</h2>
{{- if .News}}
<ul class="cards">
{{- range .News}}
<li class="card"><h3><a href="{{.URL}}">{{.Title}}</a></h3><p class="muted"><time datetime="{{.ISO}}">{{.When}}</time></p>{{with .Extra}}<p>{{.}}</p>{{end}}</li>
{{- end}}
</ul>
{{- else}}<p>{{.T.no_news}}</p>{{end}}
<p><a href="/actualites">{{.T.all_news}}</a></p>
</section>
<section aria-labelledby="prochains-evenements">
<h2 id="prochains-evenements">{{.T.events}}</h2>
{{- if .Events}}
<ul class="cards">
{{- range .Events}}
<li class="card"><h3><a href="{{.URL}}">{{.Title}}</a></h3><p><time datetime="{{.ISO}}">{{.When}}</time> · {{.Extra}}</p></li>
{{- end}}
</ul>
{{- else}}<p>{{.T.no_events}}</p>{{end}}
<p><a href="/agenda">{{.T.all_events}}</a></p>
</section>`))

// HomeHTML returns the home page's latest news and next events as
// HTML, cached per collectivité and language for a few seconds.
func (m *Module) HomeHTML(r *http.Request) (template.HTML, error) {
	t := tenant.FromContext(r.Context())
	lang := langOf(r)
	v, err := m.cache.Get(t.ID+"/home-html/"+lang, func() (any, error) {
		h, err := m.Home(r)
		if err != nil {
			return nil, err
		}
		tr := func(k string) string { return m.s.Render.T(lang, k) }
		var b strings.Builder
		err = homeTemplate.Execute(&b, map[string]any{"News": h.News, "Events": h.Events,
			"T": map[string]string{"news": tr("content.news.latest"),
				"no_news": tr("content.news.empty"), "all_news": tr("content.news.all"), "events": tr("content.agenda.next"),
				"no_events": tr("content.agenda.empty"), "all_events": tr("content.agenda.all")}})
		return template.HTML(b.String()), err //nolint:gosec // produced by html/template
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}
