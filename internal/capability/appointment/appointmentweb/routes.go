package appointmentweb

import (
	"context"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "appointment.nav", Path: "/rendez-vous", Order: 30})
	s.Render.AddPersonal(web.NavItem{Key: "appointment.mine_title", Path: "/rendez-vous/mes-rendez-vous", Order: 20})
	s.AddSitemap(m.sitemap)
	staff := s.Staff(account.RoleAgent)

	s.Site("GET /rendez-vous", m.services)
	s.Site("GET /rendez-vous/mes-rendez-vous", m.mine, s.SignedIn)
	s.Site("GET /rendez-vous/gerer/{token}", m.manage)
	s.Site("GET /rendez-vous/gerer/{token}/calendrier.ics", m.icsFile)
	s.Site("POST /rendez-vous/gerer/{token}/annuler", m.cancel)
	s.Site("POST /rendez-vous/gerer/{token}/accepter", m.accept)
	s.Site("GET /rendez-vous/gerer/{token}/confirmer/{code}", m.confirmForm)
	s.Site("POST /rendez-vous/gerer/{token}/confirmer/{code}", m.confirm)
	s.Site("GET /rendez-vous/gerer/{token}/deplacer", m.moveForm)
	s.Site("POST /rendez-vous/gerer/{token}/deplacer", m.move)
	s.Site("GET /rendez-vous/{agenda}", m.types)
	s.Site("GET /rendez-vous/{agenda}/{type}", m.slots)
	s.Site("GET /rendez-vous/{agenda}/{type}/coordonnees", m.detailsForm)
	s.Site("POST /rendez-vous/{agenda}/{type}/coordonnees", m.book)
	s.Site("GET /rendez-vous/{agenda}/{type}/liste-attente", m.waitForm)
	s.Site("POST /rendez-vous/{agenda}/{type}/liste-attente", m.wait)

	s.Site("GET /gestion/rendez-vous", m.agentHome, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/jour", m.agentDay, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/semaine", m.agentWeek, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/impression", m.agentPrint, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/reserver", m.agentBookForm, staff)
	s.Site("POST /gestion/rendez-vous/{agenda}/reserver", m.agentBook, staff)
	s.Site("POST /gestion/rendez-vous/{agenda}/reservations/{id}/statut", m.agentStatus, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/blocages", m.agentBlocks, staff)
	s.Site("POST /gestion/rendez-vous/{agenda}/blocages", m.agentBlock, staff)
	s.Site("POST /gestion/rendez-vous/{agenda}/blocages/{id}/supprimer", m.agentUnblock, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/reglages", m.agentSettingsForm, staff)
	s.Site("POST /gestion/rendez-vous/{agenda}/reglages", m.agentSettings, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/ressources/{resource}/horaires", m.agentResourceHoursForm, staff)
	s.Site("POST /gestion/rendez-vous/{agenda}/ressources/{resource}/horaires", m.agentResourceHours, staff)
	s.Site("GET /gestion/rendez-vous/{agenda}/chiffres", m.agentFigures, staff)

	s.Site("GET /api/v1/rendez-vous/agendas", m.apiAgendas)
	s.Site("GET /api/v1/rendez-vous/agendas/{agenda}/types/{type}/creneaux", m.apiSlots)
	s.Site("POST /api/v1/rendez-vous/reservations", m.apiBook)
	s.Site("GET /api/v1/rendez-vous/reservations/{token}", m.apiBooking)
	s.Site("DELETE /api/v1/rendez-vous/reservations/{token}", m.apiCancel)
	s.Site("PATCH /api/v1/rendez-vous/reservations/{token}", m.apiMove)
}

func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	agendas, err := m.store.Agendas(ctx, t.ID, true)
	if err != nil {
		return nil, err
	}
	paths := []string{"/rendez-vous"}
	for _, a := range agendas {
		paths = append(paths, "/rendez-vous/"+a.Slug)
	}
	return paths, nil
}
