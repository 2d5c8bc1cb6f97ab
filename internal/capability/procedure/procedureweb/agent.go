package procedureweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// inboxRow is a line of the inbox with its dates in words.
type inboxRow struct {
	procedure.InboxRow
	Filed   string
	Due     string
	Late    bool
	StateFR string
}

// stateOption is a state for the filter's select.
type stateOption struct{ Value, Label string }

func stateOptions() []stateOption {
	var out []stateOption
	for _, s := range procedure.States[1:] {
		out = append(out, stateOption{string(s), s.Label()})
	}
	return out
}

func parseCursor(s string) *procedure.Cursor {
	at, id, ok := strings.Cut(s, "_")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil {
		return nil
	}
	return &procedure.Cursor{At: time.Unix(0, n).UTC(), ID: id}
}

func (m *Module) filter(r *http.Request, procs []*procedure.Procedure) procedure.InboxFilter {
	q := r.URL.Query()
	return procedure.InboxFilter{State: procedure.State(q.Get("etat")), ProcedureID: q.Get("demarche"),
		Assignee: q.Get("agent"), Overdue: q.Get("retard") == "1", Label: q.Get("etiquette"), Query: q.Get("q"),
		Procedures: scope(account.FromContext(r.Context()), procs), After: parseCursor(q.Get("apres")), Limit: 50}
}

func (m *Module) inbox(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	procs, err := m.store.Procedures(r.Context(), t.ID)
	if err != nil {
		return err
	}
	members, err := m.staff.List(r.Context(), t.ID)
	if err != nil {
		return err
	}
	f := m.filter(r, procs)
	rows, next, err := m.store.Inbox(r.Context(), t.ID, f)
	if err != nil {
		return err
	}
	m.s.Record(r, "procedure.inbox_viewed", r.URL.RawQuery)
	loc, now := t.Location(), m.store.Now()
	titles := map[string]string{}
	for _, p := range procs {
		titles[p.ID] = p.Title
	}
	views := make([]inboxRow, len(rows))
	for i, row := range rows {
		row.ProcedureTitle = titles[row.ProcedureID]
		views[i] = inboxRow{InboxRow: row, Filed: procedure.FrenchDateTime(row.SubmittedAt, loc), Late: row.Overdue(now), StateFR: row.State.Label()}
		if row.DueAt != nil {
			views[i].Due = procedure.FrenchDate(*row.DueAt, loc)
		}
	}
	var nextURL string
	if next != nil {
		q := r.URL.Query()
		q.Set("apres", strconv.FormatInt(next.At.UnixNano(), 10)+"_"+next.ID)
		nextURL = InboxPath + "?" + q.Encode()
	}
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.inbox.title"), map[string]any{
		"Rows": views, "Procedures": procs, "Agents": agents(members), "States": stateOptions(), "Next": nextURL,
		"Filter": r.URL.Query(), "First": r.URL.Query().Get("apres") != "", "ProcOptions": procOptions(procs),
		"IsAdmin": account.FromContext(r.Context()).Has(account.RoleAdmin), "Bulk": []option{
			{"assign", m.s.Render.T(web.LangOf(r), "procedure.bulk.assign")},
			{"label", m.s.Render.T(web.LangOf(r), "procedure.bulk.label")},
			{"unlabel", m.s.Render.T(web.LangOf(r), "procedure.bulk.unlabel")},
			{"instruction", m.s.Render.T(web.LangOf(r), "procedure.bulk.instruction")}}})
	page.Form = r.URL.Query()
	m.s.Render.Page(w, r, http.StatusOK, "procedure/inbox", page)
	return nil
}

func procOptions(procs []*procedure.Procedure) []option {
	out := make([]option, len(procs))
	for i, p := range procs {
		out[i] = option{p.ID, p.Title}
	}
	return out
}

// agentOption is an agent for the assignee selects.
type agentOption struct{ Value, Label string }

func agents(members []*staff.Member) []agentOption {
	var out []agentOption
	for _, mb := range members {
		if mb.Has(account.RoleAgent) || mb.Has(account.RoleAdmin) {
			out = append(out, agentOption{mb.UserID, mb.Name})
		}
	}
	return out
}

func (m *Module) memberName(r *http.Request, userID string) (string, error) {
	if userID == "" {
		return "", nil
	}
	mb, err := m.staff.Get(r.Context(), tenant.FromContext(r.Context()).ID, userID)
	if err != nil {
		return "", guichet.Invalid(map[string]string{"assignee": "Agent inconnu."})
	}
	return mb.Name, nil
}

// allowedIDs keeps the ids of cases the agent may see.
func (m *Module) allowedIDs(r *http.Request, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		r2 := r.Clone(r.Context())
		r2.SetPathValue("id", id)
		if _, _, err := m.staffCase(r2); err == nil {
			out = append(out, id)
		} else if guichet.ErrorCode(err) != guichet.ENotFound {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, guichet.Errorf(guichet.EInvalid, "Cochez au moins un dossier.")
	}
	return out, nil
}

func (m *Module) bulk(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ids, err := m.allowedIDs(r, r.Form["ids"])
	if err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	switch action := r.PostForm.Get("bulk"); {
	case action == "assign":
		name, err := m.memberName(r, r.PostForm.Get("assignee"))
		if err != nil {
			return err
		}
		err = m.store.Assign(r.Context(), t.ID, ids, r.PostForm.Get("assignee"), name, actor(r))
		if err != nil {
			return err
		}
	case action == "label", action == "unlabel":
		if err := m.store.Label(r.Context(), t.ID, ids, r.PostForm.Get("label"), action == "unlabel"); err != nil {
			return err
		}
	case action == "instruction":
		for _, id := range ids {
			c, err := m.store.Case(r.Context(), t.ID, id)
			if err != nil {
				return err
			}
			p, err := m.store.Procedure(r.Context(), t.ID, c.ProcedureID)
			if err != nil {
				return err
			}
			if c.State == procedure.Filed {
				if err := m.store.Transition(r.Context(), c, p, procedure.Instruction, actor(r), ""); err != nil {
					return err
				}
			}
		}
	default:
		return guichet.Errorf(guichet.EInvalid, "Choisissez une action.")
	}
	m.s.Record(r, "procedure.bulk", strings.Join(ids, ","))
	back := "/gestion/dossiers"
	if q := r.PostForm.Get("retour"); strings.HasPrefix(q, "?") {
		back += q
	}
	return web.Redirect(w, r, back)
}

func (m *Module) export(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	p, err := m.store.Procedure(r.Context(), t.ID, r.URL.Query().Get("demarche"))
	if err != nil {
		return err
	}
	if sc := scope(account.FromContext(r.Context()), []*procedure.Procedure{p}); sc != nil && len(sc) == 0 {
		return procedure.ErrNotFound
	}
	if p.Version == 0 {
		return guichet.Errorf(guichet.ENotFound, "Cette démarche n'a jamais été publiée.")
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="dossiers-`+p.Slug+`.csv"`)
	m.s.Record(r, "procedure.export", p.ID)
	_, _ = w.Write([]byte("\uFEFF")) // spreadsheet programs then read UTF-8
	return m.store.ExportCSV(r.Context(), w, p, t.Location())
}

func (m *Module) agentCase(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.staffCase(r)
	if err != nil {
		return err
	}
	m.s.Record(r, "procedure.case_viewed", c.ID)
	return m.renderAgentCase(w, r, c, p, http.StatusOK, nil)
}

func (m *Module) renderAgentCase(w http.ResponseWriter, r *http.Request, c *procedure.Case, p *procedure.Procedure, status int, errs map[string]string) error {
	d, err := m.loadCase(r, c, p)
	if err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	replies, err := m.store.CannedReplies(r.Context(), t.ID)
	if err != nil {
		return err
	}
	members, err := m.staff.List(r.Context(), t.ID)
	if err != nil {
		return err
	}
	var next []stateOption
	for _, s := range c.State.Next() {
		next = append(next, stateOption{string(s), s.Label()})
	}
	body := r.PostForm.Get("body")
	if rid := r.URL.Query().Get("reponse"); rid != "" && body == "" {
		if rep, err := m.store.CannedReply(r.Context(), t.ID, rid); err == nil {
			body = rep.Body
		}
	}
	page := m.s.Render.NewPage(r, c.Reference+" – "+p.Title, map[string]any{"D": d, "Replies": replies, "Next": next,
		"Agents": agents(members), "Body": body, "Due": dueText(c, t), "ReplyOptions": replyOptions(replies)})
	page.Errors, page.Form = errs, r.PostForm
	// The transition's redirect names the state it set; a stale link to a
	// case that moved on since confirms nothing.
	if ok := procedure.State(r.URL.Query().Get("ok")); status == http.StatusOK && ok == c.State && slices.Contains(procedure.States[2:], ok) {
		page.Notice = page.T("procedure.agent.done." + string(ok))
	}
	m.s.Render.Page(w, r, status, "procedure/agent_case", page)
	return nil
}

func replyOptions(rs []procedure.CannedReply) []option {
	out := make([]option, len(rs))
	for i, r := range rs {
		out[i] = option{r.ID, r.Title}
	}
	return out
}

// dueText is the decision's deadline while none is recorded: a decided
// case keeps its due date in the database, but it no longer means anything.
func dueText(c *procedure.Case, t *tenant.Tenant) string {
	if c.DueAt == nil || c.State.Closed() {
		return ""
	}
	return procedure.FrenchDate(*c.DueAt, t.Location())
}

func (m *Module) transition(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.staffCase(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	to, reason := procedure.State(r.PostForm.Get("state")), r.PostForm.Get("reason")
	if err := m.store.Transition(r.Context(), c, p, to, actor(r), reason); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderAgentCase(w, r, c, p, http.StatusUnprocessableEntity, fieldsOrBody(err))
		}
		return err
	}
	m.s.Record(r, "procedure.state."+string(to), c.ID)
	if err := m.svc.TellState(r.Context(), c, p, reason, m.site(r)); err != nil {
		return err
	}
	return web.Redirect(w, r, InboxPath+"/"+c.ID+"?ok="+string(to))
}

func (m *Module) agentMessage(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.staffCase(r)
	if err != nil {
		return err
	}
	ups, status, errs, done, err := messageUploads(w, r)
	defer done()
	if err != nil {
		return err
	}
	if errs != nil {
		return m.renderAgentCase(w, r, c, p, status, errs)
	}
	if _, err := m.store.AddMessage(r.Context(), c, actor(r), r.PostForm.Get("body"), ups); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderAgentCase(w, r, c, p, http.StatusUnprocessableEntity, fieldsOrBody(err))
		}
		return err
	}
	m.s.Record(r, "procedure.message_sent", c.ID)
	if err := m.svc.TellMessage(r.Context(), c, p, r.PostForm.Get("body"), m.site(r)); err != nil {
		return err
	}
	return web.Redirect(w, r, InboxPath+"/"+c.ID+"#messages")
}

func (m *Module) assign(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.staffCase(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	name, err := m.memberName(r, r.PostForm.Get("assignee"))
	if err != nil {
		return err
	}
	if err := m.store.Assign(r.Context(), c.TenantID, []string{c.ID}, r.PostForm.Get("assignee"), name, actor(r)); err != nil {
		return err
	}
	m.s.Record(r, "procedure.assigned", c.ID)
	return web.Redirect(w, r, InboxPath+"/"+c.ID)
}

func (m *Module) label(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.staffCase(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	remove := r.PostForm.Get("remove") != ""
	lbl := r.PostForm.Get("label")
	if remove {
		lbl = r.PostForm.Get("remove")
	}
	if err := m.store.Label(r.Context(), c.TenantID, []string{c.ID}, lbl, remove); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderAgentCase(w, r, c, p, http.StatusUnprocessableEntity, fieldsOrBody(err))
		}
		return err
	}
	m.s.Record(r, "procedure.labelled", c.ID)
	return web.Redirect(w, r, InboxPath+"/"+c.ID)
}

func (m *Module) agentDownload(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.staffCase(r)
	if err != nil {
		return err
	}
	f, err := m.store.File(r.Context(), c.TenantID, c.ID, r.PathValue("file"))
	if err != nil {
		return err
	}
	m.s.Record(r, "procedure.file_downloaded", c.ID+" "+f.ID)
	return m.serveFile(w, r, f)
}

// agentDecision sends an agent the decision letter of a closed case, the
// one its page links to.
func (m *Module) agentDecision(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.staffCase(r)
	if err != nil {
		return err
	}
	if c.State.Closed() {
		m.s.Record(r, "procedure.decision_downloaded", c.ID)
	}
	return m.writeDecision(w, r, c, p)
}

func (m *Module) replies(w http.ResponseWriter, r *http.Request) error {
	return m.renderReplies(w, r, http.StatusOK, nil)
}

func (m *Module) renderReplies(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.CannedReplies(r.Context(), t.ID)
	if err != nil {
		return err
	}
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.replies.title"), map[string]any{"Replies": list})
	page.Errors, page.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "procedure/replies", page)
	return nil
}

func (m *Module) addReply(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	if err := m.store.AddCannedReply(r.Context(), t.ID, r.PostForm.Get("title"), r.PostForm.Get("body")); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderReplies(w, r, http.StatusUnprocessableEntity, fieldsOrBody(err))
		}
		return err
	}
	return web.Redirect(w, r, RepliesPath)
}

func (m *Module) deleteReply(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.DeleteCannedReply(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(w, r, RepliesPath)
}
