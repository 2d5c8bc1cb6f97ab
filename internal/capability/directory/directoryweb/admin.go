package directoryweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/directory"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// adminRow is an entry as the staff's list shows it.
type adminRow struct {
	*directory.Entry
	CategoryLabel string
}

// adminList lists every entry, published or not, with the moderation
// queue's length.
func (m *Module) adminList(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	all, err := m.store.All(r.Context(), t.ID)
	if err != nil {
		return err
	}
	pending, err := m.store.PendingProposals(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.admin.title")
	rows := make([]adminRow, len(all))
	for i, e := range all {
		rows[i] = adminRow{Entry: e, CategoryLabel: p.T("directory.category." + e.Category)}
	}
	p.Data = map[string]any{"Rows": rows, "Pending": len(pending)}
	if r.URL.Query().Get("supprime") != "" {
		p.Notice = p.T("directory.admin.deleted")
	}
	m.s.Render.Page(w, r, http.StatusOK, "directory/admin_list", p)
	return nil
}

// kindOptions lists every kind, labelled with its category.
func kindOptions(p *web.Page) []publishingweb.Option {
	out := make([]publishingweb.Option, 0, len(directory.Kinds))
	for _, k := range directory.Kinds {
		out = append(out, publishingweb.Option{Value: k.Key,
			Label: p.T("directory.category."+k.Category) + " — " + p.T("directory.kind."+k.Key)})
	}
	return out
}

// entryValues fills the staff's form with an entry.
func entryValues(e *directory.Entry) url.Values {
	v := changesValues(directory.ChangesOf(e))
	v.Set("name", e.Name)
	v.Set("slug", e.Slug)
	v.Set("category", e.Category)
	v.Set("kind", e.Kind)
	if e.Organisation {
		v.Set("organisation", "1")
	}
	if e.Published {
		v.Set("published", "1")
	}
	if e.HasPosition {
		v.Set("lat", strconv.FormatFloat(e.Lat, 'f', -1, 64))
		v.Set("lon", strconv.FormatFloat(e.Lon, 'f', -1, 64))
	}
	return v
}

// entryForm reads the staff's form into e; errs gets what cannot be read.
func entryForm(f url.Values, e *directory.Entry, errs map[string]string) {
	changesForm(f).Apply(e)
	e.Name, e.Slug, e.Category, e.Kind = f.Get("name"), f.Get("slug"), f.Get("category"), f.Get("kind")
	e.Organisation, e.Published = f.Get("organisation") != "", f.Get("published") != ""
	lat, lon := strings.TrimSpace(f.Get("lat")), strings.TrimSpace(f.Get("lon"))
	e.HasPosition, e.Lat, e.Lon = false, 0, 0
	if lat == "" && lon == "" {
		return
	}
	la, err1 := strconv.ParseFloat(strings.ReplaceAll(lat, ",", "."), 64)
	lo, err2 := strconv.ParseFloat(strings.ReplaceAll(lon, ",", "."), 64)
	if err1 != nil || err2 != nil {
		errs["lat"] = "Indiquez une latitude et une longitude en degrés décimaux, par exemple 46.4201 et 0.6012."
		return
	}
	e.HasPosition, e.Lat, e.Lon = true, la, lo
}

func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	v := url.Values{"wheelchair": {directory.WheelchairUnknown}, "postcode": {""}, "city": {t.PlaceName()}}
	return m.renderForm(w, r, http.StatusOK, &directory.Entry{}, v, nil)
}

func (m *Module) editForm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.Entry(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderForm(w, r, http.StatusOK, e, entryValues(e), nil)
}

// managerView is one manager as the entry's form lists them.
type managerView struct {
	AccountID, Name, Email, Since string
}

func (m *Module) renderForm(w http.ResponseWriter, r *http.Request, status int, e *directory.Entry, form url.Values,
	errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("directory.admin.new")
	var managers []managerView
	if e.ID != "" {
		p.Title = p.T("directory.admin.edit", e.Name)
		list, err := m.store.Managers(r.Context(), t.ID, e.ID)
		if err != nil {
			return err
		}
		for _, mg := range list {
			v := managerView{AccountID: mg.AccountID, Since: guichet.Date(mg.CreatedAt.In(t.Location()), p.Lang)}
			if who, err := m.person(r.Context(), t.ID, mg.AccountID); err == nil {
				v.Name, v.Email = who.Name, who.Email
			}
			managers = append(managers, v)
		}
	}
	p.Data = map[string]any{"Entry": e, "Categories": categoryOptions(p), "Kinds": kindOptions(p),
		"Wheelchair": wheelchairOptions(p), "Managers": managers, "HearingLoop": form.Get("hearing_loop") != "",
		"Organisation": form.Get("organisation") != "", "Published": form.Get("published") != ""}
	p.Form, p.Errors = form, errs
	switch {
	case r.URL.Query().Get("enregistre") != "":
		p.Notice = p.T("directory.admin.saved")
	case r.URL.Query().Get("gestionnaire") != "":
		p.Notice = p.T("directory.admin.manager_added")
	}
	m.s.Render.Page(w, r, status, "directory/admin_form", p)
	return nil
}

func (m *Module) create(w http.ResponseWriter, r *http.Request) error {
	return m.save(w, r, &directory.Entry{TenantID: tenant.FromContext(r.Context()).ID}, "directory.entry_created")
}

func (m *Module) update(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.Entry(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.save(w, r, e, "directory.entry_saved")
}

// save writes the staff's form; the form comes back with its errors and
// everything typed when a field is wrong.
func (m *Module) save(w http.ResponseWriter, r *http.Request, e *directory.Entry, action string) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	errs := map[string]string{}
	entryForm(r.PostForm, e, errs)
	err := m.store.Save(r.Context(), e, directory.CheckHours)
	if fields := guichet.FieldErrors(err); fields != nil || len(errs) > 0 {
		for k, v := range fields {
			if errs[k] == "" {
				errs[k] = v
			}
		}
		return m.renderForm(w, r, http.StatusUnprocessableEntity, e, r.PostForm, errs)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, action, e.Name)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+e.ID+"?enregistre=1")
}

// publish publishes ("1") or withdraws an entry.
func (m *Module) publish(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	on := r.PostFormValue("published") == "1"
	e, err := m.store.SetPublished(r.Context(), t.ID, r.PathValue("id"), on)
	if err != nil {
		return err
	}
	action := "directory.entry_unpublished"
	if on {
		action = "directory.entry_published"
	}
	m.s.Record(r, action, e.Name)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+e.ID+"?enregistre=1")
}

func (m *Module) delete(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.Delete(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	m.s.Record(r, "directory.entry_deleted", e.Name)
	return publishingweb.SeeOther(w, r, AdminPath+"?supprime=1")
}

// ErrNoResident is an address no verified account of the collectivité
// uses.
var ErrNoResident = guichet.Invalid(map[string]string{"manager_email": "Aucun compte vérifié de la collectivité n'utilise cette adresse : la personne crée d'abord son compte sur le site et confirme son adresse."})

// addManager gives the account of the address typed the management of
// the entry, and tells the person.
func (m *Module) addManager(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.Entry(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	email := strings.TrimSpace(r.PostForm.Get("manager_email"))
	u, err := m.Accounts.ByEmail(r.Context(), t.ID, email)
	switch {
	case errors.Is(err, account.ErrNotFound) || (err == nil && !u.Verified()) || email == "":
		err = ErrNoResident
	case err == nil:
		err = m.store.AddManager(r.Context(), t.ID, e.ID, u.ID, publishingweb.Author(r))
	}
	if fields := guichet.FieldErrors(err); fields != nil {
		for _, msg := range fields {
			fields = map[string]string{"manager_email": msg}
		}
		v := entryValues(e)
		v.Set("manager_email", email)
		return m.renderForm(w, r, http.StatusUnprocessableEntity, e, v, fields)
	}
	if err != nil {
		return err
	}
	m.store.TellManager(r.Context(), t.ID, e, directory.Person{Email: u.Email, Name: u.Name, Lang: u.Lang}, m.site(r))
	m.s.Record(r, "directory.manager_added", e.Name)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+e.ID+"?gestionnaire=1#gestionnaires")
}

func (m *Module) removeManager(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.Entry(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := m.store.RemoveManager(r.Context(), t.ID, e.ID, r.PathValue("account")); err != nil {
		return err
	}
	m.s.Record(r, "directory.manager_removed", e.Name)
	return publishingweb.SeeOther(w, r, AdminPath+"/"+e.ID+"?enregistre=1#gestionnaires")
}
