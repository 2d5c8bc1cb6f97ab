// Package oidcweb is the web side of OpenID Connect sign-in: the
// FranceConnect button, the round trip to the provider, the page people land
// on after logging out there, and the administrators' configuration page.
package oidcweb

import (
	"embed"
	"io/fs"

	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/kernel/web"
)

//go:embed templates/*.html messages static
var assets embed.FS

// Module is the OpenID Connect web module.
type Module struct {
	svc      *oidc.Service
	sessions *account.Sessions
	s        *web.Server
	buttons  *buttonCache
}

// New returns the module signing people in through svc into sessions.
func New(svc *oidc.Service, sessions *account.Sessions) *Module {
	return &Module{svc: svc, sessions: sessions, buttons: newButtonCache(svc.Store)}
}

// Name implements web.Module.
func (m *Module) Name() string { return "oidc" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Paths of the FranceConnect pages.
const (
	StartPath      = "/connexion/franceconnect"
	CallbackPath   = "/connexion/franceconnect/retour"
	SignedOutPath  = "/connexion/franceconnect/deconnexion"
	AdminPath      = "/gestion/franceconnect"
	browserCookie  = "guichet_oidc"
	defaultLanding = "/compte"
)

// Store returns the provider configurations the module works on.
func (m *Module) Store() *oidc.Store { return m.svc.Store }

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddDecorator(m.decorate)
	s.Site("GET "+StartPath, m.start)
	s.Site("GET "+CallbackPath, m.callback)
	s.Site("GET "+SignedOutPath, m.signedOut)
	admin := s.Staff(account.RoleAdmin)
	s.Site("GET "+AdminPath, m.adminForm, admin)
	s.Site("POST "+AdminPath, m.adminSave, admin)
}
