package fediverseweb

import (
	"html/template"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/capability/fediverse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// replyView is a reply as the moderators' page shows it.
type replyView struct {
	fediverse.Reply
	Content    template.HTML
	Date, ISO  string
	ItemTitle  string
	ItemURL    string
	AuthorLink string
}

// admin shows the actor's address, its followers' count, the replies to
// moderate and the kinds of publication it carries.
func (m *Module) admin(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	ctx := r.Context()
	base, loc, err := m.base(r)
	if err != nil {
		return err
	}
	a, err := m.store.Actor(ctx, t.ID)
	if err != nil {
		return err
	}
	n, err := m.store.FollowerCount(ctx, t.ID)
	if err != nil {
		return err
	}
	views := func(state string, limit int) ([]replyView, error) {
		list, err := m.store.Replies(ctx, t.ID, state, limit)
		if err != nil {
			return nil, err
		}
		out := make([]replyView, len(list))
		for i, rp := range list {
			at := rp.Published.In(loc)
			v := replyView{Reply: rp, Content: template.HTML(fediverse.SanitizeReply(rp.HTML)),
				Date: guichet.Date(at, web.LangOf(r)) + " " + at.Format("15:04"), ISO: at.Format(time.RFC3339)}
			if it, err := m.store.Item(ctx, t.ID, rp.Kind, rp.ItemID); err == nil {
				v.ItemTitle, v.ItemURL = it.Title, pathOf(it.URL)
			}
			if rp.AuthorURL != "" && (len(rp.AuthorURL) > 8 && (rp.AuthorURL[:8] == "https://" || rp.AuthorURL[:7] == "http://")) {
				v.AuthorLink = rp.AuthorURL
			}
			out[i] = v
		}
		return out, nil
	}
	pending, err := views(fediverse.Pending, 100)
	if err != nil {
		return err
	}
	approved, err := views(fediverse.Approved, 20)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	type kindRow struct {
		Name, Label string
		On          bool
	}
	kinds := make([]kindRow, len(fediverse.Kinds))
	for i, k := range fediverse.Kinds {
		kinds[i] = kindRow{Name: "publish_" + k, Label: p.T("fediverse.admin.publish." + k), On: a.Publish[k]}
	}
	p.Title = p.T("fediverse.admin.title")
	p.Data = map[string]any{"Handle": fediverse.Handle(base, t.Slug), "Mairie": fediverse.Handle(base, fediverse.Username),
		"Profile": fediverse.ActorPath, "Followers": n, "Pending": pending, "Approved": approved, "Kinds": kinds,
		"Outgoing": m.store.Outgoing, "Saved": r.URL.Query().Has("enregistre")}
	m.s.Render.Page(w, r, http.StatusOK, "fediverse/admin", p)
	return nil
}

// savePublish turns each kind's announcement on or off.
func (m *Module) savePublish(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	publish := map[string]bool{}
	for _, k := range fediverse.Kinds {
		publish[k] = r.PostForm.Get("publish_"+k) != ""
	}
	if err := m.store.SetPublish(r.Context(), t.ID, publish); err != nil {
		return err
	}
	m.s.Record(r, "fediverse.publish_saved", "")
	return publishingweb.SeeOther(w, r, "/gestion/fediverse?enregistre=1")
}

func (m *Module) approve(w http.ResponseWriter, r *http.Request) error { return m.moderate(w, r, true) }

func (m *Module) reject(w http.ResponseWriter, r *http.Request) error { return m.moderate(w, r, false) }

func (m *Module) moderate(w http.ResponseWriter, r *http.Request, approve bool) error {
	t := tenant.FromContext(r.Context())
	id := r.PathValue("id")
	if err := m.store.Moderate(r.Context(), t.ID, id, approve); err != nil {
		return err
	}
	action := "fediverse.reply_rejected"
	if approve {
		action = "fediverse.reply_approved"
	}
	m.s.Record(r, action, id)
	return publishingweb.SeeOther(w, r, "/gestion/fediverse")
}
