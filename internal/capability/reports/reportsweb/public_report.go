package reportsweb

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/svgmap"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// pubAroundSide is the width, in metres, of the map around a report.
const pubAroundSide = 300

// pubReportView is a report's public page: never its author.
type pubReportView struct {
	*reports.Detail
	CategoryName, Reported string
	Answers                []pubAnswerView
	Updates                []pubUpdateView
	Photos                 []pubPhotoView
	// Original is the report a duplicate repeats.
	Original            *publicLink
	OSM, AlertsURL      string
	Lat, Lon            string
	Follows, CanFollow  bool
	AccountFollow       bool
	Reopen, SignedEmail bool
}

type pubAnswerView struct{ Label, Value string }

type pubUpdateView struct {
	At, Note, By string
	Status       reports.Status
	// Changed is false for a note that leaves the status as it was.
	Changed bool
}

type pubPhotoView struct {
	Href, Thumb, Alt string
	Width, Height    int
}

// pubReport is a report's public page.
func (m *Module) pubReport(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	if q := r.URL.Query(); q.Get("suivi") == "1" {
		p.Notice = p.T("reports.public.followed")
	} else if q.Get("suivi") == "0" {
		p.Notice = p.T("reports.public.unfollowed")
	} else if q.Get("rouvert") == "1" {
		p.Notice = p.T("reports.public.reopened")
	}
	return m.pubRenderReport(w, r, p, http.StatusOK)
}

// pubRenderReport shows the report of the path's id on p, whose errors and
// form (a follow or a reopening refused) it keeps.
func (m *Module) pubRenderReport(w http.ResponseWriter, r *http.Request, p *web.Page, status int) error {
	ctx, t := r.Context(), tenant.FromContext(r.Context())
	d, err := m.store.PublicReport(ctx, t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := m.pubReportDetails(r, p, d)
	if err != nil {
		return err
	}
	p.Title = d.Reference + " — " + v.CategoryName
	if id := pubIdentity(r); p.Form == nil && id != nil {
		p.Form = url.Values{"email": {id.Email}} // an address not proven yet follows by link
	}
	data := map[string]any{"Report": v, "JSONLD": pubReportJSONLD(p, t, v)}
	pt := orb.Point{d.Lon, d.Lat}
	mp, err := m.newMap(ctx, t.ID, svgmap.Around(pt, pubAroundSide), 0, mapWidth, p.T("reports.public.around_label", d.Reference))
	if err != nil {
		return err
	}
	mp.pin(pt, "", pubPinLabel(p, d.Reference, v.CategoryName, d.Status), pubPinClass(d.Status))
	data["Map"] = mp
	p.Data = data
	m.s.Render.Page(w, r, status, "reports/report", p)
	return nil
}

// pubReportDetails reads what the page shows of d: its answers, history and
// photos, the original of a duplicate, and what the visitor may do.
func (m *Module) pubReportDetails(r *http.Request, p *web.Page, d *reports.Detail) (*pubReportView, error) {
	ctx, t := r.Context(), tenant.FromContext(r.Context())
	loc := t.Location()
	v := &pubReportView{Detail: d, CategoryName: d.Category.Name, Reported: pubWhen(p, loc, d.CreatedAt),
		OSM: reports.OSMLink(d.Lat, d.Lon), Lat: pubCoord(d.Lat), Lon: pubCoord(d.Lon)}
	v.AlertsURL = AlertsPath + "?" + url.Values{"lat": {v.Lat}, "lon": {v.Lon}}.Encode()
	for _, q := range d.Category.Questions {
		values := d.Answers[q.Code]
		if len(values) == 0 {
			continue
		}
		names := make([]string, len(values))
		for i, val := range values {
			names[i] = val
			for _, c := range q.Values {
				if c.Key == val {
					names[i] = c.Name
				}
			}
		}
		v.Answers = append(v.Answers, pubAnswerView{Label: q.Label, Value: strings.Join(names, ", ")})
	}
	prev := reports.Status("")
	for _, u := range d.Updates {
		v.Updates = append(v.Updates, pubUpdateView{At: pubWhen(p, loc, u.At), Note: u.Note, By: u.By, Status: u.Status,
			Changed: u.Status != prev})
		prev = u.Status
	}
	for i, ph := range d.Photos {
		v.Photos = append(v.Photos, pubPhotoView{Href: ph.Path(), Thumb: ph.Path() + pubThumbSuffix,
			Alt: p.T("reports.public.photo_alt", i+1, d.Reference), Width: ph.ThumbWidth, Height: ph.ThumbHeight})
	}
	if d.Status == reports.Duplicate && d.DuplicateOf != "" {
		o, err := m.store.PublicReport(ctx, t.ID, d.DuplicateOf)
		switch {
		case err == nil:
			v.Original = &publicLink{Href: o.Path(), Label: o.Reference}
		case !errors.Is(err, reports.ErrNotFound):
			return nil, err
		}
	}
	v.CanFollow = d.Status != reports.Duplicate
	id := pubIdentity(r)
	if id == nil {
		return v, nil
	}
	v.AccountFollow = id.EmailVerified && id.Email != ""
	if v.AccountFollow {
		follows, err := m.store.FollowsByAccount(ctx, t.ID, d.ID, id.UserID)
		if err != nil {
			return nil, err
		}
		v.Follows = follows
	}
	if reports.Reopenable(d.Status, d.ResolvedAt, m.now(r)) {
		// The public read leaves the author out: the full one says
		// whether the visitor is them.
		full, err := m.store.Report(ctx, t.ID, d.ID)
		if err != nil {
			return nil, err
		}
		v.Reopen = full.AccountID != "" && full.AccountID == id.UserID
	}
	return v, nil
}

// pubCoord writes a coordinate to the metre or so.
func pubCoord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// pubReportJSONLD describes the page in schema.org terms: a web page about
// a place, dated, without its author.
func pubReportJSONLD(p *web.Page, t *tenant.Tenant, v *pubReportView) template.JS {
	place := map[string]any{"@type": "Place",
		"geo": map[string]any{"@type": "GeoCoordinates", "latitude": v.Detail.Lat, "longitude": v.Detail.Lon}}
	if v.Address != "" {
		place["address"] = v.Address
	}
	doc := map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": p.Title, "url": p.Canonical(),
		"inLanguage": p.Lang, "description": v.Description, "dateCreated": v.CreatedAt.Format("2006-01-02T15:04:05Z07:00"),
		"dateModified": v.UpdatedAt.Format("2006-01-02T15:04:05Z07:00"), "about": place,
		"isPartOf": map[string]any{"@type": "WebSite", "name": t.Name, "url": p.SiteURL() + "/"}}
	if len(v.Photos) > 0 {
		doc["image"] = p.Absolute(v.Photos[0].Href)
	}
	return publishingweb.JSONLD(doc)
}

// pubReportAction is a report's page's buttons: follow, stop following,
// reopen (actionPattern).
func (m *Module) pubReportAction(w http.ResponseWriter, r *http.Request) error {
	switch r.PathValue("action") {
	case pubFollowAction:
		return m.pubFollow(w, r)
	case pubStopAction:
		return m.pubStopFollowing(w, r)
	case pubReopenAction:
		return m.pubReopenByAccount(w, r)
	}
	return reports.ErrNotFound
}

// pubFollow follows the report: at once for a resident whose address is
// proven, by a link mailed otherwise.
func (m *Module) pubFollow(w http.ResponseWriter, r *http.Request) error {
	ctx, tid := r.Context(), pubTenantID(r)
	if err := web.ParseForm(r); err != nil {
		return err
	}
	id := pubIdentity(r)
	if id != nil && id.EmailVerified && id.Email != "" {
		if err := m.s.Limit(r, SubscribeLimit, id.Email); err != nil {
			return err
		}
		if err := m.store.FollowByAccount(ctx, tid, r.PathValue("id"), id.UserID, id.Email, web.LangOf(r)); err != nil {
			return err
		}
		return web.Redirect(w, r, reports.ReportPath(r.PathValue("id"))+"?suivi=1")
	}
	email := r.PostForm.Get("email")
	if err := m.s.Limit(r, SubscribeLimit, email); err != nil {
		return err
	}
	_, err := m.store.Follow(ctx, tid, r.PathValue("id"), email, web.LangOf(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		p := m.s.Render.NewPage(r, "", nil)
		p.Errors, p.Form = fields, r.PostForm
		return m.pubRenderReport(w, r, p, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	// The same answer whether or not the address already follows.
	return m.pubMessage(w, r, http.StatusOK, "reports.public.follow_sent_title", m.s.Render.T(web.LangOf(r), "reports.public.follow_sent"),
		publicLink{Href: reports.ReportPath(r.PathValue("id")), Label: m.s.Render.T(web.LangOf(r), "reports.public.back_to_report")})
}

// pubStopFollowing ends a signed-in resident's follow.
func (m *Module) pubStopFollowing(w http.ResponseWriter, r *http.Request) error {
	id := pubIdentity(r)
	if id == nil {
		return guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour continuer.")
	}
	ctx, tid := r.Context(), pubTenantID(r)
	if _, err := m.store.PublicReport(ctx, tid, r.PathValue("id")); err != nil {
		return err
	}
	if err := m.store.UnfollowByAccount(ctx, tid, r.PathValue("id"), id.UserID); err != nil {
		return err
	}
	return web.Redirect(w, r, reports.ReportPath(r.PathValue("id"))+"?suivi=0")
}

// pubReopenByAccount reopens a signed-in author's report with their reason.
func (m *Module) pubReopenByAccount(w http.ResponseWriter, r *http.Request) error {
	id := pubIdentity(r)
	if id == nil {
		return guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour continuer.")
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, SubscribeLimit, id.Email); err != nil {
		return err
	}
	_, err := m.store.Reopen(r.Context(), pubTenantID(r), r.PathValue("id"), r.PostForm.Get("reason"), reports.Proof{AccountID: id.UserID})
	if fields := guichet.FieldErrors(err); fields != nil {
		p := m.s.Render.NewPage(r, "", nil)
		p.Errors, p.Form = fields, r.PostForm
		return m.pubRenderReport(w, r, p, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, reports.ReportPath(r.PathValue("id"))+"?rouvert=1")
}

// pubPhoto serves a photo of a public report.
func (m *Module) pubPhoto(w http.ResponseWriter, r *http.Request) error {
	ph, body, err := m.store.OpenPhoto(r.Context(), pubTenantID(r), r.PathValue("id"), r.PathValue("photo"))
	if err != nil {
		return err
	}
	defer body.Close()
	return pubSendPhoto(w, ph.ContentType, ph.Size, body)
}

// pubPhotoThumb serves a photo's thumbnail, or the photo when it has none.
func (m *Module) pubPhotoThumb(w http.ResponseWriter, r *http.Request) error {
	ph, body, err := m.store.OpenPhotoThumb(r.Context(), pubTenantID(r), r.PathValue("id"), r.PathValue("photo"))
	if err != nil {
		return err
	}
	defer body.Close()
	return pubSendPhoto(w, ph.ThumbType(), -1, body)
}

// pubSendPhoto writes a stored image: shown in the page, never read as
// anything else, kept by browsers and proxies ten minutes only, so that
// a photo staff remove (a face, a number plate) is soon gone from their
// caches too.
func pubSendPhoto(w http.ResponseWriter, contentType string, size int64, body io.Reader) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "public, max-age=600")
	if size >= 0 {
		h.Set("Content-Length", fmt.Sprint(size))
	}
	_, err := io.Copy(w, body)
	return err
}
