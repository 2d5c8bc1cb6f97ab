package a11yweb

import (
	"net/http"

	"guichet/internal/kernel"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the village's statement and
// audit form show nothing of the town's demo audit.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	const townAudit = "Audit de démonstration"
	return []kernel.IsolationRow{
		{Name: "read the village's accessibility statement", As: kernel.AsAnonymous, Method: "GET",
			Target: kernel.Path("/accessibilite", townAudit), Want: http.StatusOK},
		{Name: "the village's audit form", As: kernel.AsVillageAdmin, Method: "GET",
			Target: kernel.Path("/gestion/accessibilite", townAudit), Want: http.StatusOK},
	}
}
