package participationweb

import (
	"net/http"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// threadView is a thread as lists show it.
type threadView struct {
	*participation.Thread
	// Active is its last activity's date; ISO the same for <time>.
	Active, ISO string
}

func (m *Module) threadViews(r *http.Request, p *web.Page, list []*participation.Thread) []threadView {
	loc := tenant.FromContext(r.Context()).Location()
	out := make([]threadView, len(list))
	for i, t := range list {
		at := t.LastActivity.In(loc)
		out[i] = threadView{Thread: t, Active: guichet.Date(at, p.Lang), ISO: at.Format(time.RFC3339)}
	}
	return out
}
