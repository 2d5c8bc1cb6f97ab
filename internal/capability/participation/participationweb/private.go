package participationweb

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// The private messages' addresses.
const (
	ConversationsPath   = participation.ConversationsPath
	PrivateSettingsPath = ConversationsPath + "/reglages"
	NewPrivatePath      = ConversationsPath + "/nouveau"
	StaffPrivatePath    = QueuePath + "/messages/nouveau"
)

// WritePrivatePath is the link « Écrire en privé » to userID.
func WritePrivatePath(userID string) string { return NewPrivatePath + "?a=" + userID }

// StaffWritePath is the moderators' link to write to userID for the
// mairie.
func StaffWritePath(userID string) string { return StaffPrivatePath + "?a=" + userID }

// privateRoutes: a person's conversations and their setting, a
// conversation, a new one to a resident, and the staff's form.
func (m *Module) privateRoutes(s *web.Server) {
	s.Render.AddPersonal(web.NavItem{Key: "participation.messages.nav", Path: ConversationsPath, Order: 36})
	s.Site("GET "+ConversationsPath, m.conversations, s.SignedIn)
	s.Site("POST "+PrivateSettingsPath, m.savePrivateSettings, s.SignedIn)
	s.Site("GET "+NewPrivatePath, m.newPrivate, s.SignedIn)
	s.Site("POST "+NewPrivatePath, m.sendPrivate, s.SignedIn)
	s.Site("GET "+ConversationsPath+"/{id}", m.conversation, s.SignedIn)
	s.Site("POST "+ConversationsPath+"/{id}", m.answerPrivate, s.SignedIn)
	s.Site("POST "+ConversationsPath+"/{id}/refuser", m.refusePrivate, s.SignedIn)
	s.Site("GET "+StaffPrivatePath, m.newPrivate, s.Staff(account.RoleModerator))
	s.Site("POST "+StaffPrivatePath, m.sendPrivate, s.Staff(account.RoleModerator))
}

var privateNotices = map[string]string{
	"enregistre": "participation.messages.notice.saved",
	"envoye":     "participation.messages.notice.sent",
	"refuse":     "participation.messages.notice.refused",
	"accepte":    "participation.messages.notice.accepted",
}

// conversationView is a conversation as a page shows it.
type conversationView struct {
	*participation.Conversation
	// With names the other side (the mairie for its conversations);
	// ForMairie: the reader writes in it for the mairie.
	With      string
	ForMairie bool
	Date, ISO string
	Path      string
}

// privateView is a message as the conversation shows it.
type privateView struct {
	*participation.PrivateMessage
	Author, Date, ISO string
	// HTML is its text in paragraphs, without links: a private message
	// is no place for them to be trusted.
	HTML template.HTML
}

// mairie is how a resident sees the staff's side of a conversation.
func mairie(p *web.Page, t *tenant.Tenant) string {
	return p.T("participation.messages.mairie", t.PlaceName())
}

func (m *Module) conversationView(p *web.Page, t *tenant.Tenant, c *participation.Conversation, userID string) conversationView {
	at := c.LastAt.In(t.Location())
	v := conversationView{Conversation: c, With: c.WithName, ForMairie: c.ByStaff && c.AID == userID,
		Date: guichet.Date(at, p.Lang) + " " + at.Format("15:04"), ISO: at.Format(time.RFC3339), Path: ConversationsPath + "/" + c.ID}
	if c.FromMairie {
		v.With = mairie(p, t)
	}
	return v
}

// conversations lists the person's conversations, those with unread
// messages first, and their choice of accepting private messages.
func (m *Module) conversations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	list, err := m.store.Conversations(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	accepts, err := m.store.AcceptsPrivate(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	views := make([]conversationView, len(list))
	for i, c := range list {
		views[i] = m.conversationView(p, t, c, id.UserID)
	}
	p.Title = p.T("participation.messages.title")
	if key, ok := privateNotices[r.URL.Query().Get("ok")]; ok {
		p.Notice = p.T(key)
	}
	p.Data = map[string]any{"Conversations": views, "Accepts": accepts}
	m.s.Render.Page(w, r, http.StatusOK, "participation/conversations", p)
	return nil
}

// savePrivateSettings records whether the person accepts private
// messages from other residents.
func (m *Module) savePrivateSettings(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	ctx := r.Context()
	id := account.FromContext(ctx)
	if err := m.store.SetAcceptsPrivate(ctx, tenant.FromContext(ctx).ID, id.UserID, r.PostForm.Get("accepter") == "1"); err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, ConversationsPath+"?ok=enregistre")
}

// staffSide reports whether the request writes for the mairie: the
// moderators' form.
func staffSide(r *http.Request) bool { return r.URL.Path == StaffPrivatePath }

// sender is the signed-in person writing: for the mairie from the
// moderators' form, as a resident from their own pages.
func (m *Module) sender(r *http.Request) (participation.Author, error) {
	a, err := m.author(r)
	a.Staff = staffSide(r)
	return a, err
}

// newPrivate is the form of a new conversation with the person ?a=,
// which says plainly when they do not accept private messages.
func (m *Module) newPrivate(w http.ResponseWriter, r *http.Request) error {
	return m.renderNewPrivate(w, r, http.StatusOK, nil)
}

func (m *Module) renderNewPrivate(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	from, err := m.sender(r)
	if err != nil {
		return err
	}
	to := r.URL.Query().Get("a")
	name, err := m.store.Recipient(ctx, t.ID, from, to)
	refused := err != nil && guichet.ErrorCode(err) != guichet.ENotFound
	if err != nil && !refused {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.messages.new.title", name)
	action := NewPrivatePath
	if from.Staff {
		action = StaffPrivatePath
	}
	var reason string
	switch {
	case errors.Is(err, participation.ErrBlocked):
		reason = p.T("participation.messages.new.blocked")
	case guichet.FieldErrors(err) != nil:
		reason = p.T("participation.messages.new.self")
	case refused:
		reason = p.T("participation.messages.new.refused", name)
	}
	p.Errors, p.Form = errs, r.PostForm
	p.Data = map[string]any{"Name": name, "To": to, "Action": action + "?a=" + to, "Refused": refused, "Reason": reason,
		"Staff": from.Staff, "Mairie": mairie(p, t)}
	m.s.Render.Page(w, r, status, "participation/pm_new", p)
	return nil
}

// sendPrivate starts the conversation and opens it.
func (m *Module) sendPrivate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, MessageLimit, ""); err != nil {
		return err
	}
	ctx := r.Context()
	from, err := m.sender(r)
	if err != nil {
		return err
	}
	c, err := m.store.StartConversation(ctx, tenant.FromContext(ctx).ID, from, r.URL.Query().Get("a"),
		r.PostForm.Get("subject"), r.PostForm.Get("body"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderNewPrivate(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, ConversationsPath+"/"+c.ID+"?ok=envoye")
}

// conversation shows a conversation to one of its two participants (404
// to anyone else), marks what they had not read, and offers the answer.
func (m *Module) conversation(w http.ResponseWriter, r *http.Request) error {
	return m.renderConversation(w, r, http.StatusOK, nil)
}

func (m *Module) renderConversation(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	c, msgs, err := m.store.ReadConversation(ctx, t.ID, r.PathValue("id"), id.UserID)
	if err != nil {
		return err
	}
	refused, err := m.store.BlocksPrivate(ctx, t.ID, id.UserID, c.WithID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	cv := m.conversationView(p, t, c, id.UserID)
	views := make([]privateView, len(msgs))
	for i, pm := range msgs {
		at := pm.CreatedAt.In(t.Location())
		v := privateView{PrivateMessage: pm, Author: cv.With, Date: guichet.Date(at, p.Lang) + " " + at.Format("15:04"),
			ISO: at.Format(time.RFC3339), HTML: MessageHTML(pm.Body, false)}
		switch {
		case pm.Mine:
			v.Author = p.T("participation.messages.you")
		case pm.ByStaff:
			v.Author = mairie(p, t)
		}
		views[i] = v
	}
	p.Title = c.Subject
	if key, ok := privateNotices[r.URL.Query().Get("ok")]; ok && status == http.StatusOK {
		p.Notice = p.T(key)
	}
	p.Errors, p.Form = errs, r.PostForm
	p.Data = map[string]any{"Conversation": cv, "Messages": views, "Refused": refused, "Mairie": mairie(p, t)}
	m.s.Render.Page(w, r, status, "participation/conversation", p)
	return nil
}

// answerPrivate adds the person's answer to the conversation.
func (m *Module) answerPrivate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.participant(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, MessageLimit, ""); err != nil {
		return err
	}
	ctx := r.Context()
	from, err := m.author(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	_, err = m.store.AnswerPrivate(ctx, tenant.FromContext(ctx).ID, id, from, r.PostForm.Get("body"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderConversation(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, ConversationsPath+"/"+id+"?ok=envoye#reponse")
}

// refusePrivate stops (refuser=1) or lets again (refuser=0) the other
// participant's private messages.
func (m *Module) refusePrivate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.participant(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	c, _, err := m.store.ReadConversation(ctx, t.ID, r.PathValue("id"), id.UserID)
	if err != nil {
		return err
	}
	notice := "accepte"
	if r.PostForm.Get("refuser") == "1" {
		notice, err = "refuse", m.store.BlockPrivate(ctx, t.ID, id.UserID, c.WithID)
	} else {
		err = m.store.UnblockPrivate(ctx, t.ID, id.UserID, c.WithID)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, ConversationsPath+"/"+c.ID+"?ok="+notice)
}

// participant refuses, as not found, a conversation the signed-in
// person does not take part in, before a limit counts the request.
func (m *Module) participant(r *http.Request) error {
	ctx := r.Context()
	return m.store.InConversation(ctx, tenant.FromContext(ctx).ID, r.PathValue("id"), account.FromContext(ctx).UserID)
}
