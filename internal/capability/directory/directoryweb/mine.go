package directoryweb

import (
	"net/http"
	"net/url"

	"guichet"
	"guichet/internal/capability/directory"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// proposalView is a proposal as its author or staff read it.
type proposalView struct {
	*directory.Proposal
	Created, Decided, StatusLabel string
	Changed                       []fieldView
}

// fieldView is one changed field, labelled.
type fieldView struct {
	Label, Before, After string
}

func (m *Module) proposalView(r *http.Request, p *web.Page, pr *directory.Proposal) proposalView {
	loc := tenant.FromContext(r.Context()).Location()
	v := proposalView{Proposal: pr, Created: guichet.Date(pr.CreatedAt.In(loc), p.Lang),
		StatusLabel: p.T("directory.proposal.status." + pr.Status)}
	if pr.DecidedAt != nil {
		v.Decided = guichet.Date(pr.DecidedAt.In(loc), p.Lang)
	}
	for _, f := range pr.Fields() {
		fv := fieldView{Label: p.T("directory.field." + f.Key), Before: f.Before, After: f.After}
		switch f.Key {
		case "wheelchair":
			fv.Before, fv.After = p.T("directory.wheelchair."+f.Before), p.T("directory.wheelchair."+f.After)
		case "hearing_loop":
			fv.Before, fv.After = p.T("directory.yesno."+f.Before), p.T("directory.yesno."+f.After)
		}
		if fv.Before == "" {
			fv.Before = p.T("directory.proposal.empty")
		}
		if fv.After == "" {
			fv.After = p.T("directory.proposal.emptied")
		}
		v.Changed = append(v.Changed, fv)
	}
	return v
}

// mine lists the entries the signed-in person manages and what became
// of their proposals.
func (m *Module) mine(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	entries, err := m.store.ManagedBy(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	props, err := m.store.ProposalsBy(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.mine.title")
	views := make([]proposalView, len(props))
	for i, pr := range props {
		views[i] = m.proposalView(r, p, pr)
	}
	p.Data = map[string]any{"Entries": entries, "Proposals": views}
	if r.URL.Query().Get("envoye") != "" {
		p.Notice = p.T("directory.mine.sent")
	}
	m.s.Render.Page(w, r, http.StatusOK, "directory/mine", p)
	return nil
}

// changesValues fills the form with what a manager may change.
func changesValues(c directory.Changes) url.Values {
	v := url.Values{"summary": {c.Summary}, "description": {c.Description}, "address": {c.Address}, "postcode": {c.Postcode},
		"city": {c.City}, "opening_hours": {c.OpeningHours}, "phone": {c.Phone}, "email": {c.Email}, "website": {c.Website},
		"siret": {c.SIRET}, "wheelchair": {c.Wheelchair}, "accessibility": {c.Accessibility}}
	if c.HearingLoop {
		v.Set("hearing_loop", "1")
	}
	return v
}

// changesForm reads them back.
func changesForm(f url.Values) directory.Changes {
	return directory.Changes{Summary: f.Get("summary"), Description: f.Get("description"), Address: f.Get("address"),
		Postcode: f.Get("postcode"), City: f.Get("city"), OpeningHours: f.Get("opening_hours"), Phone: f.Get("phone"),
		Email: f.Get("email"), Website: f.Get("website"), SIRET: f.Get("siret"), Wheelchair: f.Get("wheelchair"),
		HearingLoop: f.Get("hearing_loop") != "", Accessibility: f.Get("accessibility")}
}

// proposeForm shows a managed entry's fields to change: those of the
// proposal still waiting, when there is one.
func (m *Module) proposeForm(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	e, err := m.store.ManagedEntry(r.Context(), id.TenantID, id.UserID, r.PathValue("id"))
	if err != nil {
		return err
	}
	c := directory.ChangesOf(e)
	waiting, err := m.waiting(r, e.ID)
	if err != nil {
		return err
	}
	if waiting != nil {
		c = waiting.Changes
	}
	return m.renderPropose(w, r, http.StatusOK, e, changesValues(c), nil, waiting != nil)
}

// waiting returns the signed-in person's proposal waiting for an entry.
func (m *Module) waiting(r *http.Request, entryID string) (*directory.Proposal, error) {
	id := account.FromContext(r.Context())
	props, err := m.store.ProposalsBy(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return nil, err
	}
	for _, pr := range props {
		if pr.EntryID == entryID && pr.Status == directory.Pending {
			return pr, nil
		}
	}
	return nil, nil
}

func (m *Module) renderPropose(w http.ResponseWriter, r *http.Request, status int, e *directory.Entry, form url.Values,
	errs map[string]string, waiting bool) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.propose.title", e.Name)
	p.Data = map[string]any{"Entry": e, "Waiting": waiting, "Wheelchair": wheelchairOptions(p),
		"HearingLoop": form.Get("hearing_loop") != ""}
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "directory/propose", p)
	return nil
}

// propose records the manager's changes for moderation.
func (m *Module) propose(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	e, err := m.store.ManagedEntry(r.Context(), id.TenantID, id.UserID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, ProposalLimit, ""); err != nil {
		return err
	}
	author := id.Name
	if author == "" {
		author = id.Email
	}
	_, err = m.store.Propose(r.Context(), id.TenantID, e.ID, id.UserID, author, changesForm(r.PostForm), directory.CheckHours, m.site(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderPropose(w, r, http.StatusUnprocessableEntity, e, r.PostForm, fields, false)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, MinePath+"?envoye=1")
}

// wheelchairOptions are the answers about wheelchair access.
func wheelchairOptions(p *web.Page) []publishingweb.Option {
	out := make([]publishingweb.Option, 0, len(directory.WheelchairValues))
	for _, v := range directory.WheelchairValues {
		out = append(out, publishingweb.Option{Value: v, Label: p.T("directory.wheelchair." + v)})
	}
	return out
}
