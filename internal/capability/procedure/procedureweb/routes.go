package procedureweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s, m.log = s, s.Log()
	s.Render.AddNav(web.NavItem{Key: "procedure.nav", Path: ListPath, Order: 30})
	s.Render.AddPersonal(web.NavItem{Key: "procedure.mine.title", Path: MinePath, Order: 10})
	s.AddSitemap(m.sitemap)
	agent, admin := s.Staff(account.RoleAgent), s.Staff(account.RoleAdmin)

	// Residents.
	s.Site("GET /demarches", m.list)
	s.Site("GET /demarches/{slug}", m.show)
	s.Site("POST /demarches/{slug}/commencer", m.start)
	s.Site("GET /mes-demarches", m.mine, s.SignedIn)
	s.Site("GET /dossiers/{id}/acces/{token}", m.access)
	s.Site("POST /dossiers/{id}/acces/{token}", m.confirmAccess)
	s.Site("POST /dossiers/{id}/oublier", m.forget)
	// A case's pages keep its access cookie alive while they are used.
	renew := m.renewAccess
	s.Site("GET /dossiers/{id}", m.caseView, renew)
	s.Site("GET /dossiers/{id}/etape/{n}", m.stepForm, renew)
	s.Uploads(stepBody).Site("POST /dossiers/{id}/etape/{n}", m.step, renew)
	s.Site("GET /dossiers/{id}/recapitulatif", m.review, renew)
	s.Site("POST /dossiers/{id}/deposer", m.submit, renew)
	s.Site("GET /dossiers/{id}/recepisse", m.receipt, renew)
	s.Site("GET /dossiers/{id}/recepisse.pdf", m.receiptPDF, renew)
	s.Site("GET /dossiers/{id}/decision.pdf", m.decisionPDF, renew)
	s.Uploads(messageBody).Site("POST /dossiers/{id}/messages", m.residentMessage, renew)
	s.Site("GET /dossiers/{id}/fichiers/{file}", m.download, renew)
	s.Site("GET /dossiers/{id}/direct", m.caseLive)

	// Agents.
	s.Site("GET /gestion/dossiers", m.inbox, agent)
	s.Site("POST /gestion/dossiers/lot", m.bulk, agent)
	s.Site("GET /gestion/dossiers/export", m.export, agent)
	s.Site("GET /gestion/dossiers/{id}", m.agentCase, agent)
	s.Site("POST /gestion/dossiers/{id}/etat", m.transition, agent)
	s.Uploads(messageBody).Site("POST /gestion/dossiers/{id}/messages", m.agentMessage, agent)
	s.Site("POST /gestion/dossiers/{id}/attribuer", m.assign, agent)
	s.Site("POST /gestion/dossiers/{id}/etiquettes", m.label, agent)
	s.Site("GET /gestion/dossiers/{id}/fichiers/{file}", m.agentDownload, agent)
	s.Site("GET /gestion/dossiers/{id}/decision.pdf", m.agentDecision, agent)
	s.Site("GET /gestion/reponses-types", m.replies, agent)
	s.Site("POST /gestion/reponses-types", m.addReply, agent)
	s.Site("POST /gestion/reponses-types/{id}/supprimer", m.deleteReply, agent)

	// Administrators: the form builder.
	s.Site("GET /gestion/demarches", m.adminList, admin)
	s.Site("POST /gestion/demarches", m.adminCreate, admin)
	s.Site("GET /gestion/demarches/{id}", m.builder, admin)
	s.Site("POST /gestion/demarches/{id}/parametres", m.saveSettings, admin)
	s.Site("POST /gestion/demarches/{id}/pages", m.addPage, admin)
	s.Site("POST /gestion/demarches/{id}/champs", m.addField, admin)
	s.Site("POST /gestion/demarches/{id}/champs/supprimer", m.removeField, admin)
	s.Site("POST /gestion/demarches/{id}/champs/deplacer", m.moveField, admin)
	s.Site("GET /gestion/demarches/{id}/champs/{key}", m.fieldForm, admin)
	s.Site("POST /gestion/demarches/{id}/champs/{key}", m.editField, admin)
	s.Site("POST /gestion/demarches/{id}/publier", m.publish, admin)

	// JSON API.
	s.Site("GET /api/v1/demarches", m.apiProcedures)
	s.Site("GET /api/v1/demarches/{slug}", m.apiProcedure)
	s.Site("GET /api/v1/dossiers", m.apiMine, s.SignedIn)
	s.Site("POST /api/v1/dossiers", m.apiCreate, s.SignedIn)
	s.Site("GET /api/v1/dossiers/{id}", m.apiCase, s.SignedIn)
	s.Site("GET /api/v1/gestion/dossiers", m.apiInbox, agent)
	s.Site("POST /api/v1/gestion/dossiers/{id}/etat", m.apiTransition, agent)
}
