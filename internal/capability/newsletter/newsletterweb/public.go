package newsletterweb

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// listOption is a list offered on a form, grouped by kind.
type listOption struct {
	Value, Label, Hint string
}

// listChoices returns the lists as choices, by kind, each saying its
// kind ("Quartier des Tilleuls (quartier)").
func (m *Module) listChoices(p *web.Page, lists []*newsletter.List) []listOption {
	var out []listOption
	for _, kind := range newsletter.ListKinds {
		for _, l := range lists {
			if l.Kind == kind {
				out = append(out, listOption{Value: l.ID, Label: l.Name + " (" + p.T("newsletter.kind."+kind) + ")", Hint: l.Description})
			}
		}
	}
	return out
}

// home is the newsletter's page: the subscription form and the archive.
func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	return m.renderHome(w, r, http.StatusOK, nil)
}

func (m *Module) renderHome(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenantOf(r)
	lists, err := m.store.Lists(r.Context(), t.ID, true)
	if err != nil {
		return err
	}
	after := publishing.ParseCursor(r.URL.Query().Get("apres"))
	archive, next, err := m.store.Archive(r.Context(), t.ID, after, 12)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	loc, lang := t.Location(), web.LangOf(r)
	type issue struct{ Subject, Path, Date string }
	var issues []issue
	for _, c := range archive {
		issues = append(issues, issue{Subject: c.Version(lang).Subject, Path: "/lettre/numeros/" + c.Slug,
			Date: guichet.Date(c.FinishedAt.In(loc), lang)})
	}
	p.Data = map[string]any{"Lists": m.listChoices(p, lists), "Issues": issues, "Next": next.String()}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("newsletter.title")
	m.s.Render.Page(w, r, status, "newsletter/home", p)
	return nil
}

// subscribe records a subscription and mails its confirmation link.
func (m *Module) subscribe(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, abuse.NewsletterSubscription, r.PostForm.Get("email")); err != nil {
		return err
	}
	err := m.store.Subscribe(r.Context(), tenantOf(r).ID, newsletter.Subscription{Email: r.PostForm.Get("email"),
		Name: r.PostForm.Get("name"), Lang: web.LangOf(r), Lists: r.PostForm["lists"], Measure: r.PostForm.Get("measure") == "1"},
		m.baseURL(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderHome(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "newsletter.subscribe.sent_title", "newsletter.subscribe.sent")
}

// confirmForm is the page of the emailed link: what confirming does, and
// the button that does it (opening the link changes nothing: mail
// scanners open links).
func (m *Module) confirmForm(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	sub, err := m.store.SubscriberByLink(r.Context(), t.ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	if sub.Status != newsletter.SubscriberPending {
		return publishingweb.Message(m.s, w, r, "newsletter.subscribe.already_title", "newsletter.subscribe.confirmed")
	}
	lists, err := m.store.Lists(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	var names []string
	for _, l := range lists {
		if slices.Contains(sub.Lists, l.ID) {
			names = append(names, l.Name)
		}
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Action": "/lettre/confirmer/" + r.PathValue("token"), "Email": sub.Email,
		"Lists": names, "Measure": sub.Measure})
	p.Title = p.T("newsletter.subscribe.confirm_title")
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/confirm", p)
	return nil
}

// confirm activates the subscription; a second use says it is active.
func (m *Module) confirm(w http.ResponseWriter, r *http.Request) error {
	err := m.store.Confirm(r.Context(), tenantOf(r).ID, r.PathValue("token"))
	if errors.Is(err, newsletter.ErrAlreadyConfirmed) {
		return publishingweb.Message(m.s, w, r, "newsletter.subscribe.already_title", "newsletter.subscribe.confirmed")
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "newsletter.subscribe.confirmed_title", "newsletter.subscribe.confirmed")
}

// unsubscribeForm asks for a click (mail scanners follow GET links and
// must not unsubscribe anyone), and offers to keep some lists only. A
// link already used answers that the address no longer receives anything.
func (m *Module) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	sub, err := m.store.SubscriberByUnsubscribe(r.Context(), t.ID, r.PathValue("token"))
	if errors.Is(err, newsletter.ErrNotFound) {
		return publishingweb.Message(m.s, w, r, "newsletter.unsubscribe.done_title", "newsletter.unsubscribe.gone")
	}
	if err != nil {
		return err
	}
	lists, err := m.store.Lists(r.Context(), t.ID, true)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Data = map[string]any{"Token": r.PathValue("token"), "Lists": m.listChoices(p, lists), "Chosen": sub.Lists}
	p.Title = p.T("newsletter.unsubscribe.title")
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/unsubscribe", p)
	return nil
}

// unsubscribe is the one-click unsubscription (RFC 8058): the page's
// button, or the mail client's POST of "List-Unsubscribe=One-Click",
// without a session; a second one answers the same.
func (m *Module) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.Unsubscribe(r.Context(), tenantOf(r).ID, r.PathValue("token")); err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "newsletter.unsubscribe.done_title", "newsletter.unsubscribe.done")
}

// changeLists keeps the lists the person ticked.
func (m *Module) changeLists(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := m.store.ChangeLists(r.Context(), tenantOf(r).ID, r.PathValue("token"), r.PostForm["lists"])
	if errors.Is(err, newsletter.ErrNotFound) {
		return publishingweb.Message(m.s, w, r, "newsletter.unsubscribe.done_title", "newsletter.unsubscribe.gone")
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "newsletter.unsubscribe.lists_title", "newsletter.unsubscribe.lists_done")
}

// pixel is a transparent GIF of one pixel.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// opened counts the opening of a measured message (only for those who
// agreed) and answers the same picture whatever the token.
func (m *Module) opened(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.Opened(r.Context(), tenantOf(r).ID, r.PathValue("token")); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(pixel)
	return err
}

// clicked counts a click and goes on to the campaign's link.
func (m *Module) clicked(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		return newsletter.ErrNotFound
	}
	target, err := m.store.Clicked(r.Context(), tenantOf(r).ID, r.PathValue("token"), n)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

// bounceReport is what a sending service posts about an address.
type bounceReport struct {
	Email string `json:"email"`
	Type  string `json:"type"`
}

// bounce takes a sending service's report of a bounce or a complaint, as
// JSON ({"email": …, "type": "hard"|"soft"|"complaint"}) or as a form, at
// the collectivité's secret address.
func (m *Module) bounce(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	if !hmac.Equal([]byte(r.PathValue("secret")), []byte(bounceSecret(m.bounceKey, t.ID))) {
		return newsletter.ErrNotFound
	}
	var rep bounceReport
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, &rep); err != nil {
			return guichet.Invalid(map[string]string{"body": "JSON illisible."})
		}
	} else {
		if err := web.ParseForm(r); err != nil {
			return err
		}
		rep = bounceReport{Email: r.PostForm.Get("email"), Type: r.PostForm.Get("type")}
	}
	if err := m.store.Bounce(r.Context(), t.ID, rep.Email, rep.Type); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// image serves a campaign's picture.
func (m *Module) image(w http.ResponseWriter, r *http.Request) error {
	data, ct, err := m.store.Image(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(data)
	return err
}

// archived shows a campaign of the archive on the site.
func (m *Module) archived(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	c, err := m.store.Archived(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	v := c.Version(lang)
	content, err := newsletter.ContentHTML(v)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, v.Subject, map[string]any{"Content": content, "Slug": c.Slug,
		"Date": guichet.Date(c.FinishedAt.In(t.Location()), lang), "Preheader": v.Preheader,
		"Lang": map[bool]string{true: "en", false: "fr"}[lang == "en" && !c.English.Empty()]})
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/archived", p)
	return nil
}

// archivedEmail shows a campaign of the archive as its subscribers
// received it.
func (m *Module) archivedEmail(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	c, err := m.store.Archived(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	e, err := newsletter.Render(c, t, web.LangOf(r), newsletter.RenderOptions{BaseURL: m.baseURL(r), Online: true})
	if err != nil {
		return err
	}
	return writeEmail(w, e)
}

// writeEmail answers an email's HTML as a page of its own.
func writeEmail(w http.ResponseWriter, e *newsletter.Email) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The email's styles are inline: allow them, and nothing else.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' https:; style-src 'unsafe-inline'; frame-ancestors 'self'")
	_, err := io.WriteString(w, strings.ReplaceAll(e.HTML, "__GUICHET_DESABONNEMENT__", "apercu"))
	return err
}
