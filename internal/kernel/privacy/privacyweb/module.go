// Package privacyweb serves the personal-data side of every site: the
// page that explains data protection with the collectivité's register of
// processing activities (also as CSV and JSON), the form to exercise one's
// rights, and the administrators' list of those requests with their due
// dates.
package privacyweb

import (
	"embed"
	"io/fs"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/web"
)

//go:embed templates messages mail
var assets embed.FS

// Module is the personal-data web module.
type Module struct {
	s        *web.Server
	register *privacy.Register
	requests *privacy.Requests
	accounts *account.Store
	inUse    *invalidate.Memo
}

// inUseTTL bounds how long another process's change may leave the
// register's list of activities stale.
const inUseTTL = 5 * time.Second

// New returns the module showing register's activities and handling
// requests; accounts finds the person a request is about.
func New(register *privacy.Register, requests *privacy.Requests, accounts *account.Store, changes *invalidate.Bus) *Module {
	return &Module{register: register, requests: requests, accounts: accounts,
		inUse: invalidate.NewMemo(changes, "privacy-activities", inUseTTL, invalidate.Tenant, invalidate.Agenda,
			invalidate.Content, invalidate.Procedure, invalidate.OIDCProvider)}
}

// Name implements web.Module; emails are named "privacy/<template>".
func (m *Module) Name() string { return "privacyweb" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }
