package communitiesweb

import (
	"html/template"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// pageFeed bounds the feed of a community's page, mineFeed the resident's
// page.
const (
	pageFeed = 30
	mineFeed = 40
)

// communityView is a community as the lists show it.
type communityView struct {
	*communities.Community
	KindLabel string
	// Summary is the start of its description, in plain text.
	Summary string
	Member  bool
}

func (m *Module) communityView(p *web.Page, c *communities.Community, member bool) communityView {
	return communityView{Community: c, KindLabel: p.T("communities.kind." + c.Kind),
		Summary: cutText(publishing.PlainText(c.Description), 200), Member: member}
}

// itemView is a feed's item as a page shows it.
type itemView struct {
	*communities.Item
	KindLabel string
	// Date is when it came in; ISO the same for <time>.
	Date, ISO string
	// Starts is an event's first day.
	Starts string
	// Ended marks an alert whose period is over.
	Ended bool
	HTML  template.HTML
}

func (m *Module) itemViews(r *http.Request, p *web.Page, items []*communities.Item) []itemView {
	loc := tenant.FromContext(r.Context()).Location()
	now := m.k.Now()
	out := make([]itemView, len(items))
	for i, it := range items {
		v := itemView{Item: it, KindLabel: p.T("communities.item." + it.Kind), Date: guichet.Date(it.At.In(loc), p.Lang),
			ISO: it.At.In(loc).Format(time.RFC3339), Ended: it.Kind == communities.ItemAlert && !it.Ends.IsZero() && it.Ends.Before(now)}
		if it.Kind == communities.ItemEvent && !it.Starts.IsZero() {
			v.Starts = guichet.LongDate(it.Starts.In(loc), p.Lang)
		}
		if it.Body != "" {
			v.HTML = publishing.HTML(it.Body)
		}
		out[i] = v
	}
	return out
}

// list shows every community, and to a signed-in resident which they are
// in.
func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	all, err := m.store.List(ctx, t.ID)
	if err != nil {
		return err
	}
	mine := map[string]bool{}
	id := account.FromContext(ctx)
	if id != nil {
		ms, err := m.store.Memberships(ctx, t.ID, id.UserID)
		if err != nil {
			return err
		}
		for _, ms := range ms {
			mine[ms.Community.ID] = true
		}
	}
	p := m.s.Render.NewPage(r, "", nil)
	groups := make([]kindGroup, 0, len(communities.Kinds))
	for _, kind := range communities.Kinds {
		g := kindGroup{Kind: kind, Label: p.T("communities.kinds." + kind)}
		for _, c := range all {
			if c.Kind == kind {
				g.Communities = append(g.Communities, m.communityView(p, c, mine[c.ID]))
			}
		}
		if len(g.Communities) > 0 {
			groups = append(groups, g)
		}
	}
	p.Data = map[string]any{"Groups": groups, "SignedIn": id != nil, "Mine": len(mine)}
	p.Title = p.T("communities.list.title")
	m.s.Render.Page(w, r, http.StatusOK, "communities/list", p)
	return nil
}

// kindGroup is the communities of one kind.
type kindGroup struct {
	Kind, Label string
	Communities []communityView
}

// Each page's confirmations, by the "?ok=" a form sends back with.
var (
	pageNotices    = map[string]string{"rejoint": "communities.page.joined", "quitte": "communities.page.left"}
	mineNotices    = map[string]string{"enregistre": "communities.mine.saved", "sortie": "communities.mine.left"}
	animateNotices = map[string]string{"annonce": "communities.animate.posted", "retiree": "communities.animate.post_removed",
		"ajoutee": "communities.animate.attach_done", "enlevee": "communities.animate.detach_done"}
	adminNotices = map[string]string{"supprimee": "communities.admin.deleted"}
	formNotices  = map[string]string{"cree": "communities.admin.created", "modifiee": "communities.admin.updated",
		"animateur": "communities.admin.animator_named", "sans-animer": "communities.admin.animator_removed"}
)

// notice shows the confirmation of the request's "?ok=" among keys.
func notice(r *http.Request, p *web.Page, keys map[string]string, args ...any) {
	if key, ok := keys[r.URL.Query().Get("ok")]; ok {
		p.Notice = p.T(key, args...)
	}
}

// page shows a community: its description, member count, directory
// entry, feed, and the join or leave button.
func (m *Module) page(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := m.community(r)
	if err != nil {
		return err
	}
	id := account.FromContext(ctx)
	member, animates := false, false
	if id != nil {
		if member, err = m.store.IsMember(ctx, c.TenantID, c.ID, id.UserID); err != nil {
			return err
		}
		if animates, err = m.animates(ctx, id, c); err != nil {
			return err
		}
	}
	items, err := m.store.Feed(ctx, c.TenantID, []*communities.Community{c}, communities.Window{To: m.k.Now()}, pageFeed)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, c.Name, nil)
	p.Data = map[string]any{"C": c, "KindLabel": p.T("communities.kind." + c.Kind), "Description": publishing.HTML(c.Description),
		"Entry": m.entry(r, c), "Members": p.N("communities.page.members", c.Members), "SignedIn": id != nil,
		"Member": member, "Animates": animates, "Feed": m.itemViews(r, p, items)}
	notice(r, p, pageNotices, c.Name)
	m.s.Render.Page(w, r, http.StatusOK, "communities/community", p)
	return nil
}

// entry returns the community's directory entry, nil when it has none or
// the entry is no longer published.
func (m *Module) entry(r *http.Request, c *communities.Community) *kernel.DirectoryEntry {
	if c.EntryID == "" {
		return nil
	}
	e, err := m.k.DirectoryEntry(r.Context(), c.TenantID, c.EntryID)
	if err != nil {
		return nil
	}
	return &e
}

// join makes the signed-in resident a member.
func (m *Module) join(w http.ResponseWriter, r *http.Request) error {
	c, err := m.community(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, JoinLimit, ""); err != nil {
		return err
	}
	id := account.FromContext(r.Context())
	if _, err := m.store.Join(r.Context(), c.TenantID, c.ID, id.UserID, tenant.FromContext(r.Context()).Location()); err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, c.Path()+"?ok=rejoint")
}

// leave ends the signed-in resident's membership.
func (m *Module) leave(w http.ResponseWriter, r *http.Request) error {
	c, err := m.community(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, JoinLimit, ""); err != nil {
		return err
	}
	if err := m.store.Leave(r.Context(), c.TenantID, c.ID, account.FromContext(r.Context()).UserID); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	next := c.Path() + "?ok=quitte"
	if r.PostForm.Get("depuis") == "mes-communautes" {
		next = MinePath + "?ok=sortie"
	}
	return publishingweb.SeeOther(w, r, next)
}

// cutText shortens s to about n characters, on a word.
func cutText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	for i := len(cut) - 1; i > n/2; i-- {
		if cut[i] == ' ' {
			return cut[:i] + "…"
		}
	}
	return cut + "…"
}
