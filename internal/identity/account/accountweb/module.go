// Package accounts is the web side of resident accounts: sign-up, sign-in
// and sign-out, email verification, password reset, profile, "download my
// data" and "delete my account", plus the /api/v1/me endpoints.
package accountweb

import (
	"embed"
	"io/fs"
	"net/http"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/web"
)

//go:embed templates messages api
var assets embed.FS

// Module is the accounts web module.
type Module struct {
	store    *account.Store
	sessions *account.Sessions
	mails    *account.Mails
	// Logout, when set, sends people who signed in through an identity
	// provider on to log out there too.
	Logout account.LogoutRedirector
	s      *web.Server
}

// New returns the module signing people into sessions and sending its
// emails through mailer.
func New(sessions *account.Sessions, mailer mail.Enqueuer) *Module {
	return &Module{store: sessions.Store(), sessions: sessions, mails: account.NewMails(sessions.Store(), mailer)}
}

// Name implements web.Module; emails are named "accounts/<template>".
func (m *Module) Name() string { return "accounts" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// recordExport writes the audit entry of a staff member's data export;
// residents' own downloads stay out of the team's journal.
func (m *Module) recordExport(r *http.Request, id *account.Identity) {
	if id.IsStaff() || id.NeedsSecondFactor {
		m.s.Record(r, "account.data_exported", id.Email)
	}
}
