package a11yweb

import (
	"net/url"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
)

// AccessRows implements kernel.Guarded: the statement, the display
// preferences and the component gallery on every host, and the
// administrators' audit form.
func (c *Capability) AccessRows() []access.Row {
	public, admin := access.Public(), access.StaffOnly(account.RoleAdmin)
	var rows []access.Row
	for _, scope := range []string{"site ", "platform "} {
		rows = append(rows,
			access.For(scope+"GET /accessibilite", public, nil),
			access.For(scope+"GET /preferences", public, nil),
			access.For(scope+"POST /preferences", public, access.Posting(nil, url.Values{"text_size": {"large"}})),
			access.For(scope+"GET /composants", public, nil),
		)
	}
	return append(rows,
		access.For("site GET /gestion/accessibilite", admin, nil),
		access.For("site POST /gestion/accessibilite", admin, access.Posting(nil, url.Values{"audited_on": {"pas-une-date"}})),
	)
}
