package communitiesweb

import (
	"net/http"
	"slices"
	"sort"

	"guichet"
	"guichet/internal/capability/communities"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// admin lists the communities with their member counts (never the
// members' names).
func (m *Module) admin(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	list, err := m.store.List(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	views := make([]communityView, len(list))
	for i, c := range list {
		views[i] = m.communityView(p, c, false)
	}
	p.Data = map[string]any{"Communities": views}
	p.Title = p.T("communities.admin.title")
	notice(r, p, adminNotices)
	m.s.Render.Page(w, r, http.StatusOK, "communities/admin", p)
	return nil
}

// newForm is the form of a new community.
func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	return m.renderForm(w, r, &communities.Community{Kind: ""}, http.StatusOK, nil)
}

// editForm is a community's form, with its animators.
func (m *Module) editForm(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	c, err := m.store.Get(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderForm(w, r, c, http.StatusOK, nil)
}

func (m *Module) renderForm(w http.ResponseWriter, r *http.Request, c *communities.Community, status int, errs map[string]string) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	p := m.s.Render.NewPage(r, "", nil)
	kinds := make([]publishingweb.Option, len(communities.Kinds))
	for i, k := range communities.Kinds {
		kinds[i] = publishingweb.Option{Value: k, Label: p.T("communities.kind." + k)}
	}
	entries, err := m.k.DirectoryEntries(ctx, t.ID, kernel.DirectoryQuery{
		Categories: []string{kernel.CategorySchool, kernel.CategoryAssociation}, Organisations: true})
	if err != nil {
		return err
	}
	entryOpts := make([]publishingweb.Option, len(entries))
	for i, e := range entries {
		entryOpts[i] = publishingweb.Option{Value: e.ID, Label: e.Name}
	}
	areas, err := m.areas(r)
	if err != nil {
		return err
	}
	var animators []*communities.Animator
	if c.ID != "" {
		if animators, err = m.store.Animators(ctx, t.ID, c.ID); err != nil {
			return err
		}
	}
	// The community's fields as they stand (as sent, when refused), and
	// the animator's address sent.
	form := map[string][]string{"name": {c.Name}, "slug": {c.Slug}, "kind": {c.Kind}, "description": {c.Description},
		"area": {c.Area}, "entry": {c.EntryID}, "email": {r.PostForm.Get("email")}}
	p.Data = map[string]any{"C": c, "Kinds": kinds, "Entries": entryOpts, "Areas": areas, "Animators": animators,
		"Entry": m.entry(r, c)}
	p.Errors, p.Form = errs, form
	if c.ID == "" {
		p.Title = p.T("communities.admin.new_title")
	} else {
		p.Title = p.T("communities.admin.edit_title", c.Name)
	}
	if status == http.StatusOK {
		notice(r, p, formNotices)
	}
	m.s.Render.Page(w, r, status, "communities/admin_form", p)
	return nil
}

// areas are the alert areas the collectivité's alerts name, to choose a
// neighbourhood's from.
func (m *Module) areas(r *http.Request) ([]string, error) {
	src, ok := m.k.PublicationsOf("alert")
	if !ok || src.Recent == nil {
		return nil, nil
	}
	list, err := src.Recent(r.Context(), tenant.FromContext(r.Context()).ID, m.k.Now(), 500)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range list {
		if a.Area != "" && !slices.Contains(out, a.Area) {
			out = append(out, a.Area)
		}
	}
	sort.Strings(out)
	return out, nil
}

// fromForm reads a community's fields.
func fromForm(r *http.Request, c *communities.Community) {
	f := r.PostForm
	c.Name, c.Slug, c.Kind, c.Description = f.Get("name"), f.Get("slug"), f.Get("kind"), f.Get("description")
	c.Area, c.EntryID = f.Get("area"), f.Get("entry")
}

// errEntry is the field error of an entry the directory does not publish.
var errEntry = map[string]string{"entry": "Choisissez une fiche publiée de l'annuaire."}

// save checks the tied entry and writes the community.
func (m *Module) save(r *http.Request, c *communities.Community, write func() error) map[string]string {
	if c.EntryID != "" && (c.Kind == communities.School || c.Kind == communities.Association) {
		if _, err := m.k.DirectoryEntry(r.Context(), c.TenantID, c.EntryID); err != nil {
			return errEntry
		}
	}
	if fields := guichet.FieldErrors(write()); fields != nil {
		return fields
	}
	return nil
}

// create adds a community.
func (m *Module) create(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	c := &communities.Community{TenantID: tenant.FromContext(r.Context()).ID}
	fromForm(r, c)
	var err error
	if fields := m.save(r, c, func() error { err = m.store.Create(r.Context(), c); return err }); fields != nil {
		return m.renderForm(w, r, c, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "communities.created", c.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+c.ID+"?ok=cree")
}

// update saves a community's fields.
func (m *Module) update(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	c, err := m.store.Get(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	fromForm(r, c)
	if fields := m.save(r, c, func() error { err = m.store.Update(r.Context(), c); return err }); fields != nil {
		return m.renderForm(w, r, c, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "communities.updated", c.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+c.ID+"?ok=modifiee")
}

// remove deletes a community with its memberships and feed.
func (m *Module) remove(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	if err := m.store.Delete(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "communities.deleted", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, AdminPath+"?ok=supprimee")
}

// nameAnimator makes a resident, by their address, an animator.
func (m *Module) nameAnimator(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	c, err := m.store.Get(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a, err := m.store.NameAnimator(r.Context(), t.ID, c.ID, r.PostForm.Get("email"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderForm(w, r, c, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "communities.animator_named", c.ID+" "+a.UserID)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+c.ID+"?ok=animateur")
}

// removeAnimator ends a resident's animation.
func (m *Module) removeAnimator(w http.ResponseWriter, r *http.Request) error {
	if err := staffOnly(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := m.store.RemoveAnimator(r.Context(), tenant.FromContext(r.Context()).ID, id, r.PathValue("user")); err != nil {
		return err
	}
	m.s.Record(r, "communities.animator_removed", id+" "+r.PathValue("user"))
	return publishingweb.SeeOther(w, r, AdminPath+"/"+id+"?ok=sans-animer")
}
