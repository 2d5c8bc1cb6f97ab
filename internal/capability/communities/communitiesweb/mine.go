package communitiesweb

import (
	"net/http"

	"guichet"
	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// mine is the resident's own page: their communities, one feed of all of
// them, and their notification choices. Nobody else sees it.
func (m *Module) mine(w http.ResponseWriter, r *http.Request) error {
	return m.renderMine(w, r, http.StatusOK, nil)
}

func (m *Module) renderMine(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	ms, err := m.store.Memberships(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	settings, _, err := m.store.Settings(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	cs := make([]*communities.Community, len(ms))
	for i, ms := range ms {
		cs[i] = ms.Community
	}
	items, err := m.store.Feed(ctx, t.ID, cs, communities.Window{To: m.k.Now()}, mineFeed)
	if err != nil {
		return err
	}
	entries, err := m.k.ManagedEntries(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	animated, err := m.store.Animated(ctx, t.ID, id.UserID, entries)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	options := make([]publishingweb.Option, len(ms))
	var chosen []string
	views := make([]communityView, len(ms))
	for i, ms := range ms {
		options[i] = publishingweb.Option{Value: ms.Community.ID, Label: ms.Community.Name}
		if ms.Notify == communities.NotifyDigest {
			chosen = append(chosen, ms.Community.ID)
		}
		views[i] = m.communityView(p, ms.Community, true)
	}
	frequency := settings.Frequency
	if status != http.StatusOK {
		chosen, frequency = r.PostForm["digest"], r.PostForm.Get("frequency")
	}
	frequencies := make([]publishingweb.Option, len(communities.Frequencies))
	for i, f := range communities.Frequencies {
		frequencies[i] = publishingweb.Option{Value: f, Label: p.T("communities.mine.frequency." + f)}
	}
	p.Data = map[string]any{"Communities": views, "Feed": m.itemViews(r, p, items), "Options": options, "Chosen": chosen,
		"Frequency": frequency, "Frequencies": frequencies, "Animated": animated, "Manages": manages(id)}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("communities.mine.title")
	if status == http.StatusOK {
		notice(r, p, mineNotices)
	}
	m.s.Render.Page(w, r, status, "communities/mine", p)
	return nil
}

// saveNotifications saves which communities go into the digest, and how
// often it comes.
func (m *Module) saveNotifications(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	digest := map[string]bool{}
	for _, id := range r.PostForm["digest"] {
		digest[id] = true
	}
	err := m.store.SetNotifications(r.Context(), t.ID, account.FromContext(r.Context()).UserID, digest,
		r.PostForm.Get("frequency"), t.Location())
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderMine(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, MinePath+"?ok=enregistre")
}

// ErrUnknownLink answers a digest link the site did not make.
var ErrUnknownLink = guichet.Errorf(guichet.ENotFound, "Ce lien de désabonnement n'est pas valable.")

// unsubscribeForm is the page of the digest's link: what the button does.
// Opening it changes nothing, since mail scanners open links in the
// recipient's stead.
func (m *Module) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if _, ok := m.store.TokenUser(tenant.FromContext(r.Context()).ID, token); !ok {
		return ErrUnknownLink
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Action": communities.UnsubscribePrefix + token})
	p.Title = p.T("communities.unsubscribe.title")
	m.s.Render.Page(w, r, http.StatusOK, "communities/unsubscribe", p)
	return nil
}

// unsubscribe is the one-click unsubscription (RFC 8058): the form's
// button, or the mail client's POST of "List-Unsubscribe=One-Click". It
// takes every community of the resident out of their digest.
func (m *Module) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	user, ok := m.store.TokenUser(t.ID, r.PathValue("token"))
	if !ok {
		return ErrUnknownLink
	}
	if err := m.store.StopDigest(r.Context(), t.ID, user); err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "communities.unsubscribe.done_title", "communities.unsubscribe.done")
}
