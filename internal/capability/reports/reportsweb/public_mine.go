package reportsweb

import (
	"net/http"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel/tenant"
)

// pubMineSize is how many of their reports a resident's page lists.
const pubMineSize = 100

// pubMineItem is one of the resident's reports.
type pubMineItem struct {
	pubListItem
	Confirmed bool
}

// pubMine lists the signed-in resident's reports, those waiting for
// their confirmation too.
func (m *Module) pubMine(w http.ResponseWriter, r *http.Request) error {
	ctx, t := r.Context(), tenant.FromContext(r.Context())
	list, err := m.store.Mine(ctx, t.ID, pubIdentity(r).UserID, pubMineSize)
	if err != nil {
		return err
	}
	all, err := m.store.Categories(ctx, t.ID)
	if err != nil {
		return err
	}
	cats := pubCategoryNames(all)
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.mine.title")
	items := make([]pubMineItem, len(list))
	for i, rp := range list {
		items[i] = pubMineItem{pubListItem: pubListItem{Path: reports.ReportPath(rp.ID), Reference: rp.Reference,
			Category: pubCategoryName(cats, rp.CategoryID), Address: rp.Address, Reported: pubDay(p, t.Location(), rp.CreatedAt),
			Status: rp.Status}, Confirmed: rp.Confirmed()}
	}
	p.Data = map[string]any{"Items": items}
	m.s.Render.Page(w, r, http.StatusOK, "reports/mine", p)
	return nil
}
