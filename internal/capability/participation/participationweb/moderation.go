package participationweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// The moderators' addresses beyond the queue's own.
const (
	BlocksPath  = QueuePath + "/bloques"
	spaceNewURL = SpacesAdminPath + "/nouveau"
	// maxBlockDays bounds a block's duration: longer is an account's
	// closure, which the staff do elsewhere.
	maxBlockDays = 365
)

// moderationRoutes: the charter, reports and appeals, the moderators'
// queue and the spaces' settings.
func (m *Module) moderationRoutes(s *web.Server) {
	mod := s.Staff(account.RoleModerator)
	s.Site("GET "+CharterPath, m.charter)
	s.Site("GET "+MessagesPath+"/{id}/signaler", m.reportForm, s.SignedIn)
	s.Site("POST "+MessagesPath+"/{id}/signaler", m.report, s.SignedIn)
	s.Site("GET "+MessagesPath+"/{id}/appel", m.appealPage, s.SignedIn)
	s.Site("POST "+MessagesPath+"/{id}/appel", m.appeal, s.SignedIn)
	s.Site("GET "+QueuePath, m.queue, mod)
	s.Site("POST "+QueuePath+"/messages/{id}", m.moderate, mod)
	s.Site("POST "+QueuePath+"/appels/{id}", m.decide, mod)
	s.Site("GET "+BlocksPath, m.blocks, mod)
	s.Site("POST "+BlocksPath, m.block, mod)
	s.Site("GET "+SpacesAdminPath, m.spacesAdmin, mod)
	s.Site("GET "+spaceNewURL, m.newSpace, mod)
	s.Site("POST "+spaceNewURL, m.createSpace, mod)
	s.Site("GET "+SpacesAdminPath+"/{id}", m.editSpace, mod)
	s.Site("POST "+SpacesAdminPath+"/{id}", m.updateSpace, mod)
}

// The confirmations of the moderation's pages, by their "?ok=".
var moderationNotices = map[string]string{
	"approuve":   "participation.moderation.notice.approved",
	"masque":     "participation.moderation.notice.hidden",
	"retabli":    "participation.moderation.notice.restored",
	"classe":     "participation.moderation.notice.dismissed",
	"decide":     "participation.moderation.notice.decided",
	"bloque":     "participation.moderation.notice.blocked",
	"debloque":   "participation.moderation.notice.unblocked",
	"appel":      "participation.moderation.notice.appealed",
	"cree":       "participation.spaces.notice.created",
	"enregistre": "participation.spaces.notice.saved",
}

func moderationNotice(r *http.Request, p *web.Page) {
	if key, ok := moderationNotices[r.URL.Query().Get("ok")]; ok {
		p.Notice = p.T(key)
	}
}

// modWhen writes a moment as pages show it, and as <time> reads it.
func (m *Module) modWhen(r *http.Request, p *web.Page, t time.Time) (string, string) {
	at := t.In(tenant.FromContext(r.Context()).Location())
	return guichet.Date(at, p.Lang) + " " + at.Format("15:04"), at.Format(time.RFC3339)
}

// charter is the public participation charter.
func (m *Module) charter(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.moderation.charter.title")
	t := tenant.FromContext(r.Context())
	p.Data = map[string]any{"Tenant": t, "HoldAt": participation.HoldAt, "NewDays": int(participation.NewAccount.Hours() / 24)}
	m.s.Render.Page(w, r, http.StatusOK, "participation/charter", p)
	return nil
}

// modMessage is a message as the moderation's pages quote it.
type modMessage struct {
	*participation.Message
	Thread    *participation.Thread
	When, ISO string
	// Link is the message in its thread's page.
	Link string
}

func (m *Module) modMessage(r *http.Request, p *web.Page, msg *participation.Message, t *participation.Thread) modMessage {
	when, iso := m.modWhen(r, p, msg.CreatedAt)
	return modMessage{Message: msg, Thread: t, When: when, ISO: iso, Link: t.Path() + "#message-" + msg.ID}
}

// modReasons are the report's reasons as radio buttons.
func modReasons(p *web.Page) []publishingweb.Option {
	out := make([]publishingweb.Option, len(participation.ReportReasons))
	for i, code := range participation.ReportReasons {
		out[i] = publishingweb.Option{Value: code, Label: p.T("participation.moderation.reason." + code)}
	}
	return out
}

// modVisible is the message of the path with its thread, for a
// report: only what readers see.
func (m *Module) modVisible(r *http.Request) (*participation.Message, *participation.Thread, error) {
	tid := tenant.FromContext(r.Context()).ID
	msg, err := m.store.Message(r.Context(), tid, r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	t, err := m.store.Thread(r.Context(), tid, msg.ThreadID)
	if err != nil {
		return nil, nil, err
	}
	if msg.State != participation.Visible || t.State != participation.Visible {
		return nil, nil, participation.ErrNotFound
	}
	return msg, t, nil
}

// reportForm shows the message quoted and the report's form.
func (m *Module) reportForm(w http.ResponseWriter, r *http.Request) error {
	msg, t, err := m.modVisible(r)
	if err != nil {
		return err
	}
	return m.renderReport(w, r, msg, t, http.StatusOK, nil)
}

func (m *Module) renderReport(w http.ResponseWriter, r *http.Request, msg *participation.Message, t *participation.Thread,
	status int, errs map[string]string) error {
	ctx := r.Context()
	id := account.FromContext(ctx)
	done, err := m.store.HasReported(ctx, msg.TenantID, msg.ID, id.UserID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.moderation.report.title")
	p.Data = map[string]any{"Message": m.modMessage(r, p, msg, t), "Reasons": modReasons(p), "Done": done,
		"Own": msg.AuthorID == id.UserID, "MaxComment": participation.MaxComment}
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "participation/report", p)
	return nil
}

// report records the reader's report, then goes back to the message.
func (m *Module) report(w http.ResponseWriter, r *http.Request) error {
	msg, t, err := m.modVisible(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, ReportLimit, ""); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	id := account.FromContext(r.Context())
	err = m.store.Report(r.Context(), msg.TenantID, msg.ID, id.UserID, r.PostForm.Get("reason"), r.PostForm.Get("comment"))
	switch {
	case guichet.FieldErrors(err) != nil:
		return m.renderReport(w, r, msg, t, http.StatusUnprocessableEntity, guichet.FieldErrors(err))
	case errors.Is(err, participation.ErrReported), errors.Is(err, participation.ErrOwnMessage):
		return m.renderReport(w, r, msg, t, http.StatusConflict, nil)
	case err != nil:
		return err
	}
	anchor := "#message-"
	if t.Kind == participation.Debate {
		anchor = "#argument-"
	}
	return publishingweb.SeeOther(w, r, t.Path()+"?ok=signale"+anchor+msg.ID)
}

// modHidden is the path's hidden message when the signed-in person
// wrote it; anyone else finds nothing.
func (m *Module) modHidden(r *http.Request) (*participation.Message, *participation.Thread, error) {
	tid := tenant.FromContext(r.Context()).ID
	msg, err := m.store.Message(r.Context(), tid, r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	if msg.AuthorID == "" || msg.AuthorID != account.FromContext(r.Context()).UserID {
		return nil, nil, participation.ErrNotFound
	}
	t, err := m.store.Thread(r.Context(), tid, msg.ThreadID)
	if err != nil {
		return nil, nil, err
	}
	return msg, t, nil
}

// appealPage shows the author their hidden message, the moderator's
// reason, and the appeal's form or the appeal's state.
func (m *Module) appealPage(w http.ResponseWriter, r *http.Request) error {
	msg, t, err := m.modHidden(r)
	if err != nil {
		return err
	}
	return m.renderAppeal(w, r, msg, t, http.StatusOK, nil)
}

func (m *Module) renderAppeal(w http.ResponseWriter, r *http.Request, msg *participation.Message, t *participation.Thread,
	status int, errs map[string]string) error {
	a, err := m.store.AppealOf(r.Context(), msg.TenantID, msg.ID)
	if errors.Is(err, participation.ErrNotFound) {
		a, err = nil, nil
	}
	if err != nil {
		return err
	}
	// Once restored, the message shows again; a message never hidden has
	// nothing to appeal.
	if a == nil && msg.State != participation.Hidden {
		return participation.ErrNotFound
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.moderation.appeal.title")
	data := map[string]any{"Message": m.modMessage(r, p, msg, t), "Appeal": a, "MaxAppeal": participation.MaxAppeal}
	if a != nil {
		data["Sent"], data["SentISO"] = m.modWhen(r, p, a.CreatedAt)
		if a.DecidedAt != nil {
			data["Decided"], data["DecidedISO"] = m.modWhen(r, p, *a.DecidedAt)
		}
	}
	p.Data = data
	p.Errors, p.Form = errs, r.PostForm
	moderationNotice(r, p)
	m.s.Render.Page(w, r, status, "participation/appeal", p)
	return nil
}

// appeal records the author's appeal.
func (m *Module) appeal(w http.ResponseWriter, r *http.Request) error {
	msg, t, err := m.modHidden(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, ReportLimit, ""); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err = m.store.Appeal(r.Context(), msg.TenantID, msg.ID, msg.AuthorID, r.PostForm.Get("text"))
	switch {
	case guichet.FieldErrors(err) != nil:
		return m.renderAppeal(w, r, msg, t, http.StatusUnprocessableEntity, guichet.FieldErrors(err))
	case errors.Is(err, participation.ErrAppealed):
		return m.renderAppeal(w, r, msg, t, http.StatusConflict, nil)
	case err != nil:
		return err
	}
	return publishingweb.SeeOther(w, r, participation.AppealPath(msg.ID)+"?ok=appel")
}

// modItem is a message of the queue with its author as moderators
// know them.
type modItem struct {
	modMessage
	Email   string
	Reports []modReport
	Reasons []modReason
}

type modReport struct{ Reason, Comment, When, ISO string }

type modReason struct {
	Label string
	Count int
}

type modAppeal struct {
	*participation.Appeal
	Message   modMessage
	Email     string
	When, ISO string
}

// modEmail finds an author's address for the moderators, once per
// author.
func (m *Module) modEmail(r *http.Request, cache map[string]string, userID string) string {
	if userID == "" {
		return ""
	}
	if e, ok := cache[userID]; ok {
		return e
	}
	u, err := m.k.Accounts.Get(r.Context(), tenant.FromContext(r.Context()).ID, userID)
	email := ""
	if err == nil {
		email = u.Email
	}
	cache[userID] = email
	return email
}

// queue is the moderators' page: held messages, reported messages and
// appeals, each with its count and its forms.
func (m *Module) queue(w http.ResponseWriter, r *http.Request) error {
	q, err := m.store.Queue(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	return m.renderQueue(w, r, q, http.StatusOK, "", nil)
}

func (m *Module) renderQueue(w http.ResponseWriter, r *http.Request, q *participation.Queue, status int, target string,
	errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.moderation.queue.title")
	emails := map[string]string{}
	item := func(it *participation.QueueItem) modItem {
		v := modItem{modMessage: m.modMessage(r, p, it.Message, it.Thread), Email: m.modEmail(r, emails, it.Message.AuthorID)}
		for _, rep := range it.Reports {
			when, iso := m.modWhen(r, p, rep.CreatedAt)
			v.Reports = append(v.Reports, modReport{Reason: p.T("participation.moderation.reason." + rep.Reason),
				Comment: rep.Comment, When: when, ISO: iso})
		}
		for _, rc := range it.Reasons() {
			v.Reasons = append(v.Reasons, modReason{Label: p.T("participation.moderation.reason." + rc.Reason), Count: rc.Count})
		}
		return v
	}
	var held, reported []modItem
	for _, it := range q.Held {
		held = append(held, item(it))
	}
	for _, it := range q.Reported {
		reported = append(reported, item(it))
	}
	var appeals []modAppeal
	for _, a := range q.Appeals {
		when, iso := m.modWhen(r, p, a.CreatedAt)
		appeals = append(appeals, modAppeal{Appeal: a, Message: m.modMessage(r, p, a.Message, a.Thread),
			Email: m.modEmail(r, emails, a.AuthorID), When: when, ISO: iso})
	}
	p.Data = map[string]any{"Queue": q, "Held": held, "Reported": reported, "Appeals": appeals, "HoldAt": participation.HoldAt,
		"Target": target}
	p.Errors, p.Form = errs, r.PostForm
	if status == http.StatusOK {
		moderationNotice(r, p)
	}
	m.s.Render.Page(w, r, status, "participation/queue", p)
	return nil
}

// moderate acts on a message of the queue: approve a held one, hide one
// with a reason, restore a hidden one, or dismiss its reports.
func (m *Module) moderate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	tid, id := tenant.FromContext(ctx).ID, r.PathValue("id")
	moderator := account.FromContext(ctx).UserID
	if _, err := m.store.Message(ctx, tid, id); err != nil {
		return err
	}
	var err error
	var ok string
	switch r.PostForm.Get("action") {
	case "approuver":
		_, err = m.store.Approve(ctx, tid, id, moderator)
		ok = "approuve"
	case "masquer":
		_, err = m.store.Hide(ctx, tid, id, r.PostForm.Get("reason"), moderator)
		ok = "masque"
	case "retablir":
		_, err = m.store.Restore(ctx, tid, id, moderator)
		ok = "retabli"
	case "classer":
		err = m.store.Dismiss(ctx, tid, id)
		ok = "classe"
	default:
		err = guichet.Invalid(map[string]string{"action": "Choisissez ce que vous faites de ce message."})
	}
	if fields := guichet.FieldErrors(err); fields != nil || errors.Is(err, participation.ErrNotModerable) {
		q, qerr := m.store.Queue(ctx, tid)
		if qerr != nil {
			return qerr
		}
		if fields == nil {
			fields = map[string]string{"action": err.Error()}
		}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, participation.ErrNotModerable) {
			status = http.StatusConflict
		}
		return m.renderQueue(w, r, q, status, id, modFields(fields, id))
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "participation.moderation."+ok, id)
	return publishingweb.SeeOther(w, r, QueuePath+"?ok="+ok)
}

// modFields names a form's fields after the item they belong to, the
// queue holding one form per item.
func modFields(fields map[string]string, id string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k+"-"+id] = v
	}
	return out
}

// decide restores a message or upholds its hiding on appeal.
func (m *Module) decide(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	tid, id := tenant.FromContext(ctx).ID, r.PathValue("id")
	if _, err := m.store.GetAppeal(ctx, tid, id); err != nil {
		return err
	}
	decision := r.PostForm.Get("decision")
	var err error
	switch decision {
	case participation.Restored, participation.Upheld:
		_, err = m.store.DecideAppeal(ctx, tid, id, decision == participation.Restored, r.PostForm.Get("answer"),
			account.FromContext(ctx).UserID)
	default:
		err = guichet.Invalid(map[string]string{"decision": "Choisissez de rétablir le message ou de maintenir la décision."})
	}
	if fields := guichet.FieldErrors(err); fields != nil || errors.Is(err, participation.ErrNotModerable) {
		q, qerr := m.store.Queue(ctx, tid)
		if qerr != nil {
			return qerr
		}
		status := http.StatusUnprocessableEntity
		if fields == nil {
			fields, status = map[string]string{"answer": err.Error()}, http.StatusConflict
		}
		return m.renderQueue(w, r, q, status, id, modFields(fields, id))
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "participation.moderation.appeal_"+decision, id)
	return publishingweb.SeeOther(w, r, QueuePath+"?ok=decide")
}

// modBlock is a block as the moderators' list shows it.
type modBlock struct {
	*participation.Block
	Until, UntilISO string
}

// blocks lists the blocked residents and the form to block one.
func (m *Module) blocks(w http.ResponseWriter, r *http.Request) error {
	return m.renderBlocks(w, r, http.StatusOK, nil)
}

func (m *Module) renderBlocks(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	list, err := m.store.Blocks(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.moderation.blocks.title")
	views := make([]modBlock, len(list))
	for i, b := range list {
		views[i].Block = b
		views[i].Until, views[i].UntilISO = m.modWhen(r, p, b.Until)
	}
	p.Data = map[string]any{"Blocks": views, "MaxDays": maxBlockDays}
	p.Errors, p.Form = errs, r.PostForm
	if p.Form == nil || p.Form.Get("days") == "" {
		form := url.Values{}
		for k, v := range r.PostForm {
			form[k] = v
		}
		form.Set("days", "30")
		p.Form = form
	}
	if status == http.StatusOK {
		moderationNotice(r, p)
	}
	m.s.Render.Page(w, r, status, "participation/blocks", p)
	return nil
}

// block blocks a resident found by their address, or unblocks one.
func (m *Module) block(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	tid := tenant.FromContext(ctx).ID
	f := r.PostForm
	if f.Get("action") == "debloquer" {
		if err := m.store.Unblock(ctx, tid, f.Get("user")); err != nil {
			return err
		}
		m.s.Record(r, "participation.moderation.unblocked", f.Get("user"))
		return publishingweb.SeeOther(w, r, BlocksPath+"?ok=debloque")
	}
	errs := map[string]string{}
	email := strings.TrimSpace(f.Get("email"))
	var userID string
	if email == "" {
		errs["email"] = "Indiquez l'adresse du compte à bloquer."
	} else if u, err := m.k.Accounts.ByEmail(ctx, tid, email); err != nil {
		errs["email"] = "Aucun compte n'a cette adresse."
	} else if id := account.FromContext(ctx); u.ID == id.UserID {
		errs["email"] = "Vous ne pouvez pas vous bloquer vous-même."
	} else {
		userID = u.ID
	}
	days, err := strconv.Atoi(strings.TrimSpace(f.Get("days")))
	if err != nil || days < 1 || days > maxBlockDays {
		errs["days"] = "La durée se compte en jours, de 1 à 365."
	}
	if strings.TrimSpace(f.Get("reason")) == "" {
		errs["reason"] = "Donnez la raison : son auteur et les lecteurs la liront."
	}
	if len(errs) == 0 {
		until := m.k.Now().Add(time.Duration(days) * 24 * time.Hour)
		err := m.store.Block(ctx, tid, userID, f.Get("reason"), until, account.FromContext(ctx).UserID)
		if fields := guichet.FieldErrors(err); fields != nil {
			errs = fields
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return m.renderBlocks(w, r, http.StatusUnprocessableEntity, errs)
	}
	m.s.Record(r, "participation.moderation.blocked", userID)
	return publishingweb.SeeOther(w, r, BlocksPath+"?ok=bloque")
}

// spacesAdmin lists the spaces with their rules.
func (m *Module) spacesAdmin(w http.ResponseWriter, r *http.Request) error {
	list, err := m.store.Spaces(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.spaces.admin.title")
	p.Data = map[string]any{"Spaces": list}
	moderationNotice(r, p)
	m.s.Render.Page(w, r, http.StatusOK, "participation/spaces_admin", p)
	return nil
}

// newSpace is the form of a new space: links allowed, as most spaces.
func (m *Module) newSpace(w http.ResponseWriter, r *http.Request) error {
	return m.renderSpaceForm(w, r, &participation.Space{Rules: participation.Rules{LinksAllowed: true}}, http.StatusOK, nil)
}

// editSpace is a space's form.
func (m *Module) editSpace(w http.ResponseWriter, r *http.Request) error {
	sp, err := m.store.Space(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderSpaceForm(w, r, sp, http.StatusOK, nil)
}

func (m *Module) renderSpaceForm(w http.ResponseWriter, r *http.Request, sp *participation.Space, status int, errs map[string]string) error {
	list, err := m.k.Communities(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	communities := make([]publishingweb.Option, len(list))
	for i, c := range list {
		communities[i] = publishingweb.Option{Value: c.ID, Label: c.Name}
	}
	p := m.s.Render.NewPage(r, "", nil)
	if sp.ID == "" {
		p.Title = p.T("participation.spaces.admin.new_title")
	} else {
		p.Title = p.T("participation.spaces.admin.edit_title", sp.Name)
	}
	form := url.Values{"name": {sp.Name}, "slug": {sp.Slug}, "description": {sp.Description}, "community": {sp.CommunityID},
		"position": {strconv.Itoa(sp.Position)}}
	p.Data = map[string]any{"Space": sp, "Communities": communities}
	p.Errors, p.Form = errs, form
	if status == http.StatusOK {
		moderationNotice(r, p)
	}
	m.s.Render.Page(w, r, status, "participation/space_form", p)
	return nil
}

// spaceFromForm reads a space's fields; the community's name is copied
// from the communities when one is chosen.
func (m *Module) spaceFromForm(r *http.Request, sp *participation.Space) (map[string]string, error) {
	f := r.PostForm
	sp.Name, sp.Slug, sp.Description = f.Get("name"), f.Get("slug"), f.Get("description")
	sp.Rules = participation.Rules{PremoderateNew: f.Get("premoderate") == "1", LinksAllowed: f.Get("links") == "1"}
	errs := map[string]string{}
	pos := strings.TrimSpace(f.Get("position"))
	sp.Position = 0
	if pos != "" {
		n, err := strconv.Atoi(pos)
		if err != nil || n < 0 || n > 9999 {
			errs["position"] = "L'ordre est un nombre entier, de 0 à 9999."
		}
		sp.Position = n
	}
	sp.CommunityID, sp.CommunityName = "", ""
	if id := f.Get("community"); id != "" {
		list, err := m.k.Communities(r.Context(), sp.TenantID)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if c.ID == id {
				sp.CommunityID, sp.CommunityName = c.ID, c.Name
			}
		}
		if sp.CommunityID == "" {
			errs["community"] = "Choisissez une communauté de la liste."
		}
	}
	return errs, nil
}

// saveSpace writes a space from the form, or shows the form again.
func (m *Module) saveSpace(w http.ResponseWriter, r *http.Request, sp *participation.Space, write func() error, action, ok string) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	errs, err := m.spaceFromForm(r, sp)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		err := write()
		switch {
		case errors.Is(err, participation.ErrSlugTaken):
			errs["slug"] = err.Error()
		case guichet.FieldErrors(err) != nil:
			errs = guichet.FieldErrors(err)
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		return m.renderSpaceForm(w, r, sp, http.StatusUnprocessableEntity, errs)
	}
	m.s.Record(r, "participation.spaces."+action, sp.ID)
	return publishingweb.SeeOther(w, r, SpacesAdminPath+"/"+sp.ID+"?ok="+ok)
}

// createSpace adds a space.
func (m *Module) createSpace(w http.ResponseWriter, r *http.Request) error {
	sp := &participation.Space{TenantID: tenant.FromContext(r.Context()).ID}
	return m.saveSpace(w, r, sp, func() error { return m.store.CreateSpace(r.Context(), sp) }, "created", "cree")
}

// updateSpace saves a space's fields and rules.
func (m *Module) updateSpace(w http.ResponseWriter, r *http.Request) error {
	sp, err := m.store.Space(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.saveSpace(w, r, sp, func() error { return m.store.UpdateSpace(r.Context(), sp) }, "updated", "enregistre")
}
