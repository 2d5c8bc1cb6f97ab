// Package fediverseweb serves each collectivité's actor of the fediverse:
// WebFinger and NodeInfo, the actor's documents (and its readable
// profile for browsers), the outbox, the followers' count, the announced
// objects, the inbox, and the moderators' page.
package fediverseweb

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/internal/capability/fediverse"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

//go:embed all:templates messages
var assets embed.FS

// Module is the fediverse's web module.
type Module struct {
	s     *web.Server
	k     *kernel.Kernel
	store *fediverse.Store
}

// New returns the module.
func New(store *fediverse.Store, k *kernel.Kernel) *Module { return &Module{store: store, k: k} }

// Name implements web.Module.
func (m *Module) Name() string { return "fediverse" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// InboxAction limits the activities one address may post to the inboxes:
// a busy server delivers many, a flood is held.
var InboxAction = abuse.Action{Name: "fediverse_inbox", Rules: []abuse.Rule{
	{Kind: abuse.ByAddress, Max: 600, Window: 10 * time.Minute},
	{Kind: abuse.ByTenant, Max: 20000, Window: 10 * time.Minute},
}}

// Routes lists every URL of the fediverse.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) { return []string{fediverse.ActorPath}, nil })
	s.Site("GET /.well-known/webfinger", m.webfinger)
	s.Site("GET /.well-known/nodeinfo", m.nodeinfoLinks)
	s.Site("GET /nodeinfo/2.1", m.nodeinfo)
	s.Site("GET "+fediverse.ActorPath, m.actor)
	s.Site("POST "+fediverse.InboxPath, m.inbox)
	s.Site("GET "+fediverse.OutboxPath, m.outbox)
	s.Site("GET "+fediverse.FollowersPath, m.followers)
	s.Site("GET "+fediverse.ObjectsPath+"{kind}/{id}", m.object)
	s.Site("GET "+fediverse.ObjectsPath+"{kind}/{id}/activite", m.activity)

	moderator, admin := s.Staff(account.RoleModerator), s.Staff(account.RoleAdmin)
	s.Site("GET /gestion/fediverse", m.admin, moderator)
	s.Site("POST /gestion/fediverse/publication", m.savePublish, admin)
	s.Site("POST /gestion/fediverse/reponses/{id}/approuver", m.approve, moderator)
	s.Site("POST /gestion/fediverse/reponses/{id}/rejeter", m.reject, moderator)
}

// base is the collectivité's canonical address, its actor's identity.
func (m *Module) base(r *http.Request) (string, *time.Location, error) {
	return m.store.Site(r.Context(), tenant.FromContext(r.Context()).ID)
}

// wantsActivity reports whether the client asks for ActivityStreams
// rather than a page.
func wantsActivity(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/activity+json") || strings.Contains(a, "application/ld+json") ||
		(strings.Contains(a, "application/json") && !strings.Contains(a, "text/html"))
}

// writeJSON answers doc as typ.
func writeJSON(w http.ResponseWriter, status int, typ string, doc any) error {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(doc)
}

const activityType = `application/activity+json; charset=utf-8`

func (m *Module) webfinger(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	base, _, err := m.base(r)
	if err != nil {
		return err
	}
	resolves := func(host string) bool {
		other, err := m.s.Tenants().Resolve(r.Context(), host)
		return err == nil && other.ID == t.ID
	}
	doc, err := fediverse.WebFinger(base, t.Slug, r.URL.Query().Get("resource"), resolves)
	if err != nil {
		return writeJSON(w, http.StatusNotFound, "application/jrd+json", map[string]string{"error": "not found"})
	}
	return writeJSON(w, http.StatusOK, "application/jrd+json", doc)
}

func (m *Module) nodeinfoLinks(w http.ResponseWriter, r *http.Request) error {
	base, _, err := m.base(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, "application/json", map[string]any{"links": []any{
		map[string]string{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": base + "/nodeinfo/2.1"}}})
}

func (m *Module) nodeinfo(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	n, err := m.store.FollowerCount(r.Context(), t.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`,
		fediverse.NodeInfo(t.Name, n))
}

// actor answers the actor's document, or its profile page to a browser.
func (m *Module) actor(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	base, loc, err := m.base(r)
	if err != nil {
		return err
	}
	a, err := m.store.Actor(r.Context(), t.ID)
	if err != nil {
		return err
	}
	if wantsActivity(r) {
		return writeJSON(w, http.StatusOK, activityType, fediverse.ActorDocument(base, fediverse.ProfileOf(t, base), a))
	}
	w.Header().Set("Vary", "Accept")
	n, err := m.store.FollowerCount(r.Context(), t.ID)
	if err != nil {
		return err
	}
	items, _, err := m.store.OutboxPage(r.Context(), t.ID, 1, 10)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	type row struct{ Title, URL, Kind, Date, ISO string }
	rows := make([]row, len(items))
	for i, it := range items {
		at := it.Published.In(loc)
		rows[i] = row{Title: it.Title, URL: it.URL, Kind: p.T("fediverse.kind." + it.Kind),
			Date: at.Format("02/01/2006"), ISO: at.Format(time.RFC3339)}
	}
	p.Title = p.T("fediverse.profile.title")
	p.Data = map[string]any{"Handle": fediverse.Handle(base, t.Slug), "Mairie": fediverse.Handle(base, fediverse.Username),
		"Name": t.Name, "Followers": n, "Items": rows}
	m.s.Render.Page(w, r, http.StatusOK, "fediverse/profile", p)
	return nil
}

// pageSize is the outbox's items per page.
const pageSize = 20

func (m *Module) outbox(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	base, _, err := m.base(r)
	if err != nil {
		return err
	}
	id := base + fediverse.OutboxPath
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		_, total, err := m.store.OutboxPage(r.Context(), t.ID, 1, 0)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, activityType, map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "OrderedCollection",
			"totalItems": total, "first": id + "?page=1"})
	}
	if page > 10000 {
		return fediverse.ErrNotFound
	}
	items, total, err := m.store.OutboxPage(r.Context(), t.ID, page, pageSize)
	if err != nil {
		return err
	}
	acts := make([]any, len(items))
	for i, it := range items {
		acts[i] = fediverse.Create(base, it.Object)
		delete(acts[i].(map[string]any), "@context")
	}
	doc := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "?page=" + strconv.Itoa(page),
		"type": "OrderedCollectionPage", "partOf": id, "totalItems": total, "orderedItems": acts}
	if page*pageSize < total {
		doc["next"] = id + "?page=" + strconv.Itoa(page+1)
	}
	if page > 1 {
		doc["prev"] = id + "?page=" + strconv.Itoa(page-1)
	}
	return writeJSON(w, http.StatusOK, activityType, doc)
}

// followers gives the count only: who follows is personal data.
func (m *Module) followers(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	base, _, err := m.base(r)
	if err != nil {
		return err
	}
	n, err := m.store.FollowerCount(r.Context(), t.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, activityType, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": base + fediverse.FollowersPath, "type": "OrderedCollection", "totalItems": n})
}

// object answers an announced item, or sends a browser to its page.
func (m *Module) object(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	it, err := m.store.Item(r.Context(), t.ID, r.PathValue("kind"), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !wantsActivity(r) {
		w.Header().Set("Vary", "Accept")
		return publishingweb.SeeOther(w, r, pathOf(it.URL))
	}
	doc := map[string]any{"@context": "https://www.w3.org/ns/activitystreams"}
	for k, v := range it.Object {
		doc[k] = v
	}
	return writeJSON(w, http.StatusOK, activityType, doc)
}

// pathOf keeps a link's path: a redirect never leaves the site.
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	return "/"
}

func (m *Module) activity(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	base, _, err := m.base(r)
	if err != nil {
		return err
	}
	it, err := m.store.Item(r.Context(), t.ID, r.PathValue("kind"), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, activityType, fediverse.Create(base, it.Object))
}

// inbox receives another server's activity: read whole (1 MiB at most,
// the route's limit), limited per address, verified, handled.
func (m *Module) inbox(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, InboxAction, ""); err != nil {
		return err
	}
	err = m.store.Receive(r.Context(), t.ID, r, body)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusAccepted)
		return nil
	case errors.Is(err, fediverse.ErrUnreadable):
		return writeJSON(w, http.StatusBadRequest, "application/json", map[string]string{"error": "not an activity"})
	case errors.Is(err, fediverse.ErrUnsigned):
		m.s.Log().InfoContext(r.Context(), "fediverse: refused activity", "err", err)
		return writeJSON(w, http.StatusUnauthorized, "application/json", map[string]string{"error": "invalid signature"})
	}
	return err
}
