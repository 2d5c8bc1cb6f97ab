package staffweb

import (
	"net/http"

	"guichet/internal/identity/account"
)

// home lists the sections the signed-in staff member's roles open.
func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	noCodes, err := m.lacksRecoveryCodes(r, id)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Sections": m.SectionsFor(id), "Roles": id.Roles,
		"Services": id.Services, "Title": id.Title, "NoCodes": noCodes})
	p.Title = p.T("backoffice.home")
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/home", p)
	return nil
}

// lacksRecoveryCodes reports whether the member has an authenticator but
// no recovery code left: all used, or made before codes were strengthened.
func (m *Module) lacksRecoveryCodes(r *http.Request, id *account.Identity) (bool, error) {
	enrolled, err := m.staff.Enrolled(r.Context(), id.TenantID, id.UserID)
	if err != nil || !enrolled {
		return false, err
	}
	left, err := m.staff.RecoveryCodesLeft(r.Context(), id.TenantID, id.UserID)
	return left == 0, err
}
