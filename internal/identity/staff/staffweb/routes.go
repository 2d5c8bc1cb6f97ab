package staffweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// Routes lists every URL of the back office.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Use(origin)
	staff, admin, op := s.Staff(), s.Staff(account.RoleAdmin), s.Staff(account.RoleOperator)
	for _, add := range []func(string, web.HandlerFunc, ...web.Middleware){s.Site, s.Platform} {
		add("GET /gestion", m.home, staff)
		add("GET /gestion/securite", m.security, staff)
		add("POST /gestion/securite/codes", m.newRecoveryCodes, staff)
		add("GET "+account.SecondFactorPath, m.secondFactor, s.SigningIn)
		add("POST "+account.SecondFactorPath, m.verify, s.SigningIn)
		add("POST "+account.SecondFactorPath+"/activation", m.confirmEnrolment, s.SigningIn)
	}
	s.Site("GET /gestion/equipe", m.team, admin)
	s.Site("POST /gestion/equipe/reglages", m.saveSettings, admin)
	s.Site("GET /gestion/equipe/inviter", m.inviteForm, admin)
	s.Site("POST /gestion/equipe/inviter", m.invite, admin)
	s.Site("POST /gestion/equipe/invitations/{id}/annuler", m.cancelInvitation, admin)
	s.Site("GET /gestion/equipe/{user}", m.memberForm, admin)
	s.Site("POST /gestion/equipe/{user}", m.updateMember, admin)
	s.Site("POST /gestion/equipe/{user}/retirer", m.removeMember, admin)
	s.Site("POST /gestion/equipe/{user}/deuxieme-facteur", m.resetSecondFactor, admin)
	s.Site("GET /gestion/journal", m.journal, admin)
	s.Site("POST /gestion/journal/verification", m.verifyJournal, admin)
	s.Site("GET /gestion/journal/export.csv", m.exportCSV, admin)
	s.Site("GET /gestion/journal/export.jsonl", m.exportJSONL, admin)
	s.Platform("GET /gestion/journal", m.journal, op)
	s.Platform("POST /gestion/journal/verification", m.verifyJournal, op)
	s.Platform("GET /gestion/journal/export.csv", m.exportCSV, op)
	s.Platform("GET /gestion/journal/export.jsonl", m.exportJSONL, op)
	s.Site("GET /invitation/{token}", m.invitation)
	s.Site("POST /invitation/{token}", m.acceptInvitation)
}
