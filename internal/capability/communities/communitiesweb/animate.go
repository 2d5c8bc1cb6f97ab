package communitiesweb

import (
	"errors"
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// pickFrom bounds the news and the events offered to attach, each.
const pickFrom = 15

// animator returns the request's community when the signed-in person
// animates it, ErrNotAnimator otherwise.
func (m *Module) animator(r *http.Request) (*communities.Community, *account.Identity, error) {
	c, err := m.community(r)
	if err != nil {
		return nil, nil, err
	}
	id := account.FromContext(r.Context())
	ok, err := m.animates(r.Context(), id, c)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, ErrNotAnimator
	}
	return c, id, nil
}

// animate is the animators' page: the announcement form, the
// announcements, the news and events to attach and those attached.
func (m *Module) animate(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.animator(r)
	if err != nil {
		return err
	}
	return m.renderAnimate(w, r, c, http.StatusOK, nil)
}

// linkView is an attached publication as the animators' page lists it.
type linkView struct {
	*communities.Link
	KindLabel, Date string
}

func (m *Module) renderAnimate(w http.ResponseWriter, r *http.Request, c *communities.Community, status int, errs map[string]string) error {
	ctx := r.Context()
	now := m.k.Now()
	feed, err := m.store.Feed(ctx, c.TenantID, []*communities.Community{c}, communities.Window{To: now}, 50)
	if err != nil {
		return err
	}
	var posts []*communities.Item
	for _, it := range feed {
		if it.Kind == communities.ItemAnnouncement {
			posts = append(posts, it)
		}
	}
	links, err := m.store.Links(ctx, c.TenantID, c.ID, 50)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	loc := tenant.FromContext(ctx).Location()
	attached := map[string]bool{}
	views := make([]linkView, len(links))
	for i, l := range links {
		attached[l.Kind+":"+l.ItemID] = true
		views[i] = linkView{Link: l, KindLabel: p.T("communities.item." + l.Kind), Date: guichet.Date(l.AttachedAt.In(loc), p.Lang)}
	}
	var choices []publishingweb.Option
	for _, kind := range []string{communities.ItemNews, communities.ItemEvent} {
		src, ok := m.k.PublicationsOf(kind)
		if !ok || src.Recent == nil {
			continue
		}
		recent, err := src.Recent(ctx, c.TenantID, now, pickFrom)
		if err != nil {
			return err
		}
		for _, it := range recent {
			if key := kind + ":" + it.ID; !attached[key] {
				choices = append(choices, publishingweb.Option{Value: key,
					Label: p.T("communities.item."+kind) + " · " + it.Title + " (" + guichet.Date(it.Published.In(loc), p.Lang) + ")"})
			}
		}
	}
	p.Data = map[string]any{"C": c, "Posts": m.itemViews(r, p, posts), "Links": views, "Choices": choices}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("communities.animate.title", c.Name)
	if status == http.StatusOK {
		notice(r, p, animateNotices)
	}
	m.s.Render.Page(w, r, status, "communities/animate", p)
	return nil
}

// record writes a staff member's action in the audit log; residents who
// animate a community are not staff.
func (m *Module) record(r *http.Request, id *account.Identity, action, target string) {
	if id.IsStaff() {
		m.s.Record(r, action, target)
	}
}

// addPost publishes an announcement.
func (m *Module) addPost(w http.ResponseWriter, r *http.Request) error {
	c, id, err := m.animator(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, AnnouncementLimit, ""); err != nil {
		return err
	}
	post := &communities.Post{TenantID: c.TenantID, CommunityID: c.ID, Title: r.PostForm.Get("title"),
		Body: r.PostForm.Get("body"), AuthorID: id.UserID, ByStaff: manages(id)}
	err = m.store.AddPost(r.Context(), post)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAnimate(w, r, c, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.record(r, id, "communities.announcement_posted", post.ID)
	return publishingweb.SeeOther(w, r, c.Path()+"/animer?ok=annonce")
}

// deletePost withdraws an announcement.
func (m *Module) deletePost(w http.ResponseWriter, r *http.Request) error {
	c, id, err := m.animator(r)
	if err != nil {
		return err
	}
	if err := m.store.DeletePost(r.Context(), c.TenantID, c.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.record(r, id, "communities.announcement_removed", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, c.Path()+"/animer?ok=retiree")
}

// errPick is the field error of a publication that is not one offered.
var errPick = map[string]string{"publication": "Choisissez une actualité ou un événement de la liste."}

// attach puts a news item or an event, as it reads now, in the feed.
func (m *Module) attach(w http.ResponseWriter, r *http.Request) error {
	c, id, err := m.animator(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	kind, itemID, _ := strings.Cut(r.PostForm.Get("publication"), ":")
	src, ok := m.k.PublicationsOf(kind)
	if !ok || src.Get == nil || (kind != communities.ItemNews && kind != communities.ItemEvent) {
		return m.renderAnimate(w, r, c, http.StatusUnprocessableEntity, errPick)
	}
	it, err := src.Get(r.Context(), c.TenantID, itemID, m.k.Now())
	if guichet.ErrorCode(err) == guichet.ENotFound {
		return m.renderAnimate(w, r, c, http.StatusUnprocessableEntity, errPick)
	}
	if err != nil {
		return err
	}
	err = m.store.Attach(r.Context(), c.TenantID, c.ID, it)
	if errors.Is(err, communities.ErrAlreadyLinked) {
		return m.renderAnimate(w, r, c, http.StatusUnprocessableEntity, map[string]string{"publication": guichet.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	m.record(r, id, "communities.publication_attached", kind+":"+itemID)
	return publishingweb.SeeOther(w, r, c.Path()+"/animer?ok=ajoutee")
}

// detach takes an attached publication out of the feed.
func (m *Module) detach(w http.ResponseWriter, r *http.Request) error {
	c, id, err := m.animator(r)
	if err != nil {
		return err
	}
	if err := m.store.Detach(r.Context(), c.TenantID, c.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.record(r, id, "communities.publication_detached", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, c.Path()+"/animer?ok=enlevee")
}
