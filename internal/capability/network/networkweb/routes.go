package networkweb

import (
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// Routes lists every URL of the network.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddPersonal(web.NavItem{Key: "network.mine.link", Path: MinePath, Order: 45, Show: m.managesOrganisation})
	s.Site("GET /compte/reseau", m.mine, s.SignedIn)
	s.Site("GET /compte/reseau/{entry}", m.mineOrg, s.SignedIn)
	s.Site("POST /compte/reseau/{entry}/liens", m.propose, s.SignedIn)
	s.Site("POST /compte/reseau/{entry}/contacts", m.mineAddContact, s.SignedIn)
	s.Site("POST /compte/reseau/{entry}/contacts/{id}/retirer", m.mineWithdraw, s.SignedIn)

	staff := []web.Middleware{s.Staff(account.RoleAgent), m.ofService}
	s.Site("GET /gestion/reseau", m.overview, staff...)
	s.Site("GET /gestion/reseau/liens", m.ties, staff...)
	s.Site("POST /gestion/reseau/liens", m.addTie, staff...)
	s.Site("POST /gestion/reseau/liens/{id}/confirmer", m.confirm, staff...)
	s.Site("POST /gestion/reseau/liens/{id}/refuser", m.decline, staff...)
	s.Site("POST /gestion/reseau/liens/{id}/terminer", m.end, staff...)
	s.Site("GET /gestion/reseau/organisations/{entry}", m.org, staff...)
	s.Site("POST /gestion/reseau/organisations/{entry}/liens", m.addOrgTie, staff...)
	s.Site("POST /gestion/reseau/organisations/{entry}/contacts", m.addContact, staff...)
	s.Site("POST /gestion/reseau/contacts/{id}/confirmer", m.confirmConsent, staff...)
	s.Site("POST /gestion/reseau/contacts/{id}/retirer", m.withdraw, staff...)
	s.Site("GET /gestion/reseau/campagnes", m.campaigns, staff...)
	s.Site("POST /gestion/reseau/campagnes/apercu", m.preview, staff...)
	s.Site("POST /gestion/reseau/campagnes", m.send, staff...)
	s.Site("GET /gestion/reseau/campagnes/{id}", m.campaign, staff...)
}
