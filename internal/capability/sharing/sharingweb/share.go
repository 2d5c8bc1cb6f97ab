package sharingweb

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/capability/sharing"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// ShareLimit holds how often one address may be sent on to an instance:
// the page calls nothing itself, but a script should not use the site as
// a relay of redirections.
var ShareLimit = abuse.Action{Name: "share_redirect", Rules: []abuse.Rule{
	{Kind: abuse.ByAddress, Max: 60, Window: 10 * time.Minute},
}}

// shared is what a reader shares: a page of this site and its title.
type shared struct{ URL, Title string }

// sharedOf reads the page to share from the form or the query: only an
// address of the collectivité's own site is taken, anything else becomes
// its home page, so that the page cannot be used to share any address
// under the collectivité's name.
func (m *Module) sharedOf(r *http.Request, v url.Values) shared {
	site := m.s.SiteURL(r, tenant.FromContext(r.Context()))
	s := shared{URL: site + "/", Title: strings.TrimSpace(v.Get("titre"))}
	if u, err := url.Parse(v.Get("url")); err == nil && u.IsAbs() && u.Scheme+"://"+u.Host == site && u.User == nil {
		u.RawQuery, u.Fragment = "", ""
		s.URL = u.String()
	} else if p := v.Get("url"); strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, "\\") {
		if u, err := url.Parse(p); err == nil {
			s.URL = site + u.EscapedPath()
		}
	}
	if utf8.RuneCountInString(s.Title) > 200 {
		s.Title = string([]rune(s.Title)[:200])
	}
	if s.Title == "" {
		s.Title = tenant.FromContext(r.Context()).Name
	}
	return s
}

// shareForm asks the reader which fediverse instance they use.
func (m *Module) shareForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderShare(w, r, http.StatusOK, m.sharedOf(r, r.URL.Query()), nil)
}

func (m *Module) renderShare(w http.ResponseWriter, r *http.Request, status int, s shared, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Shared": s})
	p.Title = p.T("sharing.share.title")
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "sharing/share", p)
	return nil
}

// share sends the reader to their instance's sharing page with the text
// filled in: only https://<a valid host name>/share, never an address the
// form names, so that the page is no open redirection.
func (m *Module) share(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	s := m.sharedOf(r, r.PostForm)
	if err := m.s.Limit(r, ShareLimit, ""); err != nil {
		return err
	}
	instance := strings.TrimSpace(r.PostForm.Get("instance"))
	if i := strings.LastIndexByte(instance, '@'); i >= 0 && !strings.Contains(instance, "/") {
		instance = instance[i+1:] // a whole address, @alice@piaille.fr
	}
	host, err := sharing.CheckHost(instance, false)
	if err != nil {
		return m.renderShare(w, r, http.StatusUnprocessableEntity, s, map[string]string{"instance": guichet.FieldErrors(err)["host"]})
	}
	text := s.Title + "\n\n" + s.URL
	http.Redirect(w, r, "https://"+host+"/share?text="+url.QueryEscape(text), http.StatusSeeOther)
	return nil
}
