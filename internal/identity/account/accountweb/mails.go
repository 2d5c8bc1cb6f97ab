package accountweb

import (
	"net/http"
	"net/url"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

// send queues the email template "accounts/<name>" to u, in u's language.
// The name is only written to a verified address: until then it is text
// anyone could have typed, and the site would be relaying it.
func (m *Module) send(r *http.Request, u *account.User, name string, data map[string]any) error {
	data["Name"] = ""
	if u.Verified() {
		data["Name"] = u.Name
	}
	return m.mail.Enqueue(r.Context(), mail.Message{TenantID: u.TenantID, To: u.Email,
		Template: "accounts/" + name, Lang: u.Lang, Data: data})
}

// link returns the absolute URL of path on the request's site, with a
// token when given.
func (m *Module) link(r *http.Request, path, token string) string {
	u := m.s.SiteURL(r, tenant.FromContext(r.Context())) + path
	if token != "" {
		u += "?jeton=" + url.QueryEscape(token)
	}
	return u
}
