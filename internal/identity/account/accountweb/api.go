package accountweb

import (
	"net/http"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// me is the JSON view of the signed-in person.
type me struct {
	ID                string              `json:"id"`
	Email             string              `json:"email"`
	Name              string              `json:"name"`
	Lang              string              `json:"lang"`
	EmailVerified     bool                `json:"email_verified"`
	Roles             []account.Role      `json:"roles"`
	Services          []string            `json:"services"`
	Title             string              `json:"title,omitempty"`
	NeedsSecondFactor bool                `json:"needs_second_factor"`
	Preferences       account.Preferences `json:"preferences"`
}

func (m *Module) apiMe(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	u, err := m.current(r)
	if err != nil {
		return err
	}
	out := me{ID: u.ID, Email: u.Email, Name: u.Name, Lang: u.Lang, EmailVerified: u.Verified(),
		Roles: id.Roles, Services: id.Services, Title: id.Title, NeedsSecondFactor: id.NeedsSecondFactor,
		Preferences: u.Prefs}
	if out.Roles == nil {
		out.Roles = []account.Role{}
	}
	if out.Services == nil {
		out.Services = []string{}
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (m *Module) apiData(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	data, err := m.store.Export(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	m.recordExport(r, id)
	w.Header().Set("Cache-Control", "no-store")
	web.WriteJSON(w, http.StatusOK, data)
	return nil
}
