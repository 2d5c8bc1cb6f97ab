package reportsweb

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// staffMapWidth is the width of a report's small map on its staff page.
const staffMapWidth = 480

// staffMapSpan is half the side of the area the small map shows, in
// degrees of latitude (about 150 m).
const staffMapSpan = 0.00135

// answerView is a question of the category with its answer in words.
type answerView struct{ Label, Value string }

// historyView is a line of the report's history, its date in words.
type historyView struct {
	reports.Update
	At string
}

// staffDetail reads a report of the staff member's scope: any other is
// not found, as if it did not exist.
func (m *Module) staffDetail(r *http.Request) (*reports.Detail, error) {
	t := tenant.FromContext(r.Context())
	d, err := m.store.StaffReport(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !inScope(scope(r), d.Category) {
		return nil, reports.ErrNotFound
	}
	return d, nil
}

// staffReport shows a report with everything staff may know, and the
// form that moves it on.
func (m *Module) staffReport(w http.ResponseWriter, r *http.Request) error {
	d, err := m.staffDetail(r)
	if err != nil {
		return err
	}
	m.s.Record(r, "reports.report_viewed", d.Reference) // the author's contact is read
	return m.renderReport(w, r, http.StatusOK, d, reportForm(d), nil, "")
}

// reportForm is the change form as it starts: the length of the history
// read (the report's version), no status chosen, an empty note.
func reportForm(d *reports.Detail) url.Values {
	return url.Values{"vu": {strconv.Itoa(len(d.Updates))}}
}

func (m *Module) renderReport(w http.ResponseWriter, r *http.Request, status int, d *reports.Detail, form url.Values,
	errs map[string]string, conflict string) error {
	t := tenant.FromContext(r.Context())
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.staff.report_title", d.Reference)
	followers, err := m.store.FollowerCount(r.Context(), t.ID, d.ID)
	if err != nil {
		return err
	}
	rm, err := m.staffMap(r, p, d)
	if err != nil {
		return err
	}
	next := []publishingweb.Option{}
	for _, st := range d.Status.Next() {
		next = append(next, publishingweb.Option{Value: string(st), Label: p.T("reports.status." + string(st))})
	}
	history := make([]historyView, len(d.Updates))
	for i, u := range d.Updates {
		history[i] = historyView{Update: u, At: staffDate(t, p.Lang, u.At)}
	}
	var duplicateOf *reports.Report
	if d.DuplicateOf != "" {
		if o, err := m.store.Report(r.Context(), t.ID, d.DuplicateOf); err == nil {
			duplicateOf = o
		}
	}
	p.Data = map[string]any{"Report": d, "Answers": answers(d), "History": history, "Next": next, "Map": rm,
		"Followers": followers, "Created": staffDate(t, p.Lang, d.CreatedAt), "DuplicateOf": duplicateOf,
		"OSM": reports.OSMLink(d.Lat, d.Lon), "Conflict": conflict, "CanDuplicate": d.Status.CanMoveTo(reports.Duplicate),
		"Confirmed": optDate(t, p.Lang, d.ConfirmedAt), "Resolved": optDate(t, p.Lang, d.ResolvedAt)}
	p.Form, p.Errors = form, errs
	switch r.URL.Query().Get("fait") {
	case "etat":
		p.Notice = p.T("reports.staff.changed")
	case "photo":
		p.Notice = p.T("reports.staff.photo_deleted")
	}
	m.s.Render.Page(w, r, status, "reports/staff_report", p)
	return nil
}

func optDate(t *tenant.Tenant, lang string, at *time.Time) string {
	if at == nil {
		return ""
	}
	return staffDate(t, lang, *at)
}

// answers are the report's answers under their questions' labels, list
// answers by their choices' names.
func answers(d *reports.Detail) []answerView {
	var out []answerView
	for _, q := range d.Category.Questions {
		values := d.Answers[q.Code]
		if len(values) == 0 {
			continue
		}
		words := make([]string, len(values))
		for i, v := range values {
			words[i] = v
			for _, c := range q.Values {
				if c.Key == v {
					words[i] = c.Name
				}
			}
		}
		out = append(out, answerView{Label: q.Label, Value: strings.Join(words, ", ")})
	}
	return out
}

// staffMap draws the surroundings of the report with its pin.
func (m *Module) staffMap(r *http.Request, p *web.Page, d *reports.Detail) (*reportMap, error) {
	pt := orb.Point{d.Lon, d.Lat}
	box := orb.Bound{Min: orb.Point{d.Lon - staffMapSpan*1.5, d.Lat - staffMapSpan}, Max: orb.Point{d.Lon + staffMapSpan*1.5, d.Lat + staffMapSpan}}
	rm, err := m.newMap(r.Context(), d.TenantID, box, 0, staffMapWidth, p.T("reports.staff.map_label", d.Reference))
	if err != nil {
		return nil, err
	}
	rm.pin(pt, "", p.T("reports.staff.map_pin", d.Reference, p.T("reports.status."+string(d.Status))), "pin-chosen")
	return rm, nil
}

// change applies the agent's form: a new status, a public note, the
// original of a duplicate. A report changed since the agent read it is
// shown again as it is now, their note kept.
func (m *Module) change(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	d, err := m.staffDetail(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	seen, perr := strconv.Atoi(f.Get("vu"))
	if perr != nil {
		seen = -1 // a form without its version is stale
	}
	ch := reports.Change{Status: reports.Status(f.Get("status")), PublicNote: f.Get("public_note"),
		By: publishingweb.Author(r), Seen: &seen}
	if ch.Status == reports.Duplicate {
		ch.DuplicateOf = f.Get("duplicate_of")
	}
	_, err = m.store.Change(r.Context(), t.ID, d.ID, ch)
	if errors.Is(err, reports.ErrChanged) {
		form := reportForm(d) // the version just read: sending again applies to what is shown
		form.Set("public_note", f.Get("public_note"))
		form.Set("duplicate_of", f.Get("duplicate_of"))
		return m.renderReport(w, r, http.StatusConflict, d, form, nil, guichet.ErrorMessage(err))
	}
	fields := guichet.FieldErrors(err)
	if fields == nil && guichet.ErrorCode(err) == guichet.EConflict {
		fields = map[string]string{"status": guichet.ErrorMessage(err)}
	}
	if fields != nil {
		return m.renderReport(w, r, http.StatusUnprocessableEntity, d, f, fields, "")
	}
	if err != nil {
		return err
	}
	action := "reports.report_noted"
	if ch.Status != "" && ch.Status != d.Status {
		action = "reports.report_" + string(ch.Status)
	}
	m.s.Record(r, action, d.Reference)
	return publishingweb.SeeOther(w, r, QueuePath+"/"+d.ID+"?fait=etat")
}

// staffPhoto serves a photo of a report of the scope (its thumbnail
// with ?vignette=1), kept out of shared caches.
func (m *Module) staffPhoto(w http.ResponseWriter, r *http.Request) error {
	d, err := m.staffDetail(r)
	if err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	open, thumb := m.store.OpenPhoto, r.URL.Query().Get("vignette") == "1"
	if thumb {
		open = m.store.OpenPhotoThumb
	}
	ph, body, err := open(r.Context(), t.ID, d.ID, r.PathValue("photo"))
	if err != nil {
		return err
	}
	defer body.Close()
	ctype := ph.ContentType
	if thumb {
		ctype = ph.ThumbType()
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", "inline")
	_, err = io.Copy(w, body)
	return err
}

// photoOf returns the report and the photo the path names.
func (m *Module) photoOf(r *http.Request) (*reports.Detail, *reports.Photo, error) {
	d, err := m.staffDetail(r)
	if err != nil {
		return nil, nil, err
	}
	for i := range d.Photos {
		if d.Photos[i].ID == r.PathValue("photo") {
			return d, &d.Photos[i], nil
		}
	}
	return nil, nil, reports.ErrNotFound
}

// photoDeleteForm asks to confirm a photo's removal, the photo shown.
func (m *Module) photoDeleteForm(w http.ResponseWriter, r *http.Request) error {
	d, ph, err := m.photoOf(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.staff.photo_delete_title", d.Reference)
	index := 1
	for i := range d.Photos {
		if d.Photos[i].ID == ph.ID {
			index = i + 1
		}
	}
	p.Data = map[string]any{"Report": d, "Photo": ph, "Index": strconv.Itoa(index)}
	m.s.Render.Page(w, r, http.StatusOK, "reports/staff_photo_delete", p)
	return nil
}

// deletePhoto removes a photo that should not be public (a face, a
// number plate).
func (m *Module) deletePhoto(w http.ResponseWriter, r *http.Request) error {
	d, ph, err := m.photoOf(r)
	if err != nil {
		return err
	}
	if err := m.store.DeletePhoto(r.Context(), d.TenantID, d.ID, ph.ID); err != nil {
		return err
	}
	m.s.Record(r, "reports.photo_deleted", d.Reference)
	return publishingweb.SeeOther(w, r, QueuePath+"/"+d.ID+"?fait=photo#photos")
}
