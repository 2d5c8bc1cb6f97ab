package staffweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/abuse"
)

// security shows the member's second factor and recovery codes left.
func (m *Module) security(w http.ResponseWriter, r *http.Request) error {
	return m.renderSecurity(w, r, http.StatusOK, nil)
}

func (m *Module) renderSecurity(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
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
	p.Errors = errs
	m.s.Render.Page(w, r, status, "backoffice/security", p)
	return nil
}

// newRecoveryCodes replaces the member's recovery codes and shows them
// once, after the member proved again who they are (ASVS 7.5.1): a
// session left open on a counter does not hand out a way in.
func (m *Module) newRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	enrolled, err := m.staff.Enrolled(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	if !enrolled {
		return m.security(w, r)
	}
	if status, msg, err := m.confirmIdentity(w, r, id, strings.TrimSpace(r.PostFormValue("proof"))); err != nil || msg != "" {
		if err != nil {
			return err
		}
		return m.renderSecurity(w, r, status, map[string]string{"proof": m.msg(r, msg)})
	}
	codes, err := m.staff.NewRecoveryCodes(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return err
	}
	m.s.Record(r, "staff.recovery_codes_renewed", id.Email)
	return m.showRecoveryCodes(w, r, codes, "/gestion/securite")
}

// confirmIdentity checks proof, the member's password or a code of their
// authenticator app (six digits: no password is that short). A refusal
// comes back as a status and a message key. Wrong passwords count as
// failed sign-ins, wrong codes towards the second factor's lockout.
func (m *Module) confirmIdentity(w http.ResponseWriter, r *http.Request, id *account.Identity, proof string) (int, string, error) {
	switch {
	case proof == "":
		return http.StatusUnprocessableEntity, "backoffice.proof_missing", nil
	case isTOTPCode(proof):
		err := m.staff.VerifyTOTP(r.Context(), id.TenantID, id.UserID, proof, m.Now())
		switch {
		case errors.Is(err, staff.ErrLocked):
			m.s.Record(r, "staff.second_factor_locked", id.Email)
			return http.StatusTooManyRequests, "backoffice.code_locked", nil
		case errors.Is(err, staff.ErrCodeInvalid), errors.Is(err, staff.ErrSecretUnusable):
			m.s.Record(r, "staff.second_factor_failed", id.Email)
			return http.StatusUnprocessableEntity, "backoffice.proof_wrong", nil
		}
		return 0, "", err
	}
	at := m.s.Attempt(r, id.Email)
	if err := m.s.Limits.Check(r.Context(), abuse.SignIn, at); err != nil {
		var refused *abuse.Refused
		if errors.As(err, &refused) {
			w.Header().Set("Retry-After", strconv.Itoa(refused.RetryAfterSeconds()))
		}
		return http.StatusTooManyRequests, "backoffice.proof_throttled", nil
	}
	_, err := m.accounts.Authenticate(r.Context(), id.TenantID, id.Email, proof)
	if errors.Is(err, account.ErrBadCredentials) {
		m.s.Limits.Count(abuse.SignIn, at)
		return http.StatusUnprocessableEntity, "backoffice.proof_wrong", nil
	}
	return 0, "", err
}

func isTOTPCode(s string) bool {
	s = strings.Join(strings.Fields(s), "")
	return len(s) == 6 && strings.Trim(s, "0123456789") == ""
}
