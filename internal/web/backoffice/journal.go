package backoffice

import (
	"net/http"
	"time"

	"guichet/internal/staff"
	"guichet/internal/tenant"
)

// journalPage is how many audit entries one page shows.
const journalPage = 50

// logLine is an audit entry as shown: its time in the tenant's zone and its
// action's label when the catalogue has one.
type logLine struct {
	staff.Entry
	Local time.Time
	Label string
}

// journal shows the tenant's audit log, newest first, 50 entries a page
// (keyset pagination: ?avant=<id of the last entry shown>).
func (m *Module) journal(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	before := r.URL.Query().Get("avant")
	entries, next, err := m.staff.Audit(r.Context(), t.ID, before, journalPage)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	p := m.s.Render.NewPage(r, "", nil)
	lines := make([]logLine, len(entries))
	for i, e := range entries {
		label := e.Action
		if key := "backoffice.action." + e.Action; m.s.Render.Cat.Has(p.Lang, key) {
			label = p.T(key)
		}
		lines[i] = logLine{Entry: e, Local: e.At.In(loc), Label: label}
	}
	p.Data = map[string]any{"Lines": lines, "Next": next, "Older": before != ""}
	p.Title = p.T("backoffice.journal")
	if before != "" {
		p.Title += " – " + p.T("backoffice.journal_older")
	}
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/journal", p)
	return nil
}
