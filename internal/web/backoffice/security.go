package backoffice

import (
	"net/http"

	"guichet/internal/account"
)

// security shows the member's second factor and recovery codes left.
func (m *Module) security(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	enrolled, err := m.staff.Enrolled(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	left, err := m.staff.RecoveryCodesLeft(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Enrolled": enrolled, "Left": left})
	p.Title = p.T("backoffice.security")
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/security", p)
	return nil
}

// newRecoveryCodes replaces the member's recovery codes and shows them once.
func (m *Module) newRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	enrolled, err := m.staff.Enrolled(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	if !enrolled {
		return m.security(w, r)
	}
	codes, err := m.staff.NewRecoveryCodes(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	m.record(r, "staff.recovery_codes_renewed", id.Email)
	return m.showRecoveryCodes(w, r, codes, "/gestion/securite")
}
