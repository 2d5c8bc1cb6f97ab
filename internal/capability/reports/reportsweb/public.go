package reportsweb

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// The public pages' own addresses, beside those the mails carry
// (reports' links.go).
const (
	// pubActionPattern is a report's three actions: suivre, ne-plus-suivre
	// and rouvrir. One pattern serves them: three of their own would
	// conflict with the links' /signalements/confirmer/{token} and
	// /signalements/suivi/{token}, which match the same paths.
	pubActionPattern = "POST " + reports.BasePath + "/{id}/{action}"
	pubFollowAction  = "suivre"
	pubStopAction    = "ne-plus-suivre"
	pubReopenAction  = "rouvrir"
	pubThumbSuffix   = "/vignette"
)

// publicRoutes adds the map and list, a report's page and photos, the
// follows, the area alerts, the links the mails carry and the
// resident's own reports.
func (m *Module) publicRoutes(s *web.Server) {
	s.Render.AddPersonal(web.NavItem{Key: "reports.mine.nav", Path: MinePath, Order: 50})

	s.Site("GET "+ListPath, m.pubList)
	s.Site("GET "+AlertsPath, m.pubAlertsForm)
	s.Site("POST "+AlertsPath, m.pubSubscribeArea)
	s.Site("GET "+reports.BasePath+"/{id}", m.pubReport)
	s.Site(pubActionPattern, m.pubReportAction)
	s.Site("GET "+reports.BasePath+"/{id}/photos/{photo}", m.pubPhoto)
	s.Site("GET "+reports.BasePath+"/{id}/photos/{photo}"+pubThumbSuffix, m.pubPhotoThumb)

	// The mails' links: opening one shows a page, its button acts (mail
	// scanners open links in their recipient's stead).
	s.Site("GET "+reports.ConfirmPrefix+"{token}", m.pubConfirmForm)
	s.Site("POST "+reports.ConfirmPrefix+"{token}", m.pubConfirm)
	s.Site("GET "+reports.ManagePrefix+"{token}", m.pubManage)
	s.Site("POST "+reports.ManagePrefix+"{token}", m.pubReopenByLink)
	s.Site("GET "+reports.FollowConfirmPrefix+"{token}", m.pubFollowConfirmForm)
	s.Site("POST "+reports.FollowConfirmPrefix+"{token}", m.pubFollowConfirm)
	s.Site("GET "+reports.UnfollowPrefix+"{token}", m.pubUnfollowForm)
	s.Site("POST "+reports.UnfollowPrefix+"{token}", m.pubUnfollow)
	s.Site("GET "+reports.AlertConfirmPrefix+"{token}", m.pubAlertConfirmForm)
	s.Site("POST "+reports.AlertConfirmPrefix+"{token}", m.pubAlertConfirm)
	s.Site("GET "+reports.AlertUnsubscribePrefix+"{token}", m.pubAlertStopForm)
	s.Site("POST "+reports.AlertUnsubscribePrefix+"{token}", m.pubAlertStop)

	s.Site("GET "+MinePath, m.pubMine, s.SignedIn)
}

// publicLink is a link a message page offers after its text.
type publicLink struct{ Href, Label string }

// pubMessage shows a one-paragraph outcome: a mail sent, a link used.
func (m *Module) pubMessage(w http.ResponseWriter, r *http.Request, status int, titleKey, text string, links ...publicLink) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Text": text, "Links": links})
	p.Title = p.T(titleKey)
	m.s.Render.Page(w, r, status, "reports/public_message", p)
	return nil
}

// pubWhen writes an instant in the collectivité's zone, as a long date and
// an hour.
func pubWhen(p *web.Page, loc *time.Location, t time.Time) string {
	t = t.In(loc)
	return p.T("reports.public.date_time", guichet.LongDate(t, p.Lang), t.Format("15:04"))
}

// pubDay writes an instant's date in the collectivité's zone.
func pubDay(p *web.Page, loc *time.Location, t time.Time) string {
	return guichet.Date(t.In(loc), p.Lang)
}

// pubStatusLabel is a status in the page's language.
func pubStatusLabel(p *web.Page, st reports.Status) string {
	return p.T("reports.status." + string(st))
}

// pubPinClass is a pin's colour: still to deal with, or dealt with.
func pubPinClass(st reports.Status) string {
	if st.Open() {
		return "pin-open"
	}
	return "pin-fixed"
}

// pubPinLabel names a pin in words: reference, category, status.
func pubPinLabel(p *web.Page, ref, category string, st reports.Status) string {
	return ref + " — " + category + " — " + pubStatusLabel(p, st)
}

// pubCategoryNames maps the collectivité's categories, inactive ones too
// (a report keeps its category), by id.
func pubCategoryNames(list []*reports.Category) map[string]*reports.Category {
	out := make(map[string]*reports.Category, len(list))
	for _, c := range list {
		out[c.ID] = c
	}
	return out
}

// pubCategoryName is a category's name, or a dash for one gone.
func pubCategoryName(cats map[string]*reports.Category, id string) string {
	if c := cats[id]; c != nil {
		return c.Name
	}
	return "—"
}

// pubIdentity is the signed-in person, nil for a visitor.
func pubIdentity(r *http.Request) *account.Identity { return account.FromContext(r.Context()) }

// pubTenantID is the collectivité of the request.
func pubTenantID(r *http.Request) string { return tenant.FromContext(r.Context()).ID }

// pubParseFloat reads a coordinate written with a dot or a comma.
func pubParseFloat(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	return v, err == nil
}

// pubCursorOf reads a page's cursor from the query.
func pubCursorOf(r *http.Request) publishing.Cursor {
	return publishing.ParseCursor(r.URL.Query().Get("apres"))
}
