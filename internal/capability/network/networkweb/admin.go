package networkweb

import (
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// overview draws and measures the network, in a picture and in words.
func (m *Module) overview(w http.ResponseWriter, r *http.Request) error {
	ctx, t := r.Context(), tenantOf(r)
	v, err := m.view(r)
	if err != nil {
		return err
	}
	counts, err := m.store.ContactCounts(ctx, t.ID)
	if err != nil {
		return err
	}
	proposals, err := m.store.Ties(ctx, t.ID, network.Proposed)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	n := present(p, v, counts)
	p.Data = map[string]any{"Net": n, "Proposals": len(proposals)}
	p.Title = p.T("network.overview.title")
	m.s.Render.Page(w, r, http.StatusOK, "network/overview", p)
	return nil
}

// tiesPage is the ties' page: the proposals waiting, the form to add a
// tie, the active ties and the history.
func (m *Module) ties(w http.ResponseWriter, r *http.Request) error {
	return m.renderTies(w, r, http.StatusOK, nil)
}

func (m *Module) renderTies(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx, t := r.Context(), tenantOf(r)
	v, err := m.view(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	n := present(p, v, nil)
	lists := map[string][]tieView{}
	for key, states := range map[string][]string{"Proposals": {network.Proposed}, "Active": {network.Active},
		"Past": {network.Ended, network.Declined}} {
		ties, err := m.store.Ties(ctx, t.ID, states...)
		if err != nil {
			return err
		}
		for _, tie := range ties[:min(len(ties), 200)] {
			lists[key] = append(lists[key], n.tieView(p, tie, nil))
		}
	}
	p.Data = map[string]any{"Net": n, "Proposals": lists["Proposals"], "Active": lists["Active"], "Past": lists["Past"],
		"Orgs": n.orgOptions(""), "Kinds": kindOptions(p)}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("network.ties.title")
	if done := r.URL.Query().Get("fait"); done != "" && len(errs) == 0 {
		p.Notice = p.T("network.ties.done." + doneKey(done))
	}
	m.s.Render.Page(w, r, status, "network/ties", p)
	return nil
}

// doneKey keeps a notice's key among those the pages know.
func doneKey(s string) string {
	switch s {
	case "ajoute", "confirme", "refuse", "termine", "contact", "consentement", "retire", "propose":
		return s
	}
	return "ajoute"
}

// tieForm reads a tie from the form; the year's error is the form's.
func tieForm(r *http.Request, tenantID string) (*network.Tie, map[string]string) {
	f := r.PostForm
	tie := &network.Tie{TenantID: tenantID, From: f.Get("from"), To: f.Get("to"), Kind: f.Get("kind"), Note: f.Get("note")}
	if y := strings.TrimSpace(f.Get("since")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return tie, map[string]string{"since": "Indiquez l'année en chiffres, par exemple 2019."}
		}
		tie.SinceYear = n
	}
	return tie, nil
}

// tieErrors turns a tie's refusal into the form's errors, nil for any
// other error.
func tieErrors(err error) map[string]string {
	if fields := guichet.FieldErrors(err); fields != nil {
		return fields
	}
	if guichet.ErrorCode(err) == guichet.EConflict {
		return map[string]string{"to": guichet.ErrorMessage(err)}
	}
	return nil
}

// addTie records a tie staff entered.
func (m *Module) addTie(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	tie, errs := tieForm(r, tenantOf(r).ID)
	if errs != nil {
		return m.renderTies(w, r, http.StatusUnprocessableEntity, errs)
	}
	err := m.store.AddTie(r.Context(), tie)
	if errs := tieErrors(err); errs != nil {
		return m.renderTies(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "network.tie_added", tie.ID)
	return publishingweb.SeeOther(w, r, TiesPath+"?fait=ajoute")
}

// confirm makes an organisation's proposal an active tie.
func (m *Module) confirm(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := m.store.Confirm(r.Context(), tenantOf(r).ID, id); err != nil {
		return err
	}
	m.s.Record(r, "network.tie_confirmed", id)
	return publishingweb.SeeOther(w, r, TiesPath+"?fait=confirme")
}

// decline refuses an organisation's proposal, with a reason its
// managers read.
func (m *Module) decline(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := m.store.Decline(r.Context(), tenantOf(r).ID, id, r.PostForm.Get("reason-"+id))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderTies(w, r, http.StatusUnprocessableEntity, map[string]string{"reason-" + id: fields["reason"]})
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "network.tie_declined", id)
	return publishingweb.SeeOther(w, r, TiesPath+"?fait=refuse")
}

// end records that an active tie ended, then goes back to the page the
// button was on.
func (m *Module) end(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := m.store.End(r.Context(), tenantOf(r).ID, id); err != nil {
		return err
	}
	m.s.Record(r, "network.tie_ended", id)
	back, _, _ := strings.Cut(web.SafeNext(r.PostForm.Get("retour"), TiesPath), "?")
	if !strings.HasPrefix(back, AdminPath) {
		back = TiesPath
	}
	return publishingweb.SeeOther(w, r, back+"?fait=termine")
}
