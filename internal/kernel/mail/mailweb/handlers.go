package mailweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// perPage is how many messages a console page lists.
const perPage = 25

// listData is what the outbox page shows.
type listData struct {
	Entries     []row
	Page, Pages int
	Total       int
	Holding     bool
}

// row is one message, formatted for the table.
type row struct {
	*mail.Entry
	Created, Sent string
}

func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" }

func (m *Module) list(w http.ResponseWriter, r *http.Request) error {
	return m.renderList(w, r, http.StatusOK, nil)
}

func (m *Module) renderList(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	entries, total, err := m.outbox.ListAll(r.Context(), (page-1)*perPage, perPage)
	if err != nil {
		return err
	}
	pages := max((total+perPage-1)/perPage, 1)
	if page > pages && total > 0 {
		return guichet.Errorf(guichet.ENotFound, "Page introuvable.")
	}
	m.s.Record(r, "mail.outbox_viewed", "page "+strconv.Itoa(page))
	d := listData{Page: page, Pages: pages, Total: total, Holding: m.outbox.Holding()}
	for _, e := range entries {
		rw := row{Entry: e, Created: when(e.CreatedAt)}
		if e.SentAt != nil {
			rw.Sent = when(*e.SentAt)
		}
		d.Entries = append(d.Entries, rw)
	}
	p := m.s.Render.NewPage(r, "", d)
	p.Title = p.T("mailbox.title")
	if len(errs) > 0 {
		p.Errors, p.Form = errs, r.PostForm
	} else {
		p.Form = url.Values{}
		if id := account.FromContext(r.Context()); id != nil {
			p.Form.Set("email", id.Email)
		}
	}
	if r.URL.Query().Get("ok") == "test" {
		p.Notice = p.T("mailbox.test_queued")
	}
	m.s.Render.Page(w, r, status, "mailbox/outbox", p)
	return nil
}

// sendTest queues the sample message, from the platform, to the address given.
func (m *Module) sendTest(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	to := strings.TrimSpace(r.PostForm.Get("email"))
	err := m.outbox.Enqueue(r.Context(), mail.Message{TenantID: tenant.PlatformID, To: to,
		Template: mail.TestTemplate, Lang: web.LangOf(r), Data: map[string]any{"Link": m.s.Scheme() + "://" + r.Host + "/"}})
	if guichet.ErrorCode(err) == guichet.EInvalid {
		msg := m.s.Render.T(web.LangOf(r), "mailbox.email_invalid")
		return m.renderList(w, r, http.StatusUnprocessableEntity, map[string]string{"email": msg})
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/console/courriels?ok=test")
}

// showData is one message and its rendering.
type showData struct {
	Entry         row
	Text          string
	HasHTML       bool
	RenderProblem string
	// LinksShown is true in demo mode, where secret links are not masked.
	LinksShown bool
}

func (m *Module) show(w http.ResponseWriter, r *http.Request) error {
	e, err := m.outbox.Get(r.Context(), r.PathValue("tenant"), r.PathValue("id"))
	if err != nil {
		return err
	}
	m.s.Record(r, "mail.message_viewed", e.TenantID+" "+e.ID)
	d := showData{Entry: row{Entry: e, Created: when(e.CreatedAt)}}
	if e.SentAt != nil {
		d.Entry.Sent = when(*e.SentAt)
	}
	rd, err := m.outbox.Preview(r.Context(), e)
	switch {
	case e.Erased:
	case err != nil:
		d.RenderProblem = err.Error()
	case m.demo:
		d.Text, d.HasHTML, d.LinksShown = rd.Text, rd.HTML != "", true
	default:
		d.Text, d.HasHTML = mail.MaskLinks(rd.Text), rd.HTML != ""
	}
	p := m.s.Render.NewPage(r, "", d)
	p.Title = e.Subject
	m.s.Render.Page(w, r, http.StatusOK, "mailbox/message", p)
	return nil
}
