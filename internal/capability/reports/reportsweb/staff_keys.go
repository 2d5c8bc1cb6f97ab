package reportsweb

import (
	"net/http"
	"strconv"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/publishingweb"
)

// keyRow is an Open311 key as the administrators' list shows it.
type keyRow struct {
	*reports.APIKey
	Created, LastUsed, Revoked string
}

// keys lists the Open311 keys and the form that creates one.
func (m *Module) keys(w http.ResponseWriter, r *http.Request) error {
	return m.renderKeys(w, r, http.StatusOK, nil, "", nil)
}

// renderKeys shows the keys; secret, when set, is the key just created,
// shown this once.
func (m *Module) renderKeys(w http.ResponseWriter, r *http.Request, status int, created *reports.APIKey, secret string,
	errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Keys(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.keys.title")
	rows := make([]keyRow, len(list))
	for i, k := range list {
		rows[i] = keyRow{APIKey: k, Created: staffDate(t, p.Lang, k.CreatedAt), LastUsed: optDate(t, p.Lang, k.LastUsedAt),
			Revoked: optDate(t, p.Lang, k.RevokedAt)}
	}
	endpoint := m.s.SiteURL(r, t) + Open311Prefix
	p.Data = map[string]any{"Rows": rows, "Endpoint": endpoint, "Created": created, "Secret": secret}
	if created != nil {
		if p.Data.(map[string]any)["Example"], err = m.keyExample(r, t.ID); err != nil {
			return err
		}
	}
	p.Errors, p.Form = errs, r.PostForm
	if r.URL.Query().Get("revoquee") != "" {
		p.Notice = p.T("reports.keys.revoked_notice")
	}
	m.s.Render.Page(w, r, status, "reports/staff_keys", p)
	return nil
}

// keyCreate makes a key and shows its secret once: it is not kept, so
// the page is the answer to the post itself, never a redirect.
func (m *Module) keyCreate(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	k, secret, err := m.store.CreateKey(r.Context(), t.ID, r.PostFormValue("name"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderKeys(w, r, http.StatusUnprocessableEntity, nil, "", fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "reports.key_created", k.Name)
	w.Header().Set("Cache-Control", "no-store")
	r.PostForm.Del("name")
	return m.renderKeys(w, r, http.StatusOK, k, secret, nil)
}

// keyRevoke stops a key at once.
func (m *Module) keyRevoke(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Keys(r.Context(), t.ID)
	if err != nil {
		return err
	}
	name := ""
	for _, k := range list {
		if k.ID == r.PathValue("id") {
			name = k.Name
		}
	}
	if err := m.store.RevokeKey(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "reports.key_revoked", name)
	return publishingweb.SeeOther(w, r, KeysPath+"?revoquee=1")
}

// keyExample is what the example post names: an active category's code
// and a point in the middle of the territory.
type keyExample struct{ Code, Lat, Lon string }

func (m *Module) keyExample(r *http.Request, tenantID string) (keyExample, error) {
	ex := keyExample{Code: "voirie-nid-de-poule", Lat: "46.58020", Lon: "0.34040"}
	cats, err := m.store.ActiveCategories(r.Context(), tenantID)
	if err != nil {
		return ex, err
	}
	if len(cats) > 0 {
		ex.Code = cats[0].Code
	}
	box, ok, err := m.territoryBox(r.Context(), tenantID)
	if err != nil {
		return ex, err
	}
	if ok {
		c := box.Center()
		ex.Lat, ex.Lon = strconv.FormatFloat(c.Lat(), 'f', 5, 64), strconv.FormatFloat(c.Lon(), 'f', 5, 64)
	}
	return ex, nil
}
