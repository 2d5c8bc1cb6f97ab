package accountweb

import (
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
)

// PasswordPath is where a signed-in person changes their password.
const PasswordPath = "/compte/mot-de-passe"

func (m *Module) passwordForm(w http.ResponseWriter, r *http.Request) error {
	u, err := m.current(r)
	if err != nil {
		return err
	}
	return m.renderPassword(w, r, http.StatusOK, u, nil)
}

func (m *Module) renderPassword(w http.ResponseWriter, r *http.Request, status int, u *account.User, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"User": u})
	p.Title = p.T("accounts.password.title")
	p.Errors = errs
	m.s.Render.Page(w, r, status, "accounts/password", p)
	return nil
}

// changePassword asks for the current password (ASVS 6.2.3), under the
// sign-in limits, then sets the new one. Setting it ends every session of
// the account, this one included: the person signs in again with it.
func (m *Module) changePassword(w http.ResponseWriter, r *http.Request) error {
	u, err := m.current(r)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	if !u.HasPassword {
		return m.renderPassword(w, r, http.StatusUnprocessableEntity, u,
			map[string]string{"current_password": m.s.Render.T(lang, "accounts.password.none")})
	}
	at := m.s.Attempt(r, u.Email)
	if err := m.s.Limits.Check(r.Context(), abuse.SignIn, at); err != nil {
		retryAfter(w, err)
		return m.renderPassword(w, r, http.StatusTooManyRequests, u,
			map[string]string{"current_password": m.s.Render.T(lang, "accounts.signin.throttled")})
	}
	if _, err := m.store.Authenticate(r.Context(), u.TenantID, u.Email, r.PostFormValue("current_password")); err != nil {
		if !errors.Is(err, account.ErrBadCredentials) {
			return err
		}
		m.s.Limits.Count(abuse.SignIn, at)
		return m.renderPassword(w, r, http.StatusUnprocessableEntity, u,
			map[string]string{"current_password": m.s.Render.T(lang, "accounts.password.wrong_current")})
	}
	password := r.PostFormValue("password")
	errs := guichet.FieldErrors(m.store.ValidateNewPassword(r.Context(), u.TenantID, password, u.Email, u.Name))
	if password != r.PostFormValue("password_confirm") {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["password_confirm"] = m.s.Render.T(lang, "accounts.password.mismatch")
	}
	if errs != nil {
		return m.renderPassword(w, r, http.StatusUnprocessableEntity, u, errs)
	}
	if err := m.store.SetPassword(r.Context(), u.TenantID, u.ID, password); err != nil {
		return err
	}
	m.recordPasswordChange(r, u)
	// SetPassword ended every session, this browser's included.
	if _, err := m.sessions.SignOut(w, r); err != nil {
		return err
	}
	return web.Redirect(w, r, SignInPath+"?ok=mot-de-passe")
}

// recordPasswordChange writes the audit entry of a staff member's new
// password; residents' changes stay out of the team's journal.
func (m *Module) recordPasswordChange(r *http.Request, u *account.User) {
	id := account.FromContext(r.Context())
	if id.IsStaff() {
		m.s.Record(r, "account.password_changed", u.Email)
	}
}
