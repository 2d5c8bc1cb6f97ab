package alertsweb

import (
	"html/template"
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// homeTemplate is the alerts' part of the home page, rendered once per
// collectivité and language and cached: html/template pays a reflective
// call per action, and the home page is the busiest page of a site.
var homeTemplate = template.Must(template.New("home").Parse(`
{{- if .Alerts}}
<section aria-labelledby="alertes-en-cours">
<h2 id="alertes-en-cours">{{.Heading}}</h2>
<ul>
{{- range .Alerts}}
<li><strong>{{.Label}} :</strong> <a href="{{.URL}}">{{.Title}}</a> <span class="muted">({{.When}})</span></li>
{{- end}}
</ul>
</section>
{{- end}}`))

// homeAlert is one line of the home page's alerts.
type homeAlert struct{ URL, Title, Label, When string }

// HomeBlock implements portalweb.HomeBlock: the active alerts, most
// severe first, nothing when there are none.
func (m *Module) HomeBlock(r *http.Request) (template.HTML, error) {
	t := tenant.FromContext(r.Context())
	lang := web.LangOf(r)
	v, err := m.cache.Get(t.ID, publishingweb.HomeEntry(lang), func() (any, error) {
		active, err := m.activeAlerts(r, t)
		if err != nil || len(active) == 0 {
			return template.HTML(""), err
		}
		loc := m.loc(r)
		list := make([]homeAlert, len(active))
		for i, a := range active {
			u := a.Expires.In(loc)
			list[i] = homeAlert{URL: "/alertes#alerte-" + a.ID, Title: a.Title, Label: m.s.Render.T(lang, "alerts.severity."+a.Severity),
				When: m.s.Render.T(lang, "alerts.until", guichet.Date(u, lang)+" "+u.Format("15:04"))}
		}
		var b strings.Builder
		err = homeTemplate.Execute(&b, map[string]any{"Alerts": list, "Heading": m.s.Render.T(lang, "alerts.active")})
		return template.HTML(b.String()), err //nolint:gosec // produced by html/template
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}
