package networkweb

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// ErrNotPublished refuses what a manager asks for an organisation the
// network does not hold yet: its entry is not published.
var ErrNotPublished = guichet.Errorf(guichet.EConflict,
	"Votre organisation n'est pas publiée dans l'annuaire : le réseau ne la compte pas encore.")

// managedEntry is an entry the signed-in person manages, and whether the
// network holds it.
type managedEntry struct {
	ID, Name, Path string
	InNetwork      bool
	// Place is a published entry of a place, which the network of
	// organisations does not hold.
	Place bool
}

// managesOrganisation shows « Mon organisation dans le réseau » to the
// managers of an organisation's entry only.
func (m *Module) managesOrganisation(r *http.Request) bool {
	_, org, err := m.k.ManagesEntries(r.Context(), tenantOf(r).ID, account.FromContext(r.Context()).UserID)
	if err != nil {
		slog.ErrorContext(r.Context(), "network: managers", "error", err)
	}
	return org
}

// managed lists the entries the signed-in person manages.
func (m *Module) managed(ctx context.Context, r *http.Request) ([]managedEntry, error) {
	id, t := account.FromContext(ctx), tenantOf(r)
	ids, err := m.k.ManagedEntries(ctx, t.ID, id.UserID)
	if err != nil {
		return nil, err
	}
	v, err := m.view(r)
	if err != nil {
		return nil, err
	}
	var out []managedEntry
	for _, entryID := range ids {
		me := managedEntry{ID: entryID}
		if e, ok := v.Org(entryID); ok {
			me.Name, me.Path, me.InNetwork = e.Name, e.Path, true
		} else if e, err := m.k.DirectoryEntry(ctx, t.ID, entryID); err == nil {
			me.Name, me.Path, me.Place = e.Name, e.Path, true
		} else if !errors.Is(err, kernel.ErrNoDirectoryEntry) && guichet.ErrorCode(err) != guichet.ENotFound {
			return nil, err
		}
		out = append(out, me)
	}
	return out, nil
}

// managedOne returns the entry of the request's path if the signed-in
// person manages it; ErrNotManager otherwise.
func (m *Module) managedOne(r *http.Request) (managedEntry, error) {
	list, err := m.managed(r.Context(), r)
	if err != nil {
		return managedEntry{}, err
	}
	i := slices.IndexFunc(list, func(e managedEntry) bool { return e.ID == r.PathValue("entry") })
	if i < 0 {
		return managedEntry{}, network.ErrNotManager
	}
	return list[i], nil
}

// mine lists the organisations the signed-in person manages.
func (m *Module) mine(w http.ResponseWriter, r *http.Request) error {
	list, err := m.managed(r.Context(), r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Entries": list})
	p.Title = p.T("network.mine.title")
	m.s.Render.Page(w, r, http.StatusOK, "network/mine", p)
	return nil
}

// mineOrg is an organisation's ties and contacts as its managers see
// them, with the forms to propose a tie and enter a contact.
func (m *Module) mineOrg(w http.ResponseWriter, r *http.Request) error {
	return m.renderMineOrg(w, r, http.StatusOK, nil)
}

func (m *Module) renderMineOrg(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx, t := r.Context(), tenantOf(r)
	me, err := m.managedOne(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	data := map[string]any{"Entry": me}
	p.Title = p.T("network.mine.org_title", me.Name)
	if me.Name == "" {
		p.Title = p.T("network.mine.unpublished_title")
	}
	if me.InNetwork {
		v, err := m.view(r)
		if err != nil {
			return err
		}
		ties, err := m.store.TiesOf(ctx, t.ID, me.ID)
		if err != nil {
			return err
		}
		contacts, err := m.store.Contacts(ctx, t.ID, me.ID)
		if err != nil {
			return err
		}
		n := present(p, v, nil)
		for k, list := range orgTies(p, n, ties) {
			data[k] = list
		}
		data["Contacts"], data["Orgs"], data["Kinds"] = contactViews(p, contacts, loc(r)), n.orgOptions(me.ID), kindOptions(p)
		data["Sources"], data["Today"], data["Years"] = consentOptions(p), m.now(r).Format(time.DateOnly), network.ContactYears
		data["DefaultSource"] = network.ConsentDeclaration
	}
	p.Data, p.Errors, p.Form = data, errs, r.PostForm
	if done := r.URL.Query().Get("fait"); done != "" && len(errs) == 0 {
		p.Notice = p.T("network.mine.done." + doneKey(done))
	}
	m.s.Render.Page(w, r, status, "network/mine_org", p)
	return nil
}

// inNetwork returns the managed entry of the request, refusing one the
// network does not hold.
func (m *Module) inNetwork(r *http.Request) (managedEntry, error) {
	me, err := m.managedOne(r)
	if err == nil && !me.InNetwork {
		err = ErrNotPublished
	}
	return me, err
}

// propose sends staff a tie from the manager's organisation.
func (m *Module) propose(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	me, err := m.inNetwork(r)
	if err != nil {
		return err
	}
	id := account.FromContext(r.Context())
	tie, errs := tieForm(r, tenantOf(r).ID)
	tie.From, tie.ProposedBy, tie.ProposedFor = me.ID, id.UserID, me.ID
	if r.PostForm.Get("funded") != "" {
		tie.From, tie.To = tie.To, me.ID
	}
	if errs != nil {
		return m.renderMineOrg(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err := m.s.Limit(r, ProposalLimit, ""); err != nil {
		return err
	}
	err = m.store.AddTie(r.Context(), tie)
	if errs := tieErrors(err); errs != nil {
		if errs["from"] != "" && errs["to"] == "" {
			errs["to"] = errs["from"]
		}
		delete(errs, "from")
		return m.renderMineOrg(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, MinePath+"/"+me.ID+"?fait=propose")
}

// mineAddContact records a contact the manager enters for their
// organisation, saying that the person agreed.
func (m *Module) mineAddContact(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	me, err := m.inNetwork(r)
	if err != nil {
		return err
	}
	c, errs := contactForm(r, tenantOf(r).ID, me.ID, loc(r))
	if r.PostForm.Get("consent") == "" {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["consent"] = "Cochez la case : la personne doit avoir accepté que la mairie garde ses coordonnées."
	}
	if errs != nil {
		return m.renderMineOrg(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err := m.s.Limit(r, ProposalLimit, ""); err != nil {
		return err
	}
	c.EnteredBy = account.FromContext(r.Context()).UserID
	err = m.store.AddContact(r.Context(), c)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderMineOrg(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, MinePath+"/"+me.ID+"?fait=contact#contacts")
}

// mineWithdraw erases a contact of the manager's organisation.
func (m *Module) mineWithdraw(w http.ResponseWriter, r *http.Request) error {
	me, err := m.managedOne(r)
	if err != nil {
		return err
	}
	t, id := tenantOf(r), r.PathValue("id")
	c, err := m.store.Contact(r.Context(), t.ID, id)
	if err != nil {
		return err
	}
	if c.EntryID != me.ID {
		return network.ErrNotFound
	}
	if err := m.store.Withdraw(r.Context(), t.ID, id); err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, MinePath+"/"+me.ID+"?fait=retire#contacts")
}
