package participationweb

import (
	"context"
	"net/http"

	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// pollItem is an open poll as the home page lists it.
type pollItem struct{ Path, Title, Until string }

// pollRoutes: the consultations and polls.
func (m *Module) pollRoutes(s *web.Server) {}

// pollPaths lists the polls' pages for the site map.
func (m *Module) pollPaths(ctx context.Context, t *tenant.Tenant) ([]string, error) { return nil, nil }

// openPolls lists the polls open now.
func (m *Module) openPolls(r *http.Request, p *web.Page) ([]pollItem, error) { return nil, nil }
