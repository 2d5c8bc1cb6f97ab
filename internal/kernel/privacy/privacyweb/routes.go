package privacyweb

import (
	"context"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Paths other modules link to.
const (
	PagePath    = "/donnees-personnelles"
	RequestPath = PagePath + "/demande"
	AdminPath   = "/gestion/donnees-personnelles"
)

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) { return []string{RequestPath}, nil })
	for _, add := range []func(string, web.HandlerFunc, ...web.Middleware){s.Site, s.Platform} {
		add("GET "+PagePath, m.page)
		add("GET "+PagePath+"/registre.csv", m.registerCSV)
		add("GET "+PagePath+"/registre.json", m.registerJSON)
	}
	s.Site("GET "+RequestPath, m.requestForm)
	s.Site("POST "+RequestPath, m.fileRequest)
	s.Site("GET "+RequestPath+"/confirmer/{token}", m.confirmForm)
	s.Site("POST "+RequestPath+"/confirmer/{token}", m.confirmRequest)
	admin := s.Staff(account.RoleAdmin)
	s.Site("GET "+AdminPath, m.adminList, admin)
	s.Site("GET "+AdminPath+"/{id}", m.adminRequest, admin)
	s.Site("POST "+AdminPath+"/{id}", m.adminAct, admin)
	s.Site("GET "+AdminPath+"/{id}/donnees", m.adminExport, admin)
	s.Site("POST "+AdminPath+"/{id}/effacer", m.adminErase, admin)
}
