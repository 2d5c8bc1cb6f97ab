package privacyweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

// AccessRows implements kernel.Guarded: the register of processing
// activities (public, on every host), the request form and its emailed
// confirmation, and the administrators' handling of requests.
func (c *Capability) AccessRows() []access.Row {
	public, holders, admin := access.Public(), access.TokenHolders(), access.StaffOnly(account.RoleAdmin)
	request := access.Named("id", "privacy-request")
	confirmation := access.Taken("token", "privacy-token")
	var rows []access.Row
	for _, scope := range []string{"site ", "platform "} {
		rows = append(rows,
			access.For(scope+"GET /donnees-personnelles", public, nil),
			access.For(scope+"GET /donnees-personnelles/registre.csv", public, nil),
			access.For(scope+"GET /donnees-personnelles/registre.json", public, nil),
		)
	}
	return append(rows,
		access.For("site GET /donnees-personnelles/demande", public, nil),
		access.For("site POST /donnees-personnelles/demande", public, access.Posting(nil, url.Values{"kind": {"inconnu"}})),
		// The link's page only shows the request; its button confirms it.
		access.For("site GET /donnees-personnelles/demande/confirmer/{token}", holders, confirmation).Renewed().Secret("token"),
		access.For("site POST /donnees-personnelles/demande/confirmer/{token}", holders, confirmation).Renewed().Secret("token"),
		access.For("site GET /gestion/donnees-personnelles", admin, nil),
		access.For("site GET /gestion/donnees-personnelles/{id}", admin, access.Fixed(request)),
		access.For("site POST /gestion/donnees-personnelles/{id}", admin, access.Posting(request, url.Values{"action": {"inconnu"}})),
		access.For("site GET /gestion/donnees-personnelles/{id}/donnees", admin, access.Fixed(request)),
		// A request of access: erasing refuses it, so the matrix erases no one.
		access.For("site POST /gestion/donnees-personnelles/{id}/effacer", admin, access.Posting(request, nil)),
	)
}

// AccessFixtures implements kernel.AccessFixtured: a request of access
// that counts at once, and requests waiting for their emailed
// confirmation, whose links the matrix knows (their hashes planted where
// the emailed ones are kept).
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	siteURL, _, err := c.k.Links(ctx, town.ID)
	if err != nil {
		return err
	}
	r, err := c.Requests.File(ctx, town.ID, privacy.Filing{Kind: privacy.Access, Name: "Demandeuse de la matrice",
		Email: "demandeuse@courriel.localhost", Lang: "fr", Verified: true, UserID: "matrice", SiteURL: siteURL})
	if err != nil {
		return fmt.Errorf("privacy request: %w", err)
	}
	f.Set("privacy-request", r.ID)
	return f.Fill("privacy-token", 2*f.Uses(), func() (string, error) {
		n := f.Next()
		r, err := c.Requests.File(ctx, town.ID, privacy.Filing{Kind: privacy.Access, Name: "Sans compte",
			Email: fmt.Sprintf("sans-compte-%d@courriel.localhost", n), Lang: "fr", SiteURL: siteURL})
		if err != nil {
			return "", fmt.Errorf("privacy request: %w", err)
		}
		token := fmt.Sprintf("jeton-de-la-matrice-%d", n)
		_, err = c.k.DB.Exec(ctx, `UPDATE privacy_requests SET confirm_hash = ? WHERE tenant_id = ? AND id = ?`,
			tokens.Hash(token), town.ID, r.ID)
		return token, err
	})
}
