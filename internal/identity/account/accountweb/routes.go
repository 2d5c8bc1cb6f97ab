package accountweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// Paths other modules link to.
const (
	SignInPath  = account.SignInPath
	SignUpPath  = "/inscription"
	ProfilePath = "/compte"
)

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	for _, add := range []func(string, web.HandlerFunc, ...web.Middleware){s.Site, s.Platform} {
		add("GET /connexion", m.signInForm)
		add("POST /connexion", m.signIn)
		add("POST /deconnexion", m.signOut)
		add("GET /compte", m.profile, s.SignedIn)
		add("POST /compte", m.saveProfile, s.SignedIn)
		add("GET "+PasswordPath, m.passwordForm, s.SignedIn)
		add("POST "+PasswordPath, m.changePassword, s.SignedIn)
		add("GET /api/v1/me", m.apiMe, s.SignedIn)
	}
	s.Site("GET /inscription", m.signUpForm)
	s.Site("POST /inscription", m.signUp)
	s.Site("GET /compte/verification", m.verifyForm)
	s.Site("POST /compte/verification", m.verify)
	s.Site("POST /compte/verification/renvoyer", m.resendVerification, s.SignedIn)
	s.Site("GET /mot-de-passe-oublie", m.forgotForm)
	s.Site("POST /mot-de-passe-oublie", m.forgot)
	s.Site("GET /mot-de-passe/nouveau", m.resetForm)
	s.Site("POST /mot-de-passe/nouveau", m.reset)
	s.Site("GET /compte/donnees", m.download, s.SignedIn)
	s.Site("GET /compte/supprimer", m.deleteForm, s.SignedIn)
	s.Site("POST /compte/supprimer", m.deleteAccount, s.SignedIn)
	s.Site("GET /api/v1/me/data", m.apiData, s.SignedIn)
}
