package app_test

import (
	"fmt"
	"net/url"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/privacy/privacyweb"
)

// Rows of personal data: the register of processing activities (public),
// the request form and its emailed confirmation, and the administrators'
// handling of requests.
func init() {
	fixtureSetups = append(fixtureSetups, privacyFixtures)
	request := func(f *fixtures) wild { return wild{"id": f.get("privacy-request")} }
	admin := staffOnly(account.RoleAdmin)
	authzRows = append(authzRows,
		row("site GET /donnees-personnelles/registre.csv", public(), nil),
		row("site GET /donnees-personnelles/registre.json", public(), nil),
		row("platform GET /donnees-personnelles/registre.csv", public(), nil),
		row("platform GET /donnees-personnelles/registre.json", public(), nil),
		row("site GET /donnees-personnelles/demande", public(), nil),
		row("site POST /donnees-personnelles/demande", public(), posting(nil, url.Values{"kind": {"inconnu"}})),
		// The link's page only shows the request; its button confirms it.
		row("site GET /donnees-personnelles/demande/confirmer/{token}", tokenHolders(), confirmation).renewed().secret("token"),
		row("site POST /donnees-personnelles/demande/confirmer/{token}", tokenHolders(), confirmation).renewed().secret("token"),
		row("site GET /gestion/donnees-personnelles", admin, nil),
		row("site GET /gestion/donnees-personnelles/{id}", admin, fixed(request)),
		row("site POST /gestion/donnees-personnelles/{id}", admin, posting(request, url.Values{"action": {"inconnu"}})),
		row("site GET /gestion/donnees-personnelles/{id}/donnees", admin, fixed(request)),
		// A request of access: erasing refuses it, so the matrix erases no one.
		row("site POST /gestion/donnees-personnelles/{id}/effacer", admin, posting(request, nil)),
	)
}

// confirmation is the emailed link of a request waiting for it.
func confirmation(_ *testing.T, f *fixtures) call {
	return call{params: wild{"token": f.take("privacy-token")}}
}

// privacyFixtures files a request of access that counts at once, and
// requests waiting for their emailed confirmation, whose links the
// matrix knows (their hashes planted as the emailed ones are kept).
func privacyFixtures(f *fixtures) {
	s, town := privacyweb.Of(f.e.App.Kernel).Requests, f.town
	r, err := s.File(ctx, town.ID, privacy.Filing{Kind: privacy.Access, Name: "Demandeuse de la matrice",
		Email: "demandeuse@courriel.localhost", Lang: "fr", Verified: true, UserID: "matrice",
		SiteURL: "http://" + f.e.Host(town)})
	f.fatal("privacy request", err)
	f.set("privacy-request", r.ID)
	f.fill("privacy-token", 2*uses, func() string {
		n := f.next()
		r, err := s.File(ctx, town.ID, privacy.Filing{Kind: privacy.Access, Name: "Sans compte",
			Email: fmt.Sprintf("sans-compte-%d@courriel.localhost", n), Lang: "fr", SiteURL: "http://" + f.e.Host(town)})
		f.fatal("privacy request", err)
		token := fmt.Sprintf("jeton-de-la-matrice-%d", n)
		_, err = f.e.App.DB.Exec(ctx, `UPDATE privacy_requests SET confirm_hash = ? WHERE tenant_id = ? AND id = ?`,
			hashHex(token), town.ID, r.ID)
		f.fatal("privacy token", err)
		return token
	})
}
