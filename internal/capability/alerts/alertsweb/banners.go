package alertsweb

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"guichet/internal/capability/alerts"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Banner is one alert as the layout shows it above every page.
type Banner struct {
	Level, Label, Text, Link, LinkText string
}

// Banners are the alerts shown above a page.
type Banners []Banner

// MemoKey holds everything the banners show, for the page memo.
func (bs Banners) MemoKey() string {
	var b strings.Builder
	for _, x := range bs {
		for _, f := range []string{x.Level, x.Label, x.Text, x.Link, x.LinkText} {
			b.WriteString(f)
			b.WriteByte(0)
		}
	}
	return b.String()
}

// activeAlerts returns the collectivité's active alerts, cached.
func (m *Module) activeAlerts(r *http.Request, t *tenant.Tenant) ([]*alerts.Alert, error) {
	v, err := m.cache.Get(t.ID, "alerts", func() (any, error) { return m.store.Active(r.Context(), t.ID) })
	if err != nil {
		return nil, err
	}
	// An alert that expired since it was cached is dropped here.
	now := m.store.Now()
	var out []*alerts.Alert
	for _, a := range v.([]*alerts.Alert) {
		if a.Active(now) {
			out = append(out, a)
		}
	}
	return out, nil
}

// banners puts the active alerts on every page of a collectivité.
func (m *Module) banners(r *http.Request, p *web.Page) {
	if _, done := p.Extra["banners"]; done || p.Tenant == nil || p.Tenant.IsPlatform() {
		return
	}
	list, err := m.activeAlerts(r, p.Tenant)
	if err != nil {
		if !errors.Is(err, context.Canceled) { // not when the visitor left
			m.s.Log().ErrorContext(r.Context(), "alerts banner", "err", err)
		}
		return
	}
	banners := make(Banners, 0, len(list))
	for _, a := range list {
		banners = append(banners, Banner{Level: a.Severity, Label: p.T("alerts.alert.label_"+a.Severity) + " : " + a.Title,
			Text: p.T("alerts.alert.label_"+a.Severity) + " : " + a.Title, Link: "/alertes#alerte-" + a.ID, LinkText: p.T("alerts.alert.more")})
	}
	p.Extra["banners"] = banners
}
