package staffweb

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// option is one choice of a checkbox list.
type option struct{ Value, Label string }

func (m *Module) roleOptions(p *web.Page) []option {
	out := make([]option, 0, len(account.StaffRoles))
	for _, r := range account.StaffRoles {
		out = append(out, option{string(r), p.T("backoffice.role."+string(r)) + " – " + p.T("backoffice.role_desc."+string(r))})
	}
	return out
}

func serviceOptions(p *web.Page) []option {
	out := make([]option, 0, len(staff.Services))
	for _, s := range staff.Services {
		out = append(out, option{s, p.T("backoffice.service." + s)})
	}
	return out
}

var teamNotices = map[string]string{"invite": "backoffice.notice_invited", "annule": "backoffice.notice_cancelled",
	"modifie": "backoffice.notice_updated", "retire": "backoffice.notice_removed",
	"2fa": "backoffice.notice_reset", "reglages": "backoffice.notice_settings"}

// team lists the members, the pending invitations and the staff settings.
func (m *Module) team(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	members, err := m.staff.List(r.Context(), t.ID)
	if err != nil {
		return err
	}
	pending, err := m.staff.Pending(r.Context(), t.ID)
	if err != nil {
		return err
	}
	settings, err := m.staff.Settings(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Members": members, "Pending": pending, "Settings": settings})
	p.Title = p.T("backoffice.team")
	if key, ok := teamNotices[r.URL.Query().Get("ok")]; ok {
		p.Notice = p.T(key)
	}
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/team", p)
	return nil
}

func (m *Module) saveSettings(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	c := staff.Settings{SecondFactorOptional: r.FormValue("second_factor_optional") == "1"}
	if err := m.staff.SaveSettings(r.Context(), t.ID, c); err != nil {
		return err
	}
	target := "second_factor_optional=false"
	if c.SecondFactorOptional {
		target = "second_factor_optional=true"
	}
	m.s.Record(r, "staff.settings_changed", target)
	return web.Redirect(w, r, "/gestion/equipe?ok=reglages")
}

func grantFromForm(f url.Values) staff.Grant {
	g := staff.Grant{Services: f["services"], Title: f.Get("title")}
	for _, r := range f["roles"] {
		g.Roles = append(g.Roles, account.Role(r))
	}
	return g
}

func (m *Module) inviteForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderInvite(w, r, http.StatusOK, url.Values{}, nil)
}

func (m *Module) renderInvite(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Data = map[string]any{"Roles": m.roleOptions(p), "Services": serviceOptions(p)}
	p.Title = p.T("backoffice.invite")
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "backoffice/invite", p)
	return nil
}

// invite records an invitation and emails its single-use link.
func (m *Module) invite(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	id := account.FromContext(r.Context())
	inv, token, err := m.staff.Invite(r.Context(), t.ID, r.PostForm.Get("email"), r.PostForm.Get("name"),
		grantFromForm(r.PostForm), id.UserID)
	if errs := guichet.FieldErrors(err); errs != nil {
		return m.renderInvite(w, r, http.StatusUnprocessableEntity, r.PostForm, errs)
	}
	if err != nil {
		return err
	}
	if err := m.sendInvitation(r, t, id, inv, token); err != nil {
		return err
	}
	m.s.Record(r, "staff.invited", inv.Email+" ("+joinRoles(inv.Grant.Roles)+")")
	return web.Redirect(w, r, "/gestion/equipe?ok=invite")
}

func joinRoles(roles []account.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func (m *Module) cancelInvitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := m.staff.Cancel(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	m.s.Record(r, "staff.invitation_cancelled", inv.Email)
	return web.Redirect(w, r, "/gestion/equipe?ok=annule")
}

func (m *Module) memberForm(w http.ResponseWriter, r *http.Request) error {
	mem, err := m.staff.Get(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("user"))
	if err != nil {
		return err
	}
	return m.renderMember(w, r, http.StatusOK, mem, memberValues(mem), nil)
}

func memberValues(mem *staff.Member) url.Values {
	form := url.Values{"services": mem.Services, "title": {mem.Title}}
	for _, role := range mem.Roles {
		form.Add("roles", string(role))
	}
	return form
}

func (m *Module) renderMember(w http.ResponseWriter, r *http.Request, status int, mem *staff.Member, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Data = map[string]any{"Member": mem, "Roles": m.roleOptions(p), "Services": serviceOptions(p)}
	p.Title = p.T("backoffice.member") + " – " + mem.Name
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "backoffice/member", p)
	return nil
}

func (m *Module) updateMember(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	mem, err := m.staff.Get(r.Context(), t.ID, r.PathValue("user"))
	if err != nil {
		return err
	}
	g := grantFromForm(r.PostForm)
	err = m.staff.Update(r.Context(), t.ID, mem.UserID, g)
	if errors.Is(err, staff.ErrLastAdmin) {
		return m.renderMember(w, r, http.StatusConflict, mem, r.PostForm, map[string]string{"roles": staff.ErrLastAdmin.Message})
	}
	if errs := guichet.FieldErrors(err); errs != nil {
		return m.renderMember(w, r, http.StatusUnprocessableEntity, mem, r.PostForm, errs)
	}
	if err != nil {
		return err
	}
	_ = g.Normalize(t.ID)
	m.s.Record(r, "staff.roles_changed", mem.Email+" ("+joinRoles(g.Roles)+")")
	return web.Redirect(w, r, "/gestion/equipe?ok=modifie")
}

// removeMember takes every role from a member and ends their sessions.
func (m *Module) removeMember(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	mem, err := m.staff.Get(r.Context(), t.ID, r.PathValue("user"))
	if err != nil {
		return err
	}
	err = m.staff.Remove(r.Context(), t.ID, mem.UserID)
	if errors.Is(err, staff.ErrLastAdmin) {
		return m.renderMember(w, r, http.StatusConflict, mem, memberValues(mem), map[string]string{"roles": staff.ErrLastAdmin.Message})
	}
	if err != nil {
		return err
	}
	if err := m.accounts.EndSessions(r.Context(), t.ID, mem.UserID); err != nil {
		return err
	}
	m.s.Record(r, "staff.removed", mem.Email)
	return web.Redirect(w, r, "/gestion/equipe?ok=retire")
}

// resetSecondFactor forgets a member's authenticator (lost phone) and ends
// their sessions: they enrol again at their next sign-in.
func (m *Module) resetSecondFactor(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	mem, err := m.staff.Get(r.Context(), t.ID, r.PathValue("user"))
	if err != nil {
		return err
	}
	if err := m.staff.ResetSecondFactor(r.Context(), t.ID, mem.UserID); err != nil {
		return err
	}
	if err := m.accounts.EndSessions(r.Context(), t.ID, mem.UserID); err != nil {
		return err
	}
	m.s.Record(r, "staff.second_factor_reset", mem.Email)
	return web.Redirect(w, r, "/gestion/equipe?ok=2fa")
}
