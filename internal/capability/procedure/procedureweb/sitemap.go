package procedureweb

import (
	"context"

	"guichet/internal/kernel/tenant"
)

// sitemap lists the public procedure pages.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	procs, err := m.store.PublishedProcedures(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := []string{ListPath}
	for _, p := range procs {
		out = append(out, ListPath+"/"+p.Slug)
	}
	return out, nil
}
