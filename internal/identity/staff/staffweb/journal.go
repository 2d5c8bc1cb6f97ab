package staffweb

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
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

// chainView says whether the chain verified, in the reader's language.
type chainView struct {
	Intact      bool
	Title, Text string
}

// journal shows the tenant's audit log, newest first, 50 entries a page
// (keyset pagination: ?avant=<place of the last entry shown>); the first
// page also says whether the chain holds (staff.ChainReport).
func (m *Module) journal(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	before := r.URL.Query().Get("avant")
	entries, next, err := m.staff.Audit(r.Context(), t.ID, before, journalPage)
	if err != nil {
		return err
	}
	loc := t.Location()
	p := m.s.Render.NewPage(r, "", nil)
	lines := make([]logLine, len(entries))
	for i, e := range entries {
		lines[i] = logLine{Entry: e, Local: e.At.In(loc), Label: m.actionLabel(p, e.Action)}
	}
	data := map[string]any{"Lines": lines, "Next": next, "Older": before != ""}
	if before == "" {
		st, err := m.staff.ChainReport(r.Context(), t.ID)
		if err != nil {
			return err
		}
		data["Chain"] = chainText(p, st, loc)
	}
	p.Data = data
	p.Title = p.T("backoffice.journal")
	if before != "" {
		p.Title += " – " + p.T("backoffice.journal_older")
	}
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/journal", p)
	return nil
}

func (m *Module) actionLabel(p *web.Page, action string) string {
	if key := "backoffice.action." + action; m.s.Render.Cat.Has(p.Lang, key) {
		return p.T(key)
	}
	return action
}

// verifyJournal walks the whole chain now, keeps the outcome, and shows
// the journal again.
func (m *Module) verifyJournal(w http.ResponseWriter, r *http.Request) error {
	if _, err := m.staff.CheckChain(r.Context(), tenant.FromContext(r.Context()).ID); err != nil {
		return err
	}
	return web.Redirect(w, r, "/gestion/journal")
}

// chainText words the outcome of a verification.
func chainText(p *web.Page, st staff.ChainStatus, loc *time.Location) chainView {
	checked := p.T("backoffice.chain_checked", when(st.CheckedAt, loc, p.Lang))
	if st.Intact() {
		return chainView{Intact: true, Title: p.T("backoffice.chain_intact"),
			Text: p.T("backoffice.chain_intact_text", strconv.Itoa(st.Entries)) + " " + checked}
	}
	b := st.Break
	where := p.T("backoffice.chain_at", strconv.FormatInt(b.Seq, 10))
	if !b.At.IsZero() {
		where = p.T("backoffice.chain_at_time", strconv.FormatInt(b.Seq, 10), when(b.At, loc, p.Lang))
	}
	return chainView{Title: p.T("backoffice.chain_broken"),
		Text: where + " " + p.T("backoffice.chain_reason."+b.Reason) + " " + p.T("backoffice.chain_advice")}
}

func when(t time.Time, loc *time.Location, lang string) string {
	t = t.In(loc)
	return guichet.Date(t, lang) + " " + t.Format("15:04:05")
}

// exportJSONL and exportCSV send the whole log with its hashes, so that
// someone outside can verify it (docs/AUDIT.md); the export is audited.
func (m *Module) exportJSONL(w http.ResponseWriter, r *http.Request) error {
	return m.export(w, r, "jsonl", "application/jsonl; charset=utf-8", m.staff.WriteJSONL)
}

func (m *Module) exportCSV(w http.ResponseWriter, r *http.Request) error {
	return m.export(w, r, "csv", "text/csv; charset=utf-8", m.staff.WriteCSV)
}

func (m *Module) export(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(ctx context.Context, w io.Writer, tenantID string) error) error {
	t := tenant.FromContext(r.Context())
	m.s.Record(r, "staff.audit_exported", ext)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="journal-`+t.Slug+`.`+ext+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	return write(r.Context(), w, t.ID)
}
