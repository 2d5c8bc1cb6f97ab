package procedureweb

import (
	"guichet/internal/kernel/live"
	"net/http"
	"sort"
	"time"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// caseData gathers what both the resident's and the agent's case pages show.
type caseData struct {
	Case      *procedure.Case
	Procedure *procedure.Procedure
	Lines     []answerLine
	Files     []procedure.StoredFile
	Events    []eventView
	Messages  []messageView
	Next      string
	Filed     string
	Deletion  string
	Decided   bool
	// ByLink says the case was opened by its emailed link, whose cookie
	// the page offers to forget; AccessHours is how long it outlives a visit.
	ByLink      bool
	AccessHours int
	// Application is the law's dates of an urban-planning application.
	Application *applicationView
}

// applicationView is an application's dates in words, for both sides.
type applicationView struct {
	*procedure.CaseApplication
	Kind                                                       string
	Filed, CompletenessBy, Complete, Ends, Decision, PiecesDue string
	Asked, Received                                            string
}

func (m *Module) applicationView(r *http.Request, c *procedure.Case, p *procedure.Procedure) (*applicationView, error) {
	if p.Application == "" || c.State == procedure.Draft {
		return nil, nil
	}
	a, err := m.store.Application(r.Context(), c)
	if a == nil || err != nil {
		return nil, err
	}
	lang := web.LangOf(r)
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return guichet.LongDate(t, lang)
	}
	v := &applicationView{CaseApplication: a, Filed: date(a.Filed), CompletenessBy: date(a.Dates.CompletenessBy),
		Complete: date(a.Dates.Complete), Ends: date(a.Dates.Ends), Decision: date(a.Dates.Decision),
		PiecesDue: date(a.Dates.PiecesDue), Asked: date(a.PiecesAsked), Received: date(a.PiecesReceived)}
	if kind, err := m.store.ApplicationKind(a.Kind); err == nil {
		v.Kind = kind.Name + " (cerfa " + kind.Number + ")"
	}
	return v, nil
}

// messageView is a message with its time in local words; Request marks
// an agent's request for documents, shown among the messages.
type messageView struct {
	*procedure.Message
	When    string
	Request bool
}

// eventView is a history line with its time already in local words.
type eventView struct {
	procedure.Event
	When string
}

func (m *Module) loadCase(r *http.Request, c *procedure.Case, p *procedure.Procedure) (*caseData, error) {
	t := tenant.FromContext(r.Context())
	loc := t.Location()
	d := &caseData{Case: c, Procedure: p, Next: m.nextStep(r, c, p, t), Decided: c.State == procedure.Accepted || c.State == procedure.Refused}
	form, err := m.store.Form(r.Context(), t.ID, p.ID, c.Version)
	if err != nil {
		return nil, err
	}
	d.Lines = summary(form, c.Answers)
	if d.Files, err = m.store.CaseFiles(r.Context(), t.ID, c.ID); err != nil {
		return nil, err
	}
	evs, err := m.store.Events(r.Context(), t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		d.Events = append(d.Events, eventView{e, procedure.FrenchDateTime(e.At, loc)})
	}
	msgs, err := m.store.Messages(r.Context(), t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	d.Messages = thread(evs, msgs, loc)
	if c.SubmittedAt != nil {
		d.Filed = procedure.FrenchDateTime(*c.SubmittedAt, loc)
	}
	if c.DeleteAfter != nil {
		d.Deletion = procedure.FrenchDate(*c.DeleteAfter, loc)
	}
	if d.Application, err = m.applicationView(r, c, p); err != nil {
		return nil, err
	}
	return d, nil
}

// thread is the case's messages with the agents' requests for documents
// among them, oldest first: a request's reason is written to the resident,
// who answers it with a message, so both sides read it with the messages
// and not only in the history.
func thread(evs []procedure.Event, msgs []*procedure.Message, loc *time.Location) []messageView {
	var out []messageView
	for _, e := range evs {
		if e.Kind == "state" && e.To == procedure.Waiting {
			out = append(out, messageView{Message: &procedure.Message{At: e.At, AuthorName: e.ActorName, FromStaff: true, Body: e.Reason},
				When: procedure.FrenchDateTime(e.At, loc), Request: true})
		}
	}
	for _, msg := range msgs {
		out = append(out, messageView{Message: msg, When: procedure.FrenchDateTime(msg.At, loc)})
	}
	// Stable: a request and the answer written in the same instant keep
	// that order.
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func (m *Module) caseView(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.residentCase(r)
	if err != nil {
		return err
	}
	return m.renderCase(w, r, c, p, http.StatusOK, nil)
}

// caseLive streams the notices of the resident's own case (server-sent
// events) while its page is open.
func (m *Module) caseLive(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.residentCase(r)
	if err != nil {
		return err
	}
	if m.store.Live == nil {
		return procedure.ErrNotFound
	}
	events, cancel, err := m.store.Live.Subscribe(c.TenantID, procedure.Topic(c.ID))
	if err != nil {
		return err
	}
	defer cancel()
	return live.Stream(w, r, events)
}

func (m *Module) renderCase(w http.ResponseWriter, r *http.Request, c *procedure.Case, p *procedure.Procedure, status int, errs map[string]string) error {
	d, err := m.loadCase(r, c, p)
	if err != nil {
		return err
	}
	d.ByLink, d.AccessHours = openedByLink(r, c), int(accessIdle.Hours())
	title := p.Title
	if c.Reference != "" {
		title = c.Reference + " – " + p.Title
	}
	page := m.s.Render.NewPage(r, title, d)
	page.Errors, page.Form = errs, r.PostForm
	if r.URL.Query().Get("enregistre") == "1" {
		page.Notice = m.s.Render.T(web.LangOf(r), "procedure.case.saved")
	}
	m.s.Render.Page(w, r, status, "procedure/case", page)
	return nil
}

func (m *Module) receipt(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.residentCase(r)
	if err != nil {
		return err
	}
	if c.State == procedure.Draft {
		return procedure.ErrNotFound
	}
	d, err := m.loadCase(r, c, p)
	if err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	page := m.s.Render.NewPage(r, m.s.Render.T(web.LangOf(r), "procedure.receipt.title")+" "+c.Reference,
		map[string]any{"D": d, "Deadline": procedure.DeadlineText(p, c, t.Location())})
	m.s.Render.Page(w, r, http.StatusOK, "procedure/receipt", page)
	return nil
}

// letterInfo gathers what the PDF letters need.
func (m *Module) letterInfo(r *http.Request, c *procedure.Case, p *procedure.Procedure) (procedure.LetterInfo, error) {
	t := tenant.FromContext(r.Context())
	form, err := m.store.Form(r.Context(), t.ID, p.ID, c.Version)
	if err != nil {
		return procedure.LetterInfo{}, err
	}
	fs, err := m.store.CaseFiles(r.Context(), t.ID, c.ID)
	var answerFiles []procedure.StoredFile
	for _, f := range fs {
		if f.FieldKey != "" {
			answerFiles = append(answerFiles, f)
		}
	}
	return procedure.LetterInfo{Authority: t.Name, Procedure: p, Case: c, Form: form, Files: answerFiles, Loc: t.Location()}, err
}

func (m *Module) receiptPDF(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.residentCase(r)
	if err != nil {
		return err
	}
	return m.writeReceipt(w, r, c, p)
}

func (m *Module) writeReceipt(w http.ResponseWriter, r *http.Request, c *procedure.Case, p *procedure.Procedure) error {
	if c.State == procedure.Draft {
		return procedure.ErrNotFound
	}
	in, err := m.letterInfo(r, c, p)
	if err != nil {
		return err
	}
	pdf, err := m.letters.Receipt(in)
	if err != nil {
		return err
	}
	return writePDF(w, "recepisse-"+c.Reference+".pdf", pdf)
}

func (m *Module) decisionPDF(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.residentCase(r)
	if err != nil {
		return err
	}
	return m.writeDecision(w, r, c, p)
}

func (m *Module) writeDecision(w http.ResponseWriter, r *http.Request, c *procedure.Case, p *procedure.Procedure) error {
	if !c.State.Closed() {
		return guichet.Errorf(guichet.ENotFound, "Aucune décision n'a encore été rendue.")
	}
	in, err := m.letterInfo(r, c, p)
	if err != nil {
		return err
	}
	reason, at := "", *c.ClosedAt
	evs, err := m.store.Events(r.Context(), c.TenantID, c.ID)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if e.To == c.State {
			reason = e.Reason
		}
	}
	pdf, err := m.letters.Decision(in, reason, at)
	if err != nil {
		return err
	}
	return writePDF(w, "decision-"+c.Reference+".pdf", pdf)
}

func writePDF(w http.ResponseWriter, name string, pdf []byte) error {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err := w.Write(pdf)
	return err
}

func (m *Module) residentMessage(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.residentCase(r)
	if err != nil {
		return err
	}
	// A message may carry files and mails the case's agents.
	if err := m.s.Limit(r, abuse.Upload, ""); err != nil {
		return err
	}
	ups, status, errs, done, err := messageUploads(w, r)
	defer done()
	if err != nil {
		return err
	}
	if errs != nil {
		return m.renderCase(w, r, c, p, status, errs)
	}
	if err := m.svc.Reply(r.Context(), c, p, r.PostForm.Get("body"), ups, m.site(r)); err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return m.renderCase(w, r, c, p, http.StatusUnprocessableEntity, fieldsOrBody(err))
		}
		return err
	}
	return web.Redirect(w, r, casePath(c.ID)+"#messages")
}

// fieldsOrBody returns err's field messages, or its message under the
// message body's field when it names no field.
func fieldsOrBody(err error) map[string]string {
	if fields := guichet.FieldErrors(err); fields != nil {
		return fields
	}
	return map[string]string{"body": guichet.ErrorMessage(err)}
}

func (m *Module) download(w http.ResponseWriter, r *http.Request) error {
	c, _, err := m.residentCase(r)
	if err != nil {
		return err
	}
	f, err := m.store.File(r.Context(), c.TenantID, c.ID, r.PathValue("file"))
	if err != nil {
		return err
	}
	return m.serveFile(w, r, f)
}
