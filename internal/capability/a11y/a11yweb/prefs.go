package a11yweb

import (
	"net/http"
	"strings"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// prefsCookie remembers display preferences without an account.
const prefsCookie = "affichage"

// encodePrefs writes preferences as dash-joined tokens ("larger-wide-contrast"),
// characters a cookie value holds without quoting.
func encodePrefs(p account.Preferences) string {
	var parts []string
	if p.TextSize == "large" || p.TextSize == "larger" {
		parts = append(parts, p.TextSize)
	}
	if p.LineSpacing == "wide" {
		parts = append(parts, "wide")
	}
	if p.HighContrast {
		parts = append(parts, "contrast")
	}
	return strings.Join(parts, "-")
}

// decodePrefs reads encodePrefs' format, ignoring unknown tokens.
func decodePrefs(s string) account.Preferences {
	var p account.Preferences
	for _, tok := range strings.Split(s, "-") {
		switch tok {
		case "large", "larger":
			p.TextSize = tok
		case "wide":
			p.LineSpacing = "wide"
		case "contrast":
			p.HighContrast = true
		}
	}
	return p
}

// prefsOf returns the preferences in force: the profile's when signed in
// and set there, else the cookie's.
func prefsOf(r *http.Request) account.Preferences {
	if id := account.FromContext(r.Context()); id != nil && id.Prefs != (account.Preferences{}) {
		return id.Prefs
	}
	if c, err := r.Cookie(prefsCookie); err == nil {
		return decodePrefs(c.Value)
	}
	return account.Preferences{}
}

// htmlClass turns preferences into the classes the stylesheet reads on <html>.
func htmlClass(p account.Preferences) string {
	var c []string
	if p.TextSize != "" {
		c = append(c, "text-"+p.TextSize)
	}
	if p.LineSpacing == "wide" {
		c = append(c, "spacing-wide")
	}
	if p.HighContrast {
		c = append(c, "contrast-high")
	}
	return strings.Join(c, " ")
}

// decorate sets, on every page, the preference classes and the footer's
// conformity mention.
func (m *Module) decorate(r *http.Request, p *web.Page) {
	if c := htmlClass(prefsOf(r)); c != "" {
		p.Extra["htmlClass"] = c
	}
	if p.Tenant == nil {
		return
	}
	level, err := m.audits.Level(r.Context(), p.Tenant.ID)
	if err != nil {
		m.s.Log().WarnContext(r.Context(), "a11y level", "err", err)
	}
	p.Extra["a11yMention"] = p.T("a11y.mention_" + string(level))
}

type prefsView struct {
	Sizes, Spacings []option
	Saved           bool
	SignedIn        bool
}

type option struct{ Value, Label string }

func (m *Module) preferences(w http.ResponseWriter, r *http.Request) error {
	return m.renderPrefs(w, r, prefsOf(r))
}

func (m *Module) renderPrefs(w http.ResponseWriter, r *http.Request, cur account.Preferences) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("a11y.prefs_title")
	p.Data = prefsView{
		Sizes: []option{{"", p.T("a11y.prefs_size_normal")}, {"large", p.T("a11y.prefs_size_large")},
			{"larger", p.T("a11y.prefs_size_larger")}},
		Spacings: []option{{"", p.T("a11y.prefs_spacing_normal")}, {"wide", p.T("a11y.prefs_spacing_wide")}},
		Saved:    r.URL.Query().Get("enregistre") == "1",
		SignedIn: account.FromContext(r.Context()) != nil,
	}
	if p.Data.(prefsView).Saved {
		p.Notice = p.T("a11y.prefs_saved")
	}
	p.Form = map[string][]string{"size": {cur.TextSize}, "spacing": {cur.LineSpacing}}
	if cur.HighContrast {
		p.Form.Set("contrast", "1")
	}
	m.s.Render.PageData(w, r, "a11yweb/preferences", p)
	return nil
}

func (m *Module) savePreferences(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	prefs := decodePrefs(r.PostForm.Get("size") + "-" + r.PostForm.Get("spacing"))
	prefs.HighContrast = r.PostForm.Get("contrast") == "1"
	cookie := &http.Cookie{Name: prefsCookie, Value: encodePrefs(prefs), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode}
	if cookie.Value == "" {
		cookie.MaxAge = -1
	}
	http.SetCookie(w, cookie)
	if id := account.FromContext(r.Context()); id != nil && m.profiles != nil {
		if err := m.profiles.UpdateProfile(r.Context(), id.TenantID, id.UserID, id.Name, id.Lang, prefs); err != nil {
			return err
		}
	}
	return web.Redirect(w, r, "/preferences?enregistre=1")
}
