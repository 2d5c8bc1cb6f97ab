// Package backoffice serves the staff side of a collectivité's site: the
// back-office home, the team and its roles, the audit log, and the second
// factor pages (enrolment and verification) on sites and the platform.
package staffweb

import (
	"embed"
	"io/fs"
	"slices"
	"sort"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages static
var assets embed.FS

// Section is one entry of the back-office home. Staff holding any of Roles
// see it (administrators see every section of their collectivité).
type Section struct {
	Key     string // message key of its label
	DescKey string // message key of a one-line description, optional
	Path    string
	Roles   []account.Role
	// Services, when set, narrows an agent's access to the agents of
	// these services (administrators and the other roles listed keep it).
	Services []string
	Order    int
}

// Module is the back-office web module.
type Module struct {
	s        *web.Server
	staff    *staff.Store
	sessions *account.Sessions
	accounts *account.Store
	mails    *staff.Mails
	sections []Section
	// Now is the clock of TOTP checks; tests move it.
	Now func() time.Time
}

// New returns the back-office module. mailer sends invitations.
func New(st *staff.Store, sessions *account.Sessions, mailer mail.Enqueuer) *Module {
	m := &Module{staff: st, sessions: sessions, accounts: sessions.Store(), mails: staff.NewMails(mailer), Now: clock.System}
	m.AddSection(
		Section{Key: "backoffice.section.team", DescKey: "backoffice.section.team_desc", Path: "/gestion/equipe",
			Roles: []account.Role{account.RoleAdmin}, Order: 900},
		Section{Key: "backoffice.section.journal", DescKey: "backoffice.section.journal_desc", Path: "/gestion/journal",
			Roles: []account.Role{account.RoleAdmin, account.RoleOperator}, Order: 910},
		Section{Key: "backoffice.section.security", DescKey: "backoffice.section.security_desc", Path: "/gestion/securite",
			Roles: append([]account.Role{account.RoleOperator}, account.StaffRoles...), Order: 990},
		Section{Key: "backoffice.section.console", DescKey: "backoffice.section.console_desc", Path: "/console",
			Roles: []account.Role{account.RoleOperator}, Order: 0},
	)
	return m
}

// AddSection lists sections on the back-office home; domains call it when
// they are built, before the server starts.
func (m *Module) AddSection(secs ...Section) {
	m.sections = append(m.sections, secs...)
	sort.SliceStable(m.sections, func(i, j int) bool { return m.sections[i].Order < m.sections[j].Order })
}

// SectionsFor returns the sections id may open.
func (m *Module) SectionsFor(id *account.Identity) []Section {
	var out []Section
	for _, sec := range m.sections {
		if slices.ContainsFunc(sec.Roles, id.Has) && sec.opens(id) {
			out = append(out, sec)
		}
	}
	return out
}

// opens says whether a section narrowed to services opens to id: an
// administrator, a holder of one of its other roles, or an agent of one
// of its services.
func (sec Section) opens(id *account.Identity) bool {
	if len(sec.Services) == 0 || id.Has(account.RoleAdmin) {
		return true
	}
	for _, r := range sec.Roles {
		if r != account.RoleAgent && id.Has(r) {
			return true
		}
	}
	return slices.ContainsFunc(sec.Services, func(s string) bool { return slices.Contains(id.Services, s) })
}

// Name implements web.Module.
func (m *Module) Name() string { return "backoffice" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }
