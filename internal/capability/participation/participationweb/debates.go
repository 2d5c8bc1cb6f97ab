package participationweb

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// DebatesAdminPath is where moderators open and close debates.
const DebatesAdminPath = QueuePath + "/debats"

// debateList bounds the debates the list reads: a commune opens a few a
// year.
const debateList = 200

// debateRoutes: the debates and their arguments.
func (m *Module) debateRoutes(s *web.Server) {
	s.Site("GET "+DebatesPath, m.debates)
	s.Site("GET "+DebatesPath+"/{id}", m.debate)
	s.Site("GET "+DebatesPath+"/{id}/arguments/{arg}", m.debateArgument)
	s.Site("POST "+DebatesPath+"/{id}/arguments", m.argue, s.SignedIn)
	s.Site("POST "+DebatesPath+"/{id}/arguments/{arg}/soutien", m.supportArgument, s.SignedIn)

	staff := s.Staff(account.RoleModerator)
	s.Site("GET "+DebatesAdminPath+"/nouveau", m.newDebateForm, staff)
	s.Site("POST "+DebatesAdminPath+"/nouveau", m.openDebate, staff)
	s.Site("GET "+DebatesAdminPath+"/{id}", m.debateAdmin, staff)
	s.Site("POST "+DebatesAdminPath+"/{id}/synthese", m.closeDebate, staff)
}

// debateNotices are the debate pages' confirmations, by the "?ok=" a
// form sends back with.
var debateNotices = map[string]string{
	"publie":   "participation.debates.notice.published",
	"relu":     "participation.debates.notice.pending",
	"soutenu":  "participation.debates.notice.supported",
	"retire":   "participation.debates.notice.withdrawn",
	"ouvert":   "participation.debates.notice.opened",
	"synthese": "participation.debates.notice.closed",
	"signale":  "participation.moderation.notice.reported",
}

func debateNotice(r *http.Request, p *web.Page) {
	if key, ok := debateNotices[r.URL.Query().Get("ok")]; ok {
		p.Notice = p.T(key)
	}
}

// debateViewer is the signed-in person's id, empty for a visitor.
func debateViewer(r *http.Request) string {
	if id := account.FromContext(r.Context()); id != nil {
		return id.UserID
	}
	return ""
}

// moderates reports whether the request's person moderates (admins too).
func moderates(r *http.Request) bool {
	id := account.FromContext(r.Context())
	return id != nil && id.IsStaff() && id.Has(account.RoleModerator)
}

// debateItem is a debate as the list shows it.
type debateItem struct {
	*participation.Thread
	// Date is its last activity's (its closing's once closed); ISO the
	// same for <time>.
	Date, ISO string
	// Summary is the start of a closed debate's summary.
	Summary string
}

// debates lists the open debates, then the closed ones with the start of
// their summary: one query.
func (m *Module) debates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	list, err := m.store.Threads(ctx, t.ID, "", participation.Debate, debateList)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	loc := t.Location()
	var open, closed []debateItem
	for _, th := range list {
		at := th.LastActivity
		if th.Closed() {
			at = *th.ClosedAt
		}
		at = at.In(loc)
		it := debateItem{Thread: th, Date: guichet.Date(at, p.Lang), ISO: at.Format(time.RFC3339)}
		if th.Closed() {
			it.Summary = debateCut(th.Summary, 240)
			closed = append(closed, it)
		} else {
			open = append(open, it)
		}
	}
	p.Title = p.T("participation.debates.title")
	p.Data = map[string]any{"Open": open, "Closed": closed, "Moderates": moderates(r)}
	m.s.Render.Page(w, r, http.StatusOK, "participation/debates", p)
	return nil
}

// openDebateThread returns the request's debate: a visible one, or a
// held or hidden one to its author and the moderators.
func (m *Module) openDebateThread(r *http.Request) (*participation.Thread, error) {
	t, err := m.store.Thread(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if t.Kind != participation.Debate {
		return nil, participation.ErrNotFound
	}
	if t.State != participation.Visible && !moderates(r) && (t.AuthorID == "" || t.AuthorID != debateViewer(r)) {
		return nil, participation.ErrNotFound
	}
	return t, nil
}

// argumentView is an argument as the debate pages show it.
type argumentView struct {
	*participation.Message
	// Date is when it was written; ISO the same for <time>.
	Date, ISO string
	HTML      template.HTML
	// Supported marks the viewer's support; CanSupport offers the button
	// (signed in, not their own, visible, the debate open).
	Supported, CanSupport bool
	// Path is its page, beside the strongest opposing argument.
	Path string
}

func (m *Module) argumentView(r *http.Request, p *web.Page, t *participation.Thread, msg *participation.Message,
	supported map[string]bool) *argumentView {
	if msg == nil {
		return nil
	}
	at := msg.CreatedAt.In(tenant.FromContext(r.Context()).Location())
	viewer := debateViewer(r)
	return &argumentView{Message: msg, ISO: at.Format(time.RFC3339), Date: guichet.Date(at, p.Lang),
		HTML: debateHTML(msg.Body), Supported: supported[msg.ID],
		CanSupport: viewer != "" && msg.AuthorID != viewer && msg.State == participation.Visible && !t.Closed(),
		Path:       t.Path() + "/arguments/" + msg.ID}
}

func (m *Module) argumentViews(r *http.Request, p *web.Page, t *participation.Thread, list []*participation.Message,
	supported map[string]bool) []*argumentView {
	out := make([]*argumentView, len(list))
	for i, msg := range list {
		out[i] = m.argumentView(r, p, t, msg, supported)
	}
	return out
}

// debateSide is one column of a debate.
type debateSide struct {
	Side, Heading string
	Arguments     []*argumentView
}

// debate shows a debate: its question and context, a closed one's
// summary, the two most supported arguments side by side, both sides
// sorted by support, and the form to argue. Four queries.
func (m *Module) debate(w http.ResponseWriter, r *http.Request) error {
	t, err := m.openDebateThread(r)
	if err != nil {
		return err
	}
	return m.renderDebate(w, r, t, http.StatusOK, nil)
}

func (m *Module) renderDebate(w http.ResponseWriter, r *http.Request, t *participation.Thread, status int, errs map[string]string) error {
	ctx := r.Context()
	sp, err := m.store.Space(ctx, t.TenantID, t.SpaceID)
	if err != nil {
		return err
	}
	args, err := m.store.Arguments(ctx, t.TenantID, t.ID, debateViewer(r))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, t.Title, nil)
	p.Errors = errs
	if errs != nil {
		p.Form = r.PostForm
	}
	sides := []debateSide{
		{Side: participation.For, Heading: p.N("participation.debates.side_for", len(args.For)),
			Arguments: m.argumentViews(r, p, t, args.For, args.Supported)},
		{Side: participation.Against, Heading: p.N("participation.debates.side_against", len(args.Against)),
			Arguments: m.argumentViews(r, p, t, args.Against, args.Supported)},
	}
	strongFor := m.argumentView(r, p, t, args.Strongest(participation.For), args.Supported)
	strongAgainst := m.argumentView(r, p, t, args.Strongest(participation.Against), args.Supported)
	var opening template.HTML
	if args.Opening != nil && args.Opening.State != participation.Hidden {
		opening = debateHTML(args.Opening.Body)
	}
	sideOptions := []publishingweb.Option{{Value: participation.For, Label: p.T("participation.debates.for")},
		{Value: participation.Against, Label: p.T("participation.debates.against")}}
	p.Data = map[string]any{"T": t, "Space": sp, "Context": opening, "Summary": debateHTML(t.Summary),
		"Sides": sides, "StrongFor": strongFor, "StrongAgainst": strongAgainst,
		"SideOptions": sideOptions, "SignedIn": account.FromContext(ctx) != nil, "Moderates": moderates(r),
		"Held": sp.Rules.PremoderateNew}
	debateNotice(r, p)
	m.s.Render.Page(w, r, status, "participation/debate", p)
	return nil
}

// debateArgument shows an argument with the strongest opposing one
// beside it. Four queries.
func (m *Module) debateArgument(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := m.openDebateThread(r)
	if err != nil {
		return err
	}
	msg, err := m.store.Message(ctx, t.TenantID, r.PathValue("arg"))
	if err != nil {
		return err
	}
	viewer := debateViewer(r)
	if msg.ThreadID != t.ID || msg.Opener || (msg.State != participation.Visible && (viewer == "" || msg.AuthorID != viewer)) {
		return participation.ErrNotFound
	}
	opposing, err := m.store.Opposing(ctx, msg)
	if err != nil {
		return err
	}
	supported, err := m.store.SupportedBy(ctx, t.TenantID, t.ID, viewer)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.debates.argument.title", msg.AuthorName)
	p.Data = map[string]any{"T": t, "Arg": m.argumentView(r, p, t, msg, supported),
		"Opposing": m.argumentView(r, p, t, opposing, supported), "Side": debateSideLabel(p, msg.Side),
		"OtherSide": debateSideLabel(p, participation.Other(msg.Side)), "SignedIn": viewer != ""}
	debateNotice(r, p)
	m.s.Render.Page(w, r, http.StatusOK, "participation/argument", p)
	return nil
}

func debateSideLabel(p *web.Page, side string) string {
	if side == participation.For {
		return p.T("participation.debates.for")
	}
	return p.T("participation.debates.against")
}

// argue adds the signed-in resident's argument, or shows the debate
// again with the errors and their text.
func (m *Module) argue(w http.ResponseWriter, r *http.Request) error {
	t, err := m.openDebateThread(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, MessageLimit, ""); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	sp, err := m.store.Space(r.Context(), t.TenantID, t.SpaceID)
	if err != nil {
		return err
	}
	a, err := m.author(r)
	if err != nil {
		return err
	}
	msg, err := m.store.Reply(r.Context(), sp, t, a, r.PostForm.Get("side"), r.PostForm.Get("body"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderDebate(w, r, t, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	ok := "publie"
	if msg.State != participation.Visible {
		ok = "relu"
	}
	return publishingweb.SeeOther(w, r, t.Path()+"?ok="+ok+"#argument-"+msg.ID)
}

// supportArgument gives the signed-in resident's support to an argument,
// or takes it back ("retirer"), and goes back where the button was.
func (m *Module) supportArgument(w http.ResponseWriter, r *http.Request) error {
	t, err := m.openDebateThread(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	msg, err := m.store.Message(r.Context(), t.TenantID, r.PathValue("arg"))
	if err != nil {
		return err
	}
	if msg.ThreadID != t.ID {
		return participation.ErrNotArgument
	}
	on := r.PostForm.Get("retirer") == ""
	if _, err := m.store.Support(r.Context(), t.TenantID, msg.ID, debateViewer(r), on); err != nil {
		return err
	}
	ok := "soutenu"
	if !on {
		ok = "retire"
	}
	// From an argument's page, back to it (the one read, not
	// necessarily the one supported).
	if from := r.PostForm.Get("depuis"); from != "" {
		if _, err := uuid.Parse(from); err == nil {
			return publishingweb.SeeOther(w, r, t.Path()+"/arguments/"+from+"?ok="+ok)
		}
	}
	return publishingweb.SeeOther(w, r, t.Path()+"?ok="+ok+"#argument-"+msg.ID)
}

// newDebateForm is the moderators' form to open a debate in a space.
func (m *Module) newDebateForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderNewDebate(w, r, http.StatusOK, nil)
}

func (m *Module) renderNewDebate(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	spaces, err := m.store.Spaces(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("participation.debates.new.title")
	p.Errors = errs
	p.Form = r.PostForm
	options := make([]publishingweb.Option, len(spaces))
	for i, sp := range spaces {
		options[i] = publishingweb.Option{Value: sp.ID, Label: sp.Name}
	}
	p.Data = map[string]any{"Spaces": options}
	m.s.Render.Page(w, r, status, "participation/debate_new", p)
	return nil
}

// openDebate opens a debate for the mairie: its opening message is the
// question's context.
func (m *Module) openDebate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	tid := tenant.FromContext(ctx).ID
	sp, err := m.store.Space(ctx, tid, r.PostForm.Get("space"))
	if guichet.ErrorCode(err) == guichet.ENotFound {
		return m.renderNewDebate(w, r, http.StatusUnprocessableEntity,
			guichet.FieldErrors(guichet.Invalid(map[string]string{"space": "Choisissez l'espace où ouvrir le débat."})))
	}
	if err != nil {
		return err
	}
	a, err := m.author(r)
	if err != nil {
		return err
	}
	// The opening speaks for the mairie, not for the moderator.
	a.Staff, a.Name = true, tenant.FromContext(ctx).Name
	t := &participation.Thread{Kind: participation.Debate, Title: r.PostForm.Get("title")}
	_, err = m.store.StartThread(ctx, sp, t, a, r.PostForm.Get("body"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderNewDebate(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "participation.debate_opened", t.ID)
	return publishingweb.SeeOther(w, r, DebatesAdminPath+"/"+t.ID+"?ok=ouvert")
}

// debateFigureRow is one side's figures on the moderators' page.
type debateFigureRow struct {
	Label                              string
	Visible, Pending, Hidden, Supports int
}

// debateAdmin shows a debate's figures to the moderators, with the form
// of its summary.
func (m *Module) debateAdmin(w http.ResponseWriter, r *http.Request) error {
	t, err := m.store.Thread(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if t.Kind != participation.Debate {
		return participation.ErrNotFound
	}
	return m.renderDebateAdmin(w, r, t, http.StatusOK, nil)
}

func (m *Module) renderDebateAdmin(w http.ResponseWriter, r *http.Request, t *participation.Thread, status int, errs map[string]string) error {
	figures, err := m.store.DebateFigures(r.Context(), t.TenantID, t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, t.Title, nil)
	rows := []*debateFigureRow{{Label: p.T("participation.debates.for")}, {Label: p.T("participation.debates.against")}}
	for _, f := range figures {
		row := rows[0]
		if f.Side == participation.Against {
			row = rows[1]
		}
		switch f.State {
		case participation.Visible:
			row.Visible += f.Arguments
			row.Supports += f.Supports
		case participation.Pending:
			row.Pending += f.Arguments
		default:
			row.Hidden += f.Arguments
		}
	}
	p.Errors = errs
	p.Form = r.PostForm
	summary := t.Summary
	if errs != nil {
		summary = r.PostForm.Get("summary")
	}
	var closedAt string
	if t.Closed() {
		closedAt = guichet.Date(t.ClosedAt.In(tenant.FromContext(r.Context()).Location()), p.Lang)
	}
	p.Data = map[string]any{"T": t, "Rows": rows, "Summary": summary, "ClosedAt": closedAt}
	debateNotice(r, p)
	m.s.Render.Page(w, r, status, "participation/debate_admin", p)
	return nil
}

// closeDebate closes a debate with the moderator's summary (or amends a
// closed one's).
func (m *Module) closeDebate(w http.ResponseWriter, r *http.Request) error {
	t, err := m.store.Thread(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if t.Kind != participation.Debate {
		return participation.ErrNotFound
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err = m.store.Close(r.Context(), t.TenantID, t.ID, r.PostForm.Get("summary"), debateViewer(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderDebateAdmin(w, r, t, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "participation.debate_closed", t.ID)
	return publishingweb.SeeOther(w, r, DebatesAdminPath+"/"+t.ID+"?ok=synthese")
}

// debateHTML shows a plain text: paragraphs on blank lines, line breaks
// kept.
func debateHTML(s string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(template.HTMLEscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}

// debateCut shortens s to about n characters, on a word.
func debateCut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
