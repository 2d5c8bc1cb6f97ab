package reportsweb

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// queueLimit is how many reports a page of the queue shows.
const queueLimit = 30

// queueTab is a status tab of the queue, with its count.
type queueTab struct {
	Status  reports.Status // "" for the open ones
	Label   string
	Count   int
	URL     string
	Current bool
}

// queueRow is a report as the queue lists it.
type queueRow struct {
	*reports.Report
	CategoryName string
	Age          string
	// Waiting is a new report nobody has acknowledged yet.
	Waiting bool
}

// inScope reports whether the staff member handles c's reports.
func inScope(sc reports.Scope, c *reports.Category) bool {
	return sc.All || c != nil && c.Service != "" && slices.Contains(sc.Services, c.Service)
}

// scopedCategories are the categories the staff member handles.
func (m *Module) scopedCategories(r *http.Request) ([]*reports.Category, error) {
	all, err := m.store.Categories(r.Context(), tenant.FromContext(r.Context()).ID)
	if err != nil {
		return nil, err
	}
	sc := scope(r)
	return slices.DeleteFunc(all, func(c *reports.Category) bool { return !inScope(sc, c) }), nil
}

// queue lists the reports of the staff member's scope, those waiting
// longest first, by status tab and category.
func (m *Module) queue(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query()
	sc := scope(r)
	cats, err := m.scopedCategories(r)
	if err != nil {
		return err
	}
	status := reports.Status(q.Get("etat"))
	if status != "" && !status.Valid() {
		status = ""
	}
	category := q.Get("categorie")
	if !slices.ContainsFunc(cats, func(c *reports.Category) bool { return c.ID == category }) {
		category = ""
	}
	list, next, err := m.store.Queue(r.Context(), t.ID, reports.QueueFilter{Scope: sc, Status: status, CategoryID: category,
		After: publishing.ParseCursor(q.Get("apres")), Limit: queueLimit})
	if err != nil {
		return err
	}
	counts, err := m.store.StatusCounts(r.Context(), t.ID, sc)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.staff.title")
	names := map[string]string{}
	options := make([]publishingweb.Option, 0, len(cats))
	for _, c := range cats {
		names[c.ID] = c.Name
		options = append(options, publishingweb.Option{Value: c.ID, Label: c.Name})
	}
	now := m.now(r)
	rows := make([]queueRow, len(list))
	for i, rp := range list {
		rows[i] = queueRow{Report: rp, CategoryName: names[rp.CategoryID], Age: age(p, now.Sub(rp.CreatedAt)),
			Waiting: rp.Status == reports.New}
	}
	open := 0
	for _, st := range reports.OpenStatuses {
		open += counts[st]
	}
	link := func(st reports.Status, after string) string {
		v := url.Values{}
		if st != "" {
			v.Set("etat", string(st))
		}
		if category != "" {
			v.Set("categorie", category)
		}
		if after != "" {
			v.Set("apres", after)
		}
		if len(v) == 0 {
			return QueuePath
		}
		return QueuePath + "?" + v.Encode()
	}
	tabs := []queueTab{{Label: p.T("reports.staff.tab_open"), Count: open, URL: link("", ""), Current: status == ""}}
	for _, st := range reports.Statuses {
		tabs = append(tabs, queueTab{Status: st, Label: p.T("reports.status." + string(st)), Count: counts[st],
			URL: link(st, ""), Current: status == st})
	}
	var nextURL string
	if next.ID != "" {
		nextURL = link(status, next.String())
	}
	p.Data = map[string]any{"Rows": rows, "Tabs": tabs, "Categories": options, "Status": string(status),
		"Next": nextURL, "First": link(status, ""), "Paged": q.Get("apres") != "", "Admin": sc.All,
		"Caption": p.T("reports.staff.caption", tabs[slices.IndexFunc(tabs, func(tb queueTab) bool { return tb.Current })].Label)}
	p.Form = url.Values{"etat": {string(status)}, "categorie": {category}}
	m.s.Render.Page(w, r, http.StatusOK, "reports/staff_queue", p)
	return nil
}

// age says how long ago something happened, in the largest whole unit.
func age(p *web.Page, d time.Duration) string {
	switch {
	case d < time.Hour:
		return p.N("reports.staff.age_minutes", max(int(d/time.Minute), 0))
	case d < 48*time.Hour:
		return p.N("reports.staff.age_hours", int(d/time.Hour))
	default:
		return p.N("reports.staff.age_days", int(d/(24*time.Hour)))
	}
}

// staffDate is an instant in the collectivité's zone, in words.
func staffDate(t *tenant.Tenant, lang string, at time.Time) string {
	at = at.In(t.Location())
	return guichet.Date(at, lang) + " " + at.Format("15:04")
}
