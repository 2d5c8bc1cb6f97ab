package participationweb

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// The discussions' addresses.
const (
	SpacesPath      = participation.BasePath + "/espaces"
	DiscussionsPath = participation.BasePath + "/discussions"
	MessagesPath    = participation.BasePath + "/messages"
)

// Bounds of what the discussions' pages list.
const (
	spaceThreads = 50
	// meetingChoices bounds the events read to offer the upcoming ones.
	meetingChoices = 50
)

// discussionRoutes: the spaces and their discussions.
func (m *Module) discussionRoutes(s *web.Server) {
	s.Site("GET "+SpacesPath+"/{slug}", m.space)
	s.Site("POST "+SpacesPath+"/{slug}/discussions", m.startDiscussion, s.SignedIn)
	s.Site("GET "+DiscussionsPath+"/{id}", m.discussion)
	s.Site("GET "+DiscussionsPath+"/{id}/direct", m.discussionLive)
	s.Site("POST "+DiscussionsPath+"/{id}/reponses", m.reply, s.SignedIn)
	s.Site("POST "+DiscussionsPath+"/{id}/suivre", m.follow, s.SignedIn)
	s.Site("POST "+DiscussionsPath+"/{id}/ne-plus-suivre", m.unfollow, s.SignedIn)
	s.Site("POST "+MessagesPath+"/{id}/reactions", m.react, s.SignedIn)
}

// Each page's confirmations, by the "?ok=" a form sends back with.
var threadNotices = map[string]string{
	"publiee":     "participation.discussions.notice.published",
	"relue":       "participation.discussions.notice.pending",
	"reponse":     "participation.discussions.notice.replied",
	"suivie":      "participation.discussions.notice.followed",
	"plus-suivie": "participation.discussions.notice.unfollowed",
	"signale":     "participation.moderation.notice.reported",
}

// viewerID is the signed-in person's id, empty for a visitor.
func viewerID(r *http.Request) string {
	if id := account.FromContext(r.Context()); id != nil {
		return id.UserID
	}
	return ""
}

// space shows a space: its description, its community, its threads, and
// the form to start a discussion.
func (m *Module) space(w http.ResponseWriter, r *http.Request) error {
	sp, err := m.store.SpaceBySlug(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return m.renderSpace(w, r, sp, http.StatusOK, nil)
}

func (m *Module) renderSpace(w http.ResponseWriter, r *http.Request, sp *participation.Space, status int, errs map[string]string) error {
	ctx := r.Context()
	threads, err := m.store.Threads(ctx, sp.TenantID, sp.ID, "", spaceThreads)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, sp.Name, nil)
	community := ""
	if sp.CommunityID != "" {
		list, err := m.k.Communities(ctx, sp.TenantID)
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.ID == sp.CommunityID {
				community = c.Path
			}
		}
	}
	signedIn := account.FromContext(ctx) != nil
	var meetings []publishingweb.Option
	if signedIn {
		events, err := m.upcomingEvents(ctx, sp.TenantID)
		if err != nil {
			return err
		}
		loc := tenant.FromContext(ctx).Location()
		for _, ev := range events {
			meetings = append(meetings, publishingweb.Option{Value: ev.ID,
				Label: ev.Title + " (" + guichet.LongDate(ev.Starts.In(loc), p.Lang) + ")"})
		}
	}
	p.Data = map[string]any{"Space": sp, "Description": publishing.HTML(sp.Description), "CommunityPath": community,
		"Threads": m.threadViews(r, p, threads), "SignedIn": signedIn, "Meetings": meetings}
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "participation/space", p)
	return nil
}

// upcomingEvent is an event of the agenda a discussion may prepare.
type upcomingEvent struct {
	ID, Title, Path string
	Starts          time.Time
}

// upcomingEvents lists the agenda's events that start after now, the
// soonest first.
func (m *Module) upcomingEvents(ctx context.Context, tenantID string) ([]upcomingEvent, error) {
	src, ok := m.k.PublicationsOf("event")
	if !ok || src.Recent == nil {
		return nil, nil
	}
	now := m.k.Now()
	list, err := src.Recent(ctx, tenantID, now, meetingChoices)
	if err != nil {
		return nil, err
	}
	var out []upcomingEvent
	for _, ev := range list {
		if ev.Starts.After(now) {
			out = append(out, upcomingEvent{ID: ev.ID, Title: ev.Title, Path: ev.Path, Starts: ev.Starts})
		}
	}
	for i := 1; i < len(out); i++ { // few: an insertion sort keeps it short
		for j := i; j > 0 && out[j].Starts.Before(out[j-1].Starts); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// startDiscussion opens a discussion in the space, tied to an upcoming
// meeting when one is chosen.
func (m *Module) startDiscussion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sp, err := m.store.SpaceBySlug(ctx, tenant.FromContext(ctx).ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, MessageLimit, ""); err != nil {
		return err
	}
	a, err := m.author(r)
	if err != nil {
		return err
	}
	t := &participation.Thread{Kind: participation.Discussion, Title: r.PostForm.Get("title")}
	if id := r.PostForm.Get("event"); id != "" {
		events, err := m.upcomingEvents(ctx, sp.TenantID)
		if err != nil {
			return err
		}
		for _, ev := range events {
			if ev.ID == id {
				t.EventID, t.EventTitle, t.EventPath, t.EventStarts = ev.ID, ev.Title, ev.Path, ev.Starts
			}
		}
		if t.EventID == "" {
			return m.renderSpace(w, r, sp, http.StatusUnprocessableEntity, errMeeting)
		}
	}
	msg, err := m.store.StartThread(ctx, sp, t, a, r.PostForm.Get("body"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderSpace(w, r, sp, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	if msg.State != participation.Visible {
		return publishingweb.SeeOther(w, r, t.Path()+"?ok=relue")
	}
	return publishingweb.SeeOther(w, r, t.Path()+"?ok=publiee")
}

// errMeeting is the field error of a meeting that is not one offered.
var errMeeting = map[string]string{"event": "Choisissez une rencontre à venir dans la liste."}

// openThread returns the request's discussion as r's viewer may read it:
// a debate has its own pages, a held or hidden thread shows to its author
// alone.
func (m *Module) openThread(r *http.Request) (*participation.Thread, error) {
	t, err := m.store.Thread(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if t.Kind != participation.Discussion {
		return nil, participation.ErrNotFound
	}
	if t.State != participation.Visible && (t.AuthorID == "" || t.AuthorID != viewerID(r)) {
		return nil, participation.ErrNotFound
	}
	return t, nil
}

// reactionView is one reaction button of a message.
type reactionView struct {
	Kind, Label string
	Count       int
	Mine        bool
}

// messageView is a message as pages show it (the partial
// "participation-message").
type messageView struct {
	*participation.Message
	// Date is when it was written; ISO the same for <time>.
	Date, ISO string
	// HTML is its text, links made links where its space allows them.
	HTML template.HTML
	// Own marks the viewer's message.
	Own bool
	// Reactions are its buttons, nil where none are offered.
	Reactions []reactionView
}

// messageViews prepares a thread's messages; reactions nil offers none.
func (m *Module) messageViews(r *http.Request, p *web.Page, list []*participation.Message, links bool,
	reactions map[string]*participation.Reactions) []messageView {
	loc := tenant.FromContext(r.Context()).Location()
	viewer := viewerID(r)
	out := make([]messageView, len(list))
	for i, msg := range list {
		at := msg.CreatedAt.In(loc)
		v := messageView{Message: msg, ISO: at.Format(time.RFC3339), HTML: MessageHTML(msg.Body, links),
			Date: p.T("participation.discussions.written_at", guichet.Date(at, p.Lang), clockTime(at, p.Lang)),
			Own:  viewer != "" && msg.AuthorID == viewer}
		if reactions != nil && msg.State == participation.Visible {
			mine := reactions[msg.ID]
			for _, kind := range participation.ReactionKinds {
				rv := reactionView{Kind: kind, Label: p.T("participation.discussions.reaction." + kind)}
				if mine != nil {
					rv.Count, rv.Mine = mine.Counts[kind], mine.Mine[kind]
				}
				v.Reactions = append(v.Reactions, rv)
			}
		}
		out[i] = v
	}
	return out
}

// discussion shows a discussion: its meeting, its messages with their
// reactions, the follow button and the reply form.
func (m *Module) discussion(w http.ResponseWriter, r *http.Request) error {
	t, err := m.openThread(r)
	if err != nil {
		return err
	}
	return m.renderDiscussion(w, r, t, http.StatusOK, nil)
}

func (m *Module) renderDiscussion(w http.ResponseWriter, r *http.Request, t *participation.Thread, status int, errs map[string]string) error {
	ctx := r.Context()
	sp, err := m.store.Space(ctx, t.TenantID, t.SpaceID)
	if err != nil {
		return err
	}
	viewer := viewerID(r)
	msgs, err := m.store.Messages(ctx, t.TenantID, t.ID, viewer)
	if err != nil {
		return err
	}
	reactions, err := m.store.ThreadReactions(ctx, t.TenantID, t.ID, viewer)
	if err != nil {
		return err
	}
	following, err := m.store.IsFollowing(ctx, t.TenantID, t.ID, viewer)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, t.Title, nil)
	loc := tenant.FromContext(ctx).Location()
	data := map[string]any{"Thread": t, "Space": sp, "Messages": m.messageViews(r, p, msgs, sp.Rules.LinksAllowed, reactions),
		"SignedIn": viewer != "", "Following": following, "Visible": t.State == participation.Visible, "Count": len(msgs)}
	if t.EventID != "" {
		starts := t.EventStarts.In(loc)
		data["Meeting"] = map[string]any{"Title": t.EventTitle, "Path": t.EventPath,
			"Date": p.T("participation.discussions.written_at", guichet.LongDate(starts, p.Lang), clockTime(starts, p.Lang)),
			"ISO":  starts.Format(time.RFC3339), "Upcoming": t.EventStarts.After(m.k.Now())}
	}
	p.Data = data
	p.Errors, p.Form = errs, r.PostForm
	if status == http.StatusOK {
		if key, ok := threadNotices[r.URL.Query().Get("ok")]; ok {
			p.Notice = p.T(key)
		}
	}
	m.s.Render.Page(w, r, status, "participation/thread", p)
	return nil
}

// reply adds the signed-in resident's message to a discussion.
func (m *Module) reply(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := m.openThread(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, MessageLimit, ""); err != nil {
		return err
	}
	sp, err := m.store.Space(ctx, t.TenantID, t.SpaceID)
	if err != nil {
		return err
	}
	a, err := m.author(r)
	if err != nil {
		return err
	}
	msg, err := m.store.Reply(ctx, sp, t, a, "", r.PostForm.Get("body"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderDiscussion(w, r, t, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	if msg.State != participation.Visible {
		return publishingweb.SeeOther(w, r, t.Path()+"?ok=relue#message-"+msg.ID)
	}
	// Readers with the page open hear of it; a lost event only costs them a reload.
	_ = m.k.Live.Publish(context.WithoutCancel(ctx), live.Event{TenantID: t.TenantID, Topic: liveTopic(t.ID), Name: "message"})
	return publishingweb.SeeOther(w, r, t.Path()+"?ok=reponse#message-"+msg.ID)
}

// clockTime writes the time of day as readers of lang do: "9 h 05",
// "09:05".
func clockTime(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("15:04")
	}
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// liveTopic is the live hub's topic of a discussion's new messages.
func liveTopic(threadID string) string { return "participation-discussion-" + threadID }

// discussionLive streams a discussion's new visible messages to its open
// pages, which offer to reload.
func (m *Module) discussionLive(w http.ResponseWriter, r *http.Request) error {
	t, err := m.openThread(r)
	if err != nil {
		return err
	}
	events, cancel, err := m.k.Live.Subscribe(t.TenantID, liveTopic(t.ID))
	if err != nil {
		return err
	}
	defer cancel()
	return live.Stream(w, r, events)
}

// follow makes the signed-in resident follow a discussion.
func (m *Module) follow(w http.ResponseWriter, r *http.Request) error {
	return m.setFollow(w, r, true)
}

// unfollow stops the signed-in resident following a discussion.
func (m *Module) unfollow(w http.ResponseWriter, r *http.Request) error {
	return m.setFollow(w, r, false)
}

func (m *Module) setFollow(w http.ResponseWriter, r *http.Request, on bool) error {
	t, err := m.openThread(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	user := viewerID(r)
	if on {
		if err := m.store.Follow(r.Context(), t.TenantID, t.ID, user); err != nil {
			return err
		}
		return publishingweb.SeeOther(w, r, t.Path()+"?ok=suivie")
	}
	if err := m.store.Unfollow(r.Context(), t.TenantID, t.ID, user); err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, t.Path()+"?ok=plus-suivie")
}

// react toggles the signed-in resident's reaction on a message, and
// brings them back to it.
func (m *Module) react(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tenantID := tenant.FromContext(ctx).ID
	msg, err := m.store.Message(ctx, tenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	t, err := m.store.Thread(ctx, tenantID, msg.ThreadID)
	if err != nil {
		return err
	}
	if t.State != participation.Visible || msg.State != participation.Visible {
		return participation.ErrNotFound
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	if _, err := m.store.React(ctx, tenantID, msg.ID, viewerID(r), r.PostForm.Get("kind")); err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, t.Path()+"#message-"+msg.ID)
}

// webAddress finds the addresses a message's text makes links of.
var webAddress = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)»]`)

// MessageHTML writes a message's plain text as HTML: paragraphs and line
// breaks kept, web addresses made links (marked as the residents', not
// the site's) where links is set.
func MessageHTML(body string, links bool) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			b.WriteString(linkify(line, links))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// linkify escapes a line, its web addresses made links when links is set.
func linkify(line string, links bool) string {
	if !links {
		return html.EscapeString(line)
	}
	var b strings.Builder
	last := 0
	for _, loc := range webAddress.FindAllStringIndex(line, -1) {
		b.WriteString(html.EscapeString(line[last:loc[0]]))
		addr := line[loc[0]:loc[1]]
		href := addr
		if !strings.HasPrefix(strings.ToLower(href), "http") {
			href = "https://" + href
		}
		b.WriteString(`<a href="` + html.EscapeString(href) + `" rel="nofollow ugc noopener">` + html.EscapeString(addr) + `</a>`)
		last = loc[1]
	}
	b.WriteString(html.EscapeString(line[last:]))
	return b.String()
}
