package reportsweb

import (
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// The links the mails carry. Opening one changes nothing, since mail
// scanners open links in their recipient's stead: its page says what
// the button does, and the button does it.

// pubLinkReport is what a link's page shows of its report.
type pubLinkReport struct {
	*reports.Report
	CategoryName, Reported string
}

func (m *Module) pubLinkReport(r *http.Request, p *web.Page, rp *reports.Report) (*pubLinkReport, error) {
	c, err := m.store.Category(r.Context(), rp.TenantID, rp.CategoryID)
	if err != nil {
		return nil, err
	}
	return &pubLinkReport{Report: rp, CategoryName: c.Name,
		Reported: pubWhen(p, tenant.FromContext(r.Context()).Location(), rp.CreatedAt)}, nil
}

// pubConfirmForm is the page of a guest's link: their report, and the
// button that confirms it.
func (m *Module) pubConfirmForm(w http.ResponseWriter, r *http.Request) error {
	rp, err := m.store.ReportByLink(r.Context(), pubTenantID(r), r.PathValue("token"))
	if err != nil {
		return err
	}
	if rp.Confirmed() {
		return m.pubConfirmed(w, r, rp, "reports.link.already_confirmed_title")
	}
	p := m.s.Render.NewPage(r, "", nil)
	v, err := m.pubLinkReport(r, p, rp)
	if err != nil {
		return err
	}
	p.Title = p.T("reports.link.confirm_title")
	p.Data = map[string]any{"Report": v, "Action": reports.ConfirmPrefix + r.PathValue("token")}
	m.s.Render.Page(w, r, http.StatusOK, "reports/confirm", p)
	return nil
}

// pubConfirm confirms the report: it is published, routed and announced.
func (m *Module) pubConfirm(w http.ResponseWriter, r *http.Request) error {
	tid, token := pubTenantID(r), r.PathValue("token")
	rp, err := m.store.Confirm(r.Context(), tid, token)
	if errors.Is(err, reports.ErrAlreadyConfirmed) {
		if rp, err = m.store.ReportByLink(r.Context(), tid, token); err != nil {
			return err
		}
		return m.pubConfirmed(w, r, rp, "reports.link.already_confirmed_title")
	}
	if err != nil {
		return err
	}
	return m.pubConfirmed(w, r, rp, "reports.link.confirmed_title")
}

// pubConfirmed tells a confirmed report's reference and public address.
func (m *Module) pubConfirmed(w http.ResponseWriter, r *http.Request, rp *reports.Report, titleKey string) error {
	lang := web.LangOf(r)
	return m.pubMessage(w, r, http.StatusOK, titleKey, m.s.Render.T(lang, "reports.link.confirmed", rp.Reference),
		publicLink{Href: rp.Path(), Label: m.s.Render.T(lang, "reports.link.see_report", rp.Reference)})
}

// pubManage is the author's page of their secret link: where their
// report stands and, once fixed or closed, the form that reopens it.
func (m *Module) pubManage(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	if r.URL.Query().Get("rouvert") == "1" {
		p.Notice = p.T("reports.public.reopened")
	}
	return m.pubRenderManage(w, r, p, http.StatusOK)
}

func (m *Module) pubRenderManage(w http.ResponseWriter, r *http.Request, p *web.Page, status int) error {
	ctx, t := r.Context(), tenant.FromContext(r.Context())
	rp, err := m.store.ReportByManageLink(ctx, t.ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	v, err := m.pubLinkReport(r, p, rp)
	if err != nil {
		return err
	}
	data := map[string]any{"Report": v, "Action": reports.ManagePrefix + r.PathValue("token"),
		"Reopen": reports.Reopenable(rp.Status, rp.ResolvedAt, m.now(r))}
	if rp.ResolvedAt != nil {
		data["Resolved"] = pubDay(p, t.Location(), *rp.ResolvedAt)
	}
	if rp.Status == reports.Duplicate && rp.DuplicateOf != "" {
		o, err := m.store.PublicReport(ctx, t.ID, rp.DuplicateOf)
		switch {
		case err == nil:
			data["Original"] = publicLink{Href: o.Path(), Label: o.Reference}
		case !errors.Is(err, reports.ErrNotFound):
			return err
		}
	}
	p.Title = p.T("reports.link.manage_title", rp.Reference)
	p.Data = data
	m.s.Render.Page(w, r, status, "reports/manage", p)
	return nil
}

// pubReopenByLink reopens the report of the author's link with their
// reason.
func (m *Module) pubReopenByLink(w http.ResponseWriter, r *http.Request) error {
	tid, token := pubTenantID(r), r.PathValue("token")
	rp, err := m.store.ReportByManageLink(r.Context(), tid, token)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, SubscribeLimit, rp.Contact.Email); err != nil {
		return err
	}
	_, err = m.store.Reopen(r.Context(), tid, rp.ID, r.PostForm.Get("reason"), reports.Proof{Token: token})
	if fields := guichet.FieldErrors(err); fields != nil {
		p := m.s.Render.NewPage(r, "", nil)
		p.Errors, p.Form = fields, r.PostForm
		return m.pubRenderManage(w, r, p, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, reports.ManagePrefix+token+"?rouvert=1")
}

// pubFollowConfirmForm is the page of a follow's link: the report, and
// the button that starts the follow.
func (m *Module) pubFollowConfirmForm(w http.ResponseWriter, r *http.Request) error {
	ctx, tid := r.Context(), pubTenantID(r)
	f, err := m.store.FollowByLink(ctx, tid, r.PathValue("token"))
	if err != nil {
		return err
	}
	d, err := m.store.PublicReport(ctx, tid, f.ReportID)
	if err != nil {
		return err
	}
	if f.ConfirmedAt != nil {
		return m.pubFollowing(w, r, d.Report, "reports.link.already_following_title")
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.link.follow_title")
	p.Data = map[string]any{"Reference": d.Reference, "Path": d.Path(), "Category": d.Category.Name, "Email": f.Email,
		"Action": reports.FollowConfirmPrefix + r.PathValue("token")}
	m.s.Render.Page(w, r, http.StatusOK, "reports/follow_confirm", p)
	return nil
}

// pubFollowConfirm starts the follow of the link.
func (m *Module) pubFollowConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx, tid, token := r.Context(), pubTenantID(r), r.PathValue("token")
	f, err := m.store.FollowByLink(ctx, tid, token)
	if err != nil {
		return err
	}
	d, err := m.store.PublicReport(ctx, tid, f.ReportID)
	if err != nil {
		return err
	}
	err = m.store.ConfirmFollow(ctx, tid, token)
	if errors.Is(err, reports.ErrFollowConfirmed) {
		return m.pubFollowing(w, r, d.Report, "reports.link.already_following_title")
	}
	if err != nil {
		return err
	}
	return m.pubFollowing(w, r, d.Report, "reports.link.following_title")
}

func (m *Module) pubFollowing(w http.ResponseWriter, r *http.Request, rp *reports.Report, titleKey string) error {
	lang := web.LangOf(r)
	return m.pubMessage(w, r, http.StatusOK, titleKey, m.s.Render.T(lang, "reports.link.following", rp.Reference),
		publicLink{Href: rp.Path(), Label: m.s.Render.T(lang, "reports.link.see_report", rp.Reference)})
}

// pubUnfollowForm asks for a click before a follow ends.
func (m *Module) pubUnfollowForm(w http.ResponseWriter, r *http.Request) error {
	return m.pubStopPage(w, r, "reports.link.unfollow_title", "reports.link.unfollow_text", "reports.link.unfollow_submit")
}

// pubUnfollow ends a follow: the page's button, or the mail client's
// one-click POST (RFC 8058). Any link gets the same answer: it tells
// nobody who follows.
func (m *Module) pubUnfollow(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.Unfollow(r.Context(), pubTenantID(r), r.PathValue("token")); err != nil {
		return err
	}
	return m.pubMessage(w, r, http.StatusOK, "reports.link.unfollowed_title", m.s.Render.T(web.LangOf(r), "reports.link.unfollowed"))
}

// pubStopPage is the page of an unsubscribe link: a text and a button.
func (m *Module) pubStopPage(w http.ResponseWriter, r *http.Request, titleKey, textKey, buttonKey string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T(titleKey)
	p.Data = map[string]any{"Text": p.T(textKey), "Button": p.T(buttonKey), "Action": r.URL.Path}
	m.s.Render.Page(w, r, http.StatusOK, "reports/public_stop", p)
	return nil
}

// pubAlertConfirmForm is the page of an area alert's link: the alert,
// and the button that starts it.
func (m *Module) pubAlertConfirmForm(w http.ResponseWriter, r *http.Request) error {
	ctx, tid := r.Context(), pubTenantID(r)
	a, err := m.store.AreaAlertByLink(ctx, tid, r.PathValue("token"))
	if err != nil {
		return err
	}
	if a.ConfirmedAt != nil {
		return m.pubMessage(w, r, http.StatusOK, "reports.link.alert_already_title", m.s.Render.T(web.LangOf(r), "reports.link.alert_confirmed"))
	}
	p := m.s.Render.NewPage(r, "", nil)
	category := p.T("reports.alerts.any_category")
	if a.CategoryID != "" {
		c, err := m.store.Category(ctx, tid, a.CategoryID)
		if err != nil && !errors.Is(err, reports.ErrNotFound) {
			return err
		}
		if c != nil {
			category = c.Name
		}
	}
	p.Title = p.T("reports.link.alert_title")
	p.Data = map[string]any{"Email": a.Email, "Radius": p.T("reports.alerts.radius_option", a.Radius), "Category": category,
		"OSM": reports.OSMLink(a.Lat, a.Lon), "Lat": pubCoord(a.Lat), "Lon": pubCoord(a.Lon),
		"Action": reports.AlertConfirmPrefix + r.PathValue("token")}
	m.s.Render.Page(w, r, http.StatusOK, "reports/alerts_confirm", p)
	return nil
}

// pubAlertConfirm starts the alert of the link.
func (m *Module) pubAlertConfirm(w http.ResponseWriter, r *http.Request) error {
	err := m.store.ConfirmAreaAlert(r.Context(), pubTenantID(r), r.PathValue("token"))
	title := "reports.link.alert_confirmed_title"
	if errors.Is(err, reports.ErrAlertConfirmed) {
		title, err = "reports.link.alert_already_title", nil
	}
	if err != nil {
		return err
	}
	return m.pubMessage(w, r, http.StatusOK, title, m.s.Render.T(web.LangOf(r), "reports.link.alert_confirmed"),
		publicLink{Href: ListPath, Label: m.s.Render.T(web.LangOf(r), "reports.link.see_list")})
}

// pubAlertStopForm asks for a click before an alert ends.
func (m *Module) pubAlertStopForm(w http.ResponseWriter, r *http.Request) error {
	return m.pubStopPage(w, r, "reports.link.alert_stop_title", "reports.link.alert_stop_text", "reports.link.alert_stop_submit")
}

// pubAlertStop ends an alert: the page's button or the mail client's
// one-click POST; any link gets the same answer.
func (m *Module) pubAlertStop(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.UnsubscribeArea(r.Context(), pubTenantID(r), r.PathValue("token")); err != nil {
		return err
	}
	return m.pubMessage(w, r, http.StatusOK, "reports.link.alert_stopped_title", m.s.Render.T(web.LangOf(r), "reports.link.alert_stopped"))
}
