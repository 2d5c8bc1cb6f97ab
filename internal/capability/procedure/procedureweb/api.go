package procedureweb

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

type apiProcedure struct {
	Slug         string          `json:"slug"`
	Title        string          `json:"title"`
	Summary      string          `json:"summary"`
	Anonymous    bool            `json:"anonymous"`
	DeadlineDays int             `json:"deadline_days"`
	Silence      string          `json:"silence"`
	Version      int             `json:"version"`
	Form         *procedure.Form `json:"form,omitempty"`
}

func toAPIProcedure(p *procedure.Procedure) apiProcedure {
	return apiProcedure{Slug: p.Slug, Title: p.Title, Summary: p.Summary, Anonymous: p.Anonymous,
		DeadlineDays: p.DeadlineDays, Silence: string(p.Silence), Version: p.Version}
}

type apiCase struct {
	ID          string            `json:"id"`
	Reference   string            `json:"reference"`
	Procedure   string            `json:"procedure"`
	State       string            `json:"state"`
	StateLabel  string            `json:"state_label"`
	Applicant   string            `json:"applicant"`
	Assignee    string            `json:"assignee"`
	Labels      []string          `json:"labels"`
	CreatedAt   time.Time         `json:"created_at"`
	SubmittedAt *time.Time        `json:"submitted_at"`
	DueAt       *time.Time        `json:"due_at"`
	DeleteAfter *time.Time        `json:"delete_after"`
	Answers     procedure.Answers `json:"answers,omitempty"`
}

func toAPICase(c *procedure.Case, slug string) apiCase {
	labels := c.Labels
	if labels == nil {
		labels = []string{}
	}
	return apiCase{ID: c.ID, Reference: c.Reference, Procedure: slug, State: string(c.State), StateLabel: c.State.Label(),
		Applicant: c.Applicant, Assignee: c.AssigneeName, Labels: labels, CreatedAt: c.CreatedAt, SubmittedAt: c.SubmittedAt,
		DueAt: c.DueAt, DeleteAfter: c.DeleteAfter, Answers: c.Answers}
}

func (m *Module) apiProcedures(w http.ResponseWriter, r *http.Request) error {
	procs, err := m.store.PublishedProcedures(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	out := []apiProcedure{}
	for _, p := range procs {
		out = append(out, toAPIProcedure(p))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"procedures": out})
	return nil
}

func (m *Module) apiProcedure(w http.ResponseWriter, r *http.Request) error {
	p, err := m.published(r)
	if err != nil {
		return err
	}
	out := toAPIProcedure(p)
	if out.Form, err = m.store.Form(r.Context(), p.TenantID, p.ID, p.Version); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (m *Module) slugs(r *http.Request) (map[string]*procedure.Procedure, error) {
	procs, err := m.store.Procedures(r.Context(), tenant.FromContext(r.Context()).ID)
	out := map[string]*procedure.Procedure{}
	for _, p := range procs {
		out[p.ID] = p
	}
	return out, err
}

func (m *Module) apiMine(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	cases, err := m.store.MyCases(r.Context(), t.ID, account.FromContext(r.Context()).UserID)
	if err != nil {
		return err
	}
	procs, err := m.slugs(r)
	if err != nil {
		return err
	}
	out := []apiCase{}
	for _, c := range cases {
		if p := procs[c.ProcedureID]; p != nil {
			ac := toAPICase(c, p.Slug)
			ac.Answers = nil
			out = append(out, ac)
		}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"cases": out})
	return nil
}

func (m *Module) apiCase(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.residentCase(r)
	if err != nil && account.FromContext(r.Context()).Has(account.RoleAgent) {
		c, p, err = m.staffCase(r)
	}
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, toAPICase(c, p.Slug))
	return nil
}

// apiCreateRequest opens a case, and files it when Submit is true.
type apiCreateRequest struct {
	Procedure string          `json:"procedure"`
	Answers   json.RawMessage `json:"answers"`
	Submit    bool            `json:"submit"`
}

func (m *Module) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiCreateRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		return guichet.Errorf(guichet.EInvalid, "Requête illisible : un objet JSON est attendu.")
	}
	t := tenant.FromContext(r.Context())
	id := account.FromContext(r.Context())
	p, err := m.store.ProcedureBySlug(r.Context(), t.ID, req.Procedure)
	if err != nil || !p.Published() {
		return procedure.ErrNotFound
	}
	form, err := m.store.Form(r.Context(), t.ID, p.ID, p.Version)
	if err != nil {
		return err
	}
	answers := procedure.Answers{}
	if len(req.Answers) > 0 {
		if answers, err = form.DecodeJSON(req.Answers); err != nil {
			return err
		}
	}
	c, err := m.svc.Create(r.Context(), p, form, procedure.Applicant{UserID: id.UserID, Email: id.Email, Name: id.Name,
		Lang: web.LangOf(r)}, answers, req.Submit)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, toAPICase(c, p.Slug))
	return nil
}

func (m *Module) apiInbox(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	procs, err := m.store.Procedures(r.Context(), t.ID)
	if err != nil {
		return err
	}
	f := m.filter(r, procs)
	rows, next, err := m.store.Inbox(r.Context(), t.ID, f)
	if err != nil {
		return err
	}
	m.s.Record(r, "procedure.inbox_viewed", r.URL.RawQuery)
	slug := map[string]string{}
	for _, p := range procs {
		slug[p.ID] = p.Slug
	}
	out := []apiCase{}
	for _, row := range rows {
		at := row.SubmittedAt
		labels := row.Labels
		if labels == nil {
			labels = []string{}
		}
		out = append(out, apiCase{ID: row.ID, Reference: row.Reference, Procedure: slug[row.ProcedureID], State: string(row.State),
			StateLabel: row.State.Label(), Applicant: row.Applicant, Assignee: row.AssigneeName, Labels: labels,
			CreatedAt: at, SubmittedAt: &at, DueAt: row.DueAt})
	}
	res := map[string]any{"cases": out, "next": nil}
	if next != nil {
		res["next"] = strconv.FormatInt(next.At.UnixNano(), 10) + "_" + next.ID
	}
	web.WriteJSON(w, http.StatusOK, res)
	return nil
}

type apiTransitionRequest struct {
	State  string `json:"state"`
	Reason string `json:"reason"`
}

func (m *Module) apiTransition(w http.ResponseWriter, r *http.Request) error {
	c, p, err := m.staffCase(r)
	if err != nil {
		return err
	}
	var req apiTransitionRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		return guichet.Errorf(guichet.EInvalid, "Requête illisible : un objet JSON est attendu.")
	}
	if err := m.store.Transition(r.Context(), c, p, procedure.State(req.State), actor(r), req.Reason); err != nil {
		return err
	}
	m.s.Record(r, "procedure.state."+req.State, c.ID)
	if err := m.svc.TellState(r.Context(), c, p, req.Reason, m.site(r)); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, toAPICase(c, p.Slug))
	return nil
}
