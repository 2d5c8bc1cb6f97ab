package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// What a public page says of itself to the sites and apps that show a
// link to it (Open Graph) and to search engines (schema.org). The layout
// writes the defaults; a page template gives its own by defining the
// blocks "og-type", "og-description", "og-image" and "jsonld".

// setMeta records, once per request, the page's canonical address and
// whether it is public: the back office, the console, a person's own
// pages and those reached by a secret link are not described, and carry
// "noindex" instead.
func (r *Renderer) setMeta(req *http.Request, p *Page) {
	if r.siteURL == nil || p.Tenant == nil {
		p.private = true
		return
	}
	p.siteURL = r.siteURL(req, p.Tenant)
	p.canonical = p.siteURL + req.URL.Path
	if n, err := strconv.Atoi(req.URL.Query().Get("page")); err == nil && n > 1 {
		p.canonical += "?page=" + strconv.Itoa(n)
	}
	pattern := req.Pattern
	if pattern == "" {
		pattern = "GET " + req.URL.Path
	}
	p.private = privateRoute(pattern) ||
		(req.Method != http.MethodGet && req.Method != http.MethodHead)
}

// Described reports whether the layout writes the page's Open Graph and
// schema.org description: a public page answered with 200.
func (p *Page) Described() bool { return !p.private && p.siteURL != "" }

// SiteURL is the collectivité's site address (scheme, canonical host and
// the request's port), without a final slash.
func (p *Page) SiteURL() string { return p.siteURL }

// Canonical is the page's absolute address, without any query but a page
// number.
func (p *Page) Canonical() string { return p.canonical }

// Absolute turns a site-relative address into an absolute one.
func (p *Page) Absolute(path string) string {
	if u, err := url.Parse(path); err == nil && u.IsAbs() {
		return path
	}
	return p.siteURL + "/" + strings.TrimPrefix(path, "/")
}

// OGLocale is the page's language as Open Graph writes it.
func (p *Page) OGLocale() string {
	if p.Lang == "en" {
		return "en_GB"
	}
	return "fr_FR"
}

// SiteJSONLD describes the page in schema.org terms when the page gives
// no block of its own: the collectivité on its home page, elsewhere a web
// page of its site with the path that leads to it.
func (p *Page) SiteJSONLD() template.JS {
	t := p.Tenant
	org := map[string]any{"@type": "GovernmentOrganization", "name": t.Name, "url": p.siteURL + "/"}
	if t.LogoPath != "" {
		org["logo"] = p.Absolute(t.LogoPath)
	}
	if t.Address != "" {
		org["address"] = t.Address
	}
	if t.Phone != "" {
		org["telephone"] = t.Phone
	}
	if t.Email != "" {
		org["email"] = t.Email
	}
	if p.Path == "/" {
		org["@context"] = "https://schema.org"
		return jsonLD(org)
	}
	crumbs := []map[string]any{crumb(1, p.T("nav.home"), p.siteURL+"/")}
	for _, n := range p.Nav {
		if n.Path != "/" && n.Path != p.Path && n.Current(p) {
			crumbs = append(crumbs, crumb(len(crumbs)+1, p.T(n.Key), p.siteURL+n.Path))
			break
		}
	}
	crumbs = append(crumbs, crumb(len(crumbs)+1, p.Title, p.canonical))
	return jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "WebPage", "name": p.Title, "url": p.canonical,
		"inLanguage": p.Lang,
		"isPartOf":   map[string]any{"@type": "WebSite", "name": t.Name, "url": p.siteURL + "/", "publisher": org},
		"breadcrumb": map[string]any{"@type": "BreadcrumbList", "itemListElement": crumbs},
	})
}

func crumb(pos int, name, item string) map[string]any {
	return map[string]any{"@type": "ListItem", "position": pos, "name": name, "item": item}
}

// jsonLD encodes v for a <script type="application/ld+json"> element:
// json.Marshal escapes <, > and &, so no text can close it.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return template.JS(b) //nolint:gosec // escaped by json.Marshal
}
