package eventsweb

import (
	"html/template"
	"net/http"
	"strings"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// homeTemplate is the agenda's part of the home page, rendered once per
// collectivité and language and cached: html/template pays a reflective
// call per action, and the home page is the busiest page of a site.
var homeTemplate = template.Must(template.New("home").Parse(`
<section aria-labelledby="prochains-evenements">
<h2 id="prochains-evenements">{{.T.events}}</h2>
{{- if .Events}}
<ul class="cards">
{{- range .Events}}
<li class="card"><h3><a href="{{.URL}}">{{.Title}}</a></h3><p><time datetime="{{.ISO}}">{{.When}}</time> · {{.Place}}</p></li>
{{- end}}
</ul>
{{- else}}<p>{{.T.none}}</p>{{end}}
<p><a href="/agenda">{{.T.all}}</a></p>
</section>`))

// homeEvent is one line of the home page's next events.
type homeEvent struct{ URL, Title, ISO, When, Place string }

// HomeBlock implements portalweb.HomeBlock: the next four dates, one query
// at most every few seconds whatever the size of the agenda.
func (m *Module) HomeBlock(r *http.Request) (template.HTML, error) {
	t := tenant.FromContext(r.Context())
	lang := web.LangOf(r)
	v, err := m.cache.Get(t.ID, publishingweb.HomeEntry(lang), func() (any, error) {
		dates, _, err := m.store.List(r.Context(), t.ID, events.Filter{From: m.store.Now(), Limit: 4})
		if err != nil {
			return nil, err
		}
		list := make([]homeEvent, len(dates))
		for i, d := range dates {
			v := m.dateView(r, d.Event, d.Occurrence)
			when := v.Day
			if v.Hours != "" {
				when += ", " + v.Hours
			}
			list[i] = homeEvent{URL: d.URL(), Title: d.Title, ISO: v.StartISO, When: when, Place: d.Place}
		}
		tr := func(k string) string { return m.s.Render.T(lang, k) }
		var b strings.Builder
		err = homeTemplate.Execute(&b, map[string]any{"Events": list,
			"T": map[string]string{"events": tr("events.agenda.next"), "none": tr("events.agenda.empty"), "all": tr("events.agenda.all")}})
		return template.HTML(b.String()), err //nolint:gosec // produced by html/template
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}
