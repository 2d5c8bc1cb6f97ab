package web

import "io/fs"

// Module is one domain's web side: its embedded files (templates/,
// messages/, static/) and its routes. Adding a domain means writing a
// Module and listing it in internal/app/modules.go.
type Module interface {
	// Name prefixes the module's page names: "portal/home".
	Name() string
	// Assets returns the module's embedded files, or nil; an API module
	// adds api/openapi.json, a fragment with its "paths" and "components".
	Assets() fs.FS
	// Routes registers the module's URLs on s; see each module's routes.go.
	Routes(s *Server)
}

// Install loads every module's files, parses the templates, then registers
// every module's routes.
func (s *Server) Install(mods ...Module) error {
	if err := s.Render.AddModule("web", Assets); err != nil {
		return err
	}
	for _, m := range mods {
		if files := m.Assets(); files != nil {
			if err := s.Render.AddModule(m.Name(), files); err != nil {
				return err
			}
			if err := s.api.add(m.Name(), files); err != nil {
				return err
			}
		}
	}
	if err := s.Render.Build(); err != nil {
		return err
	}
	for _, m := range mods {
		m.Routes(s)
	}
	s.Site("GET "+OpenAPIPath, s.api.serve)
	s.Platform("GET "+OpenAPIPath, s.api.serve)
	return s.api.build()
}
