package staffweb

import (
	"cmp"
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// sendInvitation emails the invitation link, the roles named in the
// inviter's language.
func (m *Module) sendInvitation(r *http.Request, t *tenant.Tenant, from *account.Identity, inv *staff.Invitation, token string) error {
	lang := web.LangOf(r)
	roles := make([]string, len(inv.Grant.Roles))
	for i, role := range inv.Grant.Roles {
		roles[i] = m.s.Render.T(lang, "backoffice.role."+string(role))
	}
	return m.mails.SendInvitation(r.Context(), t, from.Name, inv, token, m.s.SiteURL(r, t), lang, roles)
}

// invitation shows the form that accepts an invitation: a password to set
// (and a name for someone without an account yet).
func (m *Module) invitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := m.staff.Invitation(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	return m.renderInvitation(w, r, http.StatusOK, inv, nil)
}

func (m *Module) renderInvitation(w http.ResponseWriter, r *http.Request, status int, inv *staff.Invitation, errs map[string]string) error {
	_, err := m.accounts.ByEmail(r.Context(), inv.TenantID, inv.Email)
	hasAccount := err == nil
	if err != nil && !errors.Is(err, account.ErrNotFound) {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Invitation": inv, "HasAccount": hasAccount})
	p.Title = p.T("backoffice.accept_title")
	p.Errors = errs
	p.Form = r.PostForm
	if p.Form == nil || p.Form.Get("name") == "" {
		p.Form = map[string][]string{"name": {inv.Name}}
	}
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the URL
	m.s.Render.Page(w, r, status, "backoffice/invitation", p)
	return nil
}

// acceptInvitation sets the invitee's password (creating their account if
// needed), gives them the invited roles and signs them in; the second
// factor enrolment comes next.
func (m *Module) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	token := r.PathValue("token")
	inv, err := m.staff.Invitation(ctx, t.ID, token)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	password := r.PostForm.Get("password")
	if err := m.accounts.ValidateNewPassword(ctx, t.ID, password, inv.Email, cmp.Or(r.PostForm.Get("name"), inv.Name)); err != nil {
		return m.renderInvitation(w, r, http.StatusUnprocessableEntity, inv, guichet.FieldErrors(err))
	}
	u, err := m.accounts.ByEmail(ctx, t.ID, inv.Email)
	if errors.Is(err, account.ErrNotFound) {
		u, err = m.accounts.CreateVerified(ctx, t.ID, inv.Email, r.PostForm.Get("name"))
		if errs := guichet.FieldErrors(err); errs != nil {
			return m.renderInvitation(w, r, http.StatusUnprocessableEntity, inv, errs)
		}
	}
	if err != nil {
		return err
	}
	if err := m.accounts.SetPassword(ctx, t.ID, u.ID, password); err != nil {
		if errs := guichet.FieldErrors(err); errs != nil {
			return m.renderInvitation(w, r, http.StatusUnprocessableEntity, inv, errs)
		}
		return err
	}
	// The link reached this address: it is proven.
	if err := m.accounts.MarkEmailVerified(ctx, t.ID, u.ID); err != nil {
		return err
	}
	if _, err := m.staff.Accept(ctx, t.ID, token, u.ID); err != nil {
		return err
	}
	if err := m.staff.RecordEntry(ctx, staff.Entry{TenantID: t.ID, ActorID: u.ID, Actor: u.Email,
		Action: "staff.invitation_accepted", Target: u.Email + " (" + joinRoles(inv.Grant.Roles) + ")",
		IP: web.ClientIP(r), UserAgent: r.UserAgent()}); err != nil {
		m.s.Log().ErrorContext(ctx, "audit", "err", err)
	}
	if err := m.sessions.SignIn(w, r, u, account.SignInOptions{}); err != nil {
		return err
	}
	m.s.RememberDevice(w, r, u.Email)
	return web.Redirect(w, r, account.SecondFactorPath)
}
