package tenantweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// quotaView is what the quotas page shows of one collectivité.
type quotaView struct {
	ID                          string
	StorageUsed, StorageAllowed string
	MailToday, MailAllowed      int
	StoragePercent, MailPercent int
}

func (m *Module) quotas(w http.ResponseWriter, r *http.Request) error {
	t, q, err := m.quotaTenant(r)
	if err != nil {
		return err
	}
	form := url.Values{"storage_mb": {strconv.Itoa(q.StorageMB)}, "mail_per_day": {strconv.Itoa(q.MailPerDay)}}
	return m.renderQuotas(w, r, http.StatusOK, t, q, form, nil)
}

func (m *Module) saveQuotas(w http.ResponseWriter, r *http.Request) error {
	t, q, err := m.quotaTenant(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	number := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(name)))
		if err != nil {
			return 0
		}
		return n
	}
	next := tenant.Quotas{StorageMB: number("storage_mb"), MailPerDay: number("mail_per_day")}
	err = m.tenants.SetQuotas(r.Context(), t.ID, next)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderQuotas(w, r, http.StatusUnprocessableEntity, t, q, r.PostForm, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "platform.tenant_quotas", fmt.Sprintf("%s %d Mo %d messages/jour", t.ID, next.StorageMB, next.MailPerDay))
	return web.Redirect(w, r, "/console/collectivites/"+t.ID+"/quotas?ok=quotas")
}

func (m *Module) quotaTenant(r *http.Request) (*tenant.Tenant, tenant.Quotas, error) {
	t, err := m.tenants.Get(r.Context(), r.PathValue("id"))
	if err != nil || t.IsPlatform() {
		return nil, tenant.Quotas{}, tenant.ErrNotFound
	}
	q, err := m.tenants.Quotas(r.Context(), t.ID)
	return t, q, err
}

func (m *Module) renderQuotas(w http.ResponseWriter, r *http.Request, status int, t *tenant.Tenant, q tenant.Quotas, form url.Values, errs map[string]string) error {
	v := quotaView{ID: t.ID, MailAllowed: q.MailPerDay, StorageAllowed: megabytes(int64(q.StorageMB) << 20)}
	if m.Usage != nil {
		storage, mail, err := m.Usage(r.Context(), t)
		if err != nil {
			return err
		}
		v.StorageUsed, v.MailToday = megabytes(storage), mail
		v.StoragePercent = int(storage * 100 / max(1, int64(q.StorageMB)<<20))
		v.MailPercent = mail * 100 / max(1, q.MailPerDay)
	}
	p := m.s.Render.NewPage(r, "", v)
	p.Title = p.T("platform.quota.title") + " – " + t.Name
	if r.URL.Query().Get("ok") == "quotas" {
		p.Notice = p.T("platform.quota.saved")
	}
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "platform/quotas", p)
	return nil
}

// megabytes writes a size in MB with one decimal, French style.
func megabytes(n int64) string {
	return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".", ",", 1) + "\u00a0Mo"
}
