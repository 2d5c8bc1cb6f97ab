package staffweb

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// next is where a member goes once the second factor is passed.
func next(r *http.Request) string {
	home := "/gestion"
	if tenant.FromContext(r.Context()).IsPlatform() {
		home = "/console"
	}
	return web.SafeNext(r.FormValue("suite"), home)
}

// secondFactor shows the verification form to an enrolled member, the
// enrolment page otherwise.
func (m *Module) secondFactor(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	if !id.NeedsSecondFactor {
		return web.Redirect(w, r, next(r))
	}
	enrolled, err := m.staff.Enrolled(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	if !enrolled {
		return m.renderEnrol(w, r, http.StatusOK, nil)
	}
	return m.renderVerify(w, r, http.StatusOK, nil)
}

func (m *Module) renderVerify(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Next": next(r)})
	p.Title = p.T("backoffice.verify_title")
	p.Errors = errs
	m.s.Render.Page(w, r, status, "backoffice/verify", p)
	return nil
}

func (m *Module) renderEnrol(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	id := account.FromContext(r.Context())
	t := tenant.FromContext(r.Context())
	enr, err := m.staff.BeginEnrolment(r.Context(), id.TenantID, id.UserID, "Guichet – "+t.Name, id.Email)
	if err != nil {
		return err
	}
	qr, err := qrDataURI(enr.URL)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Secret": groupBy4(enr.Secret), "QR": template.URL(qr), //nolint:gosec // a PNG we drew, not user input

		"Issuer": "Guichet – " + t.Name, "Account": id.Email, "Next": next(r)})
	p.Title = p.T("backoffice.enrol_title")
	p.Errors = errs
	noStore(w)
	m.s.Render.Page(w, r, status, "backoffice/enrol", p)
	return nil
}

func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

func groupBy4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// verify checks a TOTP or recovery code and, when right, opens a new
// session that holds the second factor (a new id for the raised privilege).
func (m *Module) verify(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	if !id.NeedsSecondFactor {
		return web.Redirect(w, r, next(r))
	}
	code := strings.TrimSpace(r.FormValue("code"))
	if code == "" {
		return m.renderVerify(w, r, http.StatusUnprocessableEntity, map[string]string{"code": m.msg(r, "backoffice.code_missing")})
	}
	recovery, err := m.staff.Verify(r.Context(), id.TenantID, id.UserID, code, m.Now())
	switch {
	case errors.Is(err, staff.ErrNotEnrolled):
		return web.Redirect(w, r, r.URL.RequestURI())
	case errors.Is(err, staff.ErrLocked):
		m.s.Record(r, "staff.second_factor_locked", id.Email)
		return m.renderVerify(w, r, http.StatusTooManyRequests, map[string]string{"code": m.msg(r, "backoffice.code_locked")})
	case errors.Is(err, staff.ErrCodeInvalid), errors.Is(err, staff.ErrSecretUnusable):
		m.s.Record(r, "staff.second_factor_failed", id.Email)
		return m.renderVerify(w, r, http.StatusUnprocessableEntity, map[string]string{"code": guichet.ErrorMessage(err)})
	case err != nil:
		return err
	}
	if err := m.elevate(w, r, id); err != nil {
		return err
	}
	if recovery {
		m.s.Record(r, "staff.recovery_code_used", id.Email)
	}
	m.s.Record(r, "staff.signed_in", id.Email)
	return web.Redirect(w, r, next(r))
}

// elevate replaces the session with one that passed the second factor: a
// cookie taken before the code was typed grants nothing more. An OpenID
// Connect sign-in's provider and token carry over, for logout there.
func (m *Module) elevate(w http.ResponseWriter, r *http.Request, id *account.Identity) error {
	u, err := m.accounts.Get(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	old, err := m.sessions.SignOut(w, r)
	if err != nil {
		return err
	}
	opt := account.SignInOptions{SecondFactor: true}
	if old != nil {
		opt.Provider, opt.IDToken = old.Provider, old.IDToken
	}
	return m.sessions.SignIn(w, r, u, opt)
}

// confirmEnrolment checks the first code of a new authenticator, then shows
// the recovery codes, once.
func (m *Module) confirmEnrolment(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	if !id.NeedsSecondFactor {
		return web.Redirect(w, r, next(r))
	}
	codes, err := m.staff.ConfirmEnrolment(r.Context(), id.TenantID, id.UserID, r.FormValue("code"), m.Now())
	switch {
	case errors.Is(err, staff.ErrAlreadyEnrolled), errors.Is(err, staff.ErrNotEnrolled):
		return web.Redirect(w, r, account.SecondFactorPath)
	case errors.Is(err, staff.ErrLocked):
		return m.renderEnrol(w, r, http.StatusTooManyRequests, map[string]string{"code": m.msg(r, "backoffice.code_locked")})
	case errors.Is(err, staff.ErrCodeInvalid), errors.Is(err, staff.ErrSecretUnusable):
		return m.renderEnrol(w, r, http.StatusUnprocessableEntity, map[string]string{"code": m.msg(r, "backoffice.code_wrong_enrol")})
	case err != nil:
		return err
	}
	if err := m.elevate(w, r, id); err != nil {
		return err
	}
	m.s.Record(r, "staff.totp_enrolled", id.Email)
	return m.showRecoveryCodes(w, r, codes, next(r))
}

func (m *Module) showRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, next string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Codes": codes, "Next": next})
	p.Title = p.T("backoffice.codes_title")
	noStore(w)
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/recovery_codes", p)
	return nil
}

// msg translates key for the request's language.
func (m *Module) msg(r *http.Request, key string) string { return m.s.Render.T(web.LangOf(r), key) }
