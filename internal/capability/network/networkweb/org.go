package networkweb

import (
	"net/http"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// ErrNotInNetwork is an organisation the network does not hold: not in
// the directory, not published, or a mere place.
var ErrNotInNetwork = guichet.Errorf(guichet.ENotFound, "Cette organisation n'est pas dans le réseau.")

// contactView is a contact as the pages write it.
type contactView struct {
	*network.Contact
	Source, Consent, Confirmed, Until string
	ByManager                         bool
}

func contactViews(p *web.Page, list []*network.Contact, loc *time.Location) []contactView {
	out := make([]contactView, len(list))
	for i, c := range list {
		confirmed := c.Confirmed.In(loc)
		out[i] = contactView{Contact: c, Source: p.T("network.consent." + c.ConsentSource),
			Consent: guichet.Date(c.ConsentAt.In(loc), p.Lang), Confirmed: guichet.Date(confirmed, p.Lang),
			Until: guichet.Date(confirmed.AddDate(network.ContactYears, 0, 0), p.Lang), ByManager: c.EnteredBy != ""}
	}
	return out
}

// orgTies sorts an organisation's ties for its pages.
func orgTies(p *web.Page, n *networkPage, ties []*network.Tie) map[string][]tieView {
	out := map[string][]tieView{}
	for _, t := range ties {
		key := "Past"
		switch t.State {
		case network.Active:
			key = "Active"
		case network.Proposed:
			key = "Proposals"
		}
		out[key] = append(out[key], n.tieView(p, t, nil))
	}
	return out
}

// org is an organisation's sheet: its place in the network, its ties and
// its contacts.
func (m *Module) org(w http.ResponseWriter, r *http.Request) error {
	return m.renderOrg(w, r, http.StatusOK, nil)
}

func (m *Module) renderOrg(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx, t := r.Context(), tenantOf(r)
	v, err := m.view(r)
	if err != nil {
		return err
	}
	entry, ok := v.Org(r.PathValue("entry"))
	if !ok {
		return ErrNotInNetwork
	}
	counts, err := m.store.ContactCounts(ctx, t.ID)
	if err != nil {
		return err
	}
	ties, err := m.store.TiesOf(ctx, t.ID, entry.ID)
	if err != nil {
		return err
	}
	contacts, err := m.store.Contacts(ctx, t.ID, entry.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	n := present(p, v, counts)
	o := n.org(entry.ID)
	data := map[string]any{"Org": o, "Entry": entry, "Net": n, "Contacts": contactViews(p, contacts, loc(r)),
		"Orgs": n.orgOptions(entry.ID), "Kinds": kindOptions(p), "Sources": consentOptions(p),
		"Today": m.now(r).Format(time.DateOnly), "Years": network.ContactYears,
		"DefaultSource": network.ConsentForm}
	for k, list := range orgTies(p, n, ties) {
		data[k] = list
	}
	if o.Cluster != nil {
		var bridges []*clusterView
		for _, c := range v.Measures.Bridges(v.Graph, o.index) {
			bridges = append(bridges, n.Clusters[c])
		}
		data["Bridges"] = bridges
	}
	p.Data, p.Errors, p.Form = data, errs, r.PostForm
	p.Title = entry.Name
	if done := r.URL.Query().Get("fait"); done != "" && len(errs) == 0 {
		p.Notice = p.T("network.ties.done." + doneKey(done))
	}
	m.s.Render.Page(w, r, status, "network/org", p)
	return nil
}

// addOrgTie records a tie from the organisation's sheet: the sheet's
// organisation is one end, the form chooses the other and which of the
// two funds the other.
func (m *Module) addOrgTie(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	entry := r.PathValue("entry")
	tie, errs := tieForm(r, tenantOf(r).ID)
	tie.From = entry
	if r.PostForm.Get("funded") != "" {
		tie.From, tie.To = tie.To, entry
	}
	if errs != nil {
		return m.renderOrg(w, r, http.StatusUnprocessableEntity, errs)
	}
	err := m.store.AddTie(r.Context(), tie)
	if errs := tieErrors(err); errs != nil {
		if errs["from"] != "" && errs["to"] == "" {
			errs["to"] = errs["from"] // the form has no "from": its organisation is the sheet's
		}
		delete(errs, "from")
		return m.renderOrg(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "network.tie_added", tie.ID)
	return publishingweb.SeeOther(w, r, OrgPath+entry+"?fait=ajoute")
}

// contactForm reads a contact from the form.
func contactForm(r *http.Request, tenantID, entryID string, loc *time.Location) (*network.Contact, map[string]string) {
	f := r.PostForm
	c := &network.Contact{TenantID: tenantID, EntryID: entryID, Name: f.Get("name"), Role: f.Get("role"), Email: f.Get("email"),
		Phone: f.Get("phone"), Leader: f.Get("leader") != "", ConsentSource: f.Get("consent_source")}
	if d := strings.TrimSpace(f.Get("consent_date")); d != "" {
		at, err := time.ParseInLocation(time.DateOnly, d, loc)
		if err != nil {
			return c, map[string]string{"consent_date": "Indiquez la date de l'accord, par exemple 2026-03-14."}
		}
		c.ConsentAt = at
	}
	return c, nil
}

// addContact records a contact staff entered, with their consent.
func (m *Module) addContact(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	entry := r.PathValue("entry")
	c, errs := contactForm(r, tenantOf(r).ID, entry, loc(r))
	if errs != nil {
		return m.renderOrg(w, r, http.StatusUnprocessableEntity, errs)
	}
	err := m.store.AddContact(r.Context(), c)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderOrg(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "network.contact_added", c.ID)
	return publishingweb.SeeOther(w, r, OrgPath+entry+"?fait=contact#contacts")
}

// confirmConsent records that a contact confirmed their consent today.
func (m *Module) confirmConsent(w http.ResponseWriter, r *http.Request) error {
	t, id := tenantOf(r), r.PathValue("id")
	c, err := m.store.Contact(r.Context(), t.ID, id)
	if err != nil {
		return err
	}
	if err := m.store.ConfirmConsent(r.Context(), t.ID, id); err != nil {
		return err
	}
	m.s.Record(r, "network.consent_confirmed", id)
	return publishingweb.SeeOther(w, r, OrgPath+c.EntryID+"?fait=consentement#contacts")
}

// withdraw erases a contact whose consent was withdrawn.
func (m *Module) withdraw(w http.ResponseWriter, r *http.Request) error {
	t, id := tenantOf(r), r.PathValue("id")
	c, err := m.store.Contact(r.Context(), t.ID, id)
	if err != nil {
		return err
	}
	if err := m.store.Withdraw(r.Context(), t.ID, id); err != nil {
		return err
	}
	m.s.Record(r, "network.contact_withdrawn", id)
	return publishingweb.SeeOther(w, r, OrgPath+c.EntryID+"?fait=retire#contacts")
}
