package privacyweb

import "guichet/internal/web"

// Paths other modules link to.
const (
	PagePath = "/donnees-personnelles"
)

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	for _, add := range []func(string, web.HandlerFunc, ...web.Middleware){s.Site, s.Platform} {
		add("GET "+PagePath, m.page)
		add("GET "+PagePath+"/registre.csv", m.registerCSV)
		add("GET "+PagePath+"/registre.json", m.registerJSON)
	}
}
