package participationweb

import (
	"net/http"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/tenant"
)

// homeThreads bounds the latest discussions and debates the home page
// lists.
const homeThreads = 6

// home shows the spaces, the latest debates and discussions, and the
// consultations open.
func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	spaces, err := m.store.Spaces(ctx, t.ID)
	if err != nil {
		return err
	}
	// The open debates: closed ones stay on the debates' page.
	all, err := m.store.Threads(ctx, t.ID, "", participation.Debate, 4*homeThreads)
	if err != nil {
		return err
	}
	var debates []*participation.Thread
	for _, d := range all {
		if !d.Closed() && len(debates) < homeThreads {
			debates = append(debates, d)
		}
	}
	discussions, err := m.store.Threads(ctx, t.ID, "", participation.Discussion, homeThreads)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	polls, err := m.openPolls(r, p)
	if err != nil {
		return err
	}
	p.Title = p.T("participation.home.title")
	p.Data = map[string]any{"Spaces": spaces, "Debates": m.threadViews(r, p, debates),
		"Discussions": m.threadViews(r, p, discussions), "Polls": polls}
	m.s.Render.Page(w, r, http.StatusOK, "participation/home", p)
	return nil
}
