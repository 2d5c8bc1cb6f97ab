package directoryweb

import (
	"net/http"

	"guichet"
	"guichet/internal/capability/directory"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// queue is the moderation queue: the proposals waiting, and the latest
// decisions.
func (m *Module) queue(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pending, err := m.store.PendingProposals(r.Context(), t.ID)
	if err != nil {
		return err
	}
	decided, err := m.store.DecidedProposals(r.Context(), t.ID, 20)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.moderation.title")
	views := func(list []*directory.Proposal) []proposalView {
		out := make([]proposalView, len(list))
		for i, pr := range list {
			out[i] = m.proposalView(r, p, pr)
		}
		return out
	}
	p.Data = map[string]any{"Pending": views(pending), "Decided": views(decided)}
	if r.URL.Query().Get("fait") != "" {
		p.Notice = p.T("directory.moderation.done")
	}
	m.s.Render.Page(w, r, http.StatusOK, "directory/moderation", p)
	return nil
}

// proposal shows one proposal: each changed field before and after, and
// the forms to approve it or reject it with a reason.
func (m *Module) proposal(w http.ResponseWriter, r *http.Request) error {
	return m.renderProposal(w, r, http.StatusOK, nil)
}

func (m *Module) renderProposal(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	pr, err := m.store.Proposal(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.proposal.title", pr.EntryName)
	p.Data = map[string]any{"Proposal": m.proposalView(r, p, pr), "Pending": pr.Status == directory.Pending}
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "directory/proposal", p)
	return nil
}

// approve applies a proposal to its entry.
func (m *Module) approve(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pr, err := m.store.Approve(r.Context(), t.ID, r.PathValue("id"), publishingweb.Author(r), directory.CheckHours, m.site(r), m.who(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		// The entry changed meanwhile so that the proposal no longer
		// holds: say which field, and let staff reject it.
		errs := map[string]string{}
		for _, v := range fields {
			errs["reason"] = v
		}
		return m.renderProposal(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "directory.proposal_approved", pr.EntryName)
	return publishingweb.SeeOther(w, r, ModerationPath+"?fait=1")
}

// reject refuses a proposal with the reason its author reads.
func (m *Module) reject(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	pr, err := m.store.Reject(r.Context(), t.ID, r.PathValue("id"), r.PostForm.Get("reason"), publishingweb.Author(r), m.site(r), m.who(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderProposal(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "directory.proposal_rejected", pr.EntryName)
	return publishingweb.SeeOther(w, r, ModerationPath+"?fait=1")
}
