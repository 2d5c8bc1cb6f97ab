package portalweb

import (
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	// The blocks stay apart: joining them would copy kilobytes a request.
	blocks := make([]template.HTML, len(m.blocks))
	for i, b := range m.blocks {
		h, err := b.HomeBlock(r)
		if err != nil {
			return err
		}
		blocks[i] = h
	}
	p := m.s.Render.NewPage(r, t.Name, nil)
	// Quick links: the main navigation's sections other than the home page.
	quick := make([]link, 0, len(p.Nav))
	for _, n := range p.Nav {
		if n.Path != "/" {
			quick = append(quick, link{Path: n.Path, Label: p.T(n.Key)})
		}
	}
	// Feeds and practical links are the same for every page in a language,
	// which the memo's key holds already.
	static := m.static[p.Lang]
	p.Data = map[string]any{"Blocks": blocks, "Quick": quick, "Feeds": static.feeds, "Practical": static.practical}
	p.Title = p.T("home.title")
	m.s.Render.PageMemo(w, r, "portal/home", p, memoKey(blocks, quick))
	return nil
}

// memoKey identifies the home page's own data for the renderer's memo.
func memoKey(blocks []template.HTML, quick []link) string {
	var b strings.Builder
	size := 0
	for _, h := range blocks {
		size += len(h) + 1
	}
	b.Grow(size + 512)
	for _, h := range blocks {
		b.WriteString(string(h))
		b.WriteByte(0)
	}
	for _, l := range quick {
		b.WriteByte(0)
		b.WriteString(l.Path)
		b.WriteByte(0)
		b.WriteString(l.Label)
	}
	return b.String()
}

// link is a link of the home page: a quick link, a feed (with its media
// type), a practical page.
type link struct{ Path, Label, Type string }

func (m *Module) legal(w http.ResponseWriter, r *http.Request) error {
	return m.simple(w, r, "portal/legal", "legal.title")
}

func (m *Module) simple(w http.ResponseWriter, r *http.Request, page, titleKey string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T(titleKey)
	m.s.Render.PageData(w, r, page, p)
	return nil
}

func (m *Module) siteMap(w http.ResponseWriter, r *http.Request) error {
	paths, err := m.sitePaths(r.Context(), tenant.FromContext(r.Context()))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", paths)
	p.Title = p.T("sitemap.title")
	m.s.Render.PageData(w, r, "portal/sitemap", p)
	return nil
}

// switchLanguage remembers the chosen language for a year and goes back.
func (m *Module) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if lang != "fr" && lang != "en" {
		lang = "fr"
	}
	http.SetCookie(w, &http.Cookie{Name: web.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode})
	return web.Redirect(w, r, web.SafeNext(r.URL.Query().Get("suite"), "/"))
}

// theme serves the collectivité's colours as CSS, since the CSP forbids
// inline styles.
func (m *Module) theme(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := fmt.Fprintf(w, ":root { --primary: %s; --accent: %s; }\n", t.ColorPrimary, t.ColorAccent)
	return err
}

func (m *Module) robots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	t := tenant.FromContext(r.Context())
	if t.IsPlatform() {
		_, err := fmt.Fprint(w, "User-agent: *\nDisallow: /console\n")
		return err
	}
	_, err := fmt.Fprintf(w, "User-agent: *\nDisallow: /gestion\nDisallow: /compte\nSitemap: %s/sitemap.xml\n",
		m.s.SiteURL(r, t))
	return err
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc string `xml:"loc"`
	} `xml:"url"`
}

func (m *Module) sitemapXML(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	paths, err := m.sitePaths(r.Context(), t)
	if err != nil {
		return err
	}
	base := m.s.SiteURL(r, t)
	var set urlset
	for _, p := range paths {
		set.URLs = append(set.URLs, struct {
			Loc string `xml:"loc"`
		}{base + p})
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(set)
}

func (m *Module) staticPaths(_ context.Context, _ *tenant.Tenant) ([]string, error) {
	return []string{"/", "/mentions-legales", "/donnees-personnelles", "/plan-du-site"}, nil
}
