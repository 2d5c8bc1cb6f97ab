package alertsweb

import (
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/capability/alerts"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// adminAlerts lists recent alerts with the form to publish one and the
// list of neighbourhoods.
func (m *Module) adminAlerts(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminAlerts(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminAlerts(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	recent, _, err := m.store.Recent(r.Context(), t.ID, publishing.Cursor{}, 30)
	if err != nil {
		return err
	}
	areas, err := m.store.Areas(r.Context(), t.ID)
	if err != nil {
		return err
	}
	subs, err := m.store.SubscriberCount(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	sev := make([]publishingweb.Option, len(alerts.Severities))
	for i, v := range alerts.Severities {
		sev[i] = publishingweb.Option{Value: v, Label: p.T("alerts.severity." + v)}
	}
	topics := make([]publishingweb.Option, len(alerts.Topics))
	for i, v := range alerts.Topics {
		topics[i] = publishingweb.Option{Value: v, Label: p.T("alerts.topic." + v)}
	}
	areaOpts := []publishingweb.Option{}
	for _, a := range areas {
		areaOpts = append(areaOpts, publishingweb.Option{Value: a, Label: a})
	}
	now := m.store.Now()
	type row struct {
		alertView
		Active bool
	}
	views := m.alertViews(r, recent)
	rows := make([]row, len(views))
	for i, v := range views {
		rows[i] = row{v, v.Active(now)}
	}
	p.Data = map[string]any{"Rows": rows, "Severities": sev, "Topics": topics, "Areas": areaOpts,
		"AreasText": strings.Join(areas, "\n"), "Subscribers": subs}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("alerts.admin.alerts")
	m.s.Render.Page(w, r, status, "alerts/admin_alerts", p)
	return nil
}

// publish publishes an alert: the banner shows at once and the
// subscribers are mailed by a job.
func (m *Module) publish(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	a := &alerts.Alert{TenantID: t.ID, Title: f.Get("title"), Body: f.Get("body"), Severity: f.Get("severity"),
		Topic: f.Get("topic"), Area: f.Get("area"), Author: publishingweb.Author(r)}
	exp, ok := publishingweb.LocalTime(f, "expires_date", "expires_time", m.loc(r))
	if !ok {
		return m.renderAdminAlerts(w, r, http.StatusUnprocessableEntity, map[string]string{"expires_date": m.s.Render.T(web.LangOf(r), "publishing.admin.bad_date")})
	}
	if exp != nil {
		a.Expires = exp.UTC()
	}
	err := m.store.Publish(r.Context(), a, m.baseURL(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminAlerts(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "alerts.alert_published", a.Title)
	return publishingweb.SeeOther(w, r, "/gestion/alertes?publiee=1")
}

func (m *Module) withdraw(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.Withdraw(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "alerts.alert_withdrawn", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, "/gestion/alertes")
}

func (m *Module) saveAreas(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	err := m.store.SetAreas(r.Context(), t.ID, strings.Split(r.PostFormValue("areas"), "\n"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminAlerts(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, "/gestion/alertes")
}
