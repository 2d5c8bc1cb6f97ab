package privacyweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the register and the requests
// about one's data.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin, anon := kernel.AsVillageAdmin, kernel.AsAnonymous
	// last is the request the last target filed, for its check.
	var last string
	request := func(pathOf func(id string) string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			r, err := c.townRequest(ctx, town)
			if err != nil {
				return "", nil, err
			}
			last = r.ID
			return pathOf(r.ID), []string{r.Reference, demo.Resident, "Effacez tout."}, nil
		}
	}
	open := func(ctx context.Context, town *tenant.Tenant) error {
		r, err := c.Requests.Get(ctx, town.ID, last)
		if err != nil || !r.Open() {
			return fmt.Errorf("the town's request changed: %+v, %v", r, err)
		}
		return nil
	}
	unconfirmed := func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		token, id, err := c.townUnconfirmedRequest(ctx, town)
		if err != nil {
			return "", nil, err
		}
		last = id
		return "/donnees-personnelles/demande/confirmer/" + token, []string{demo.Resident}, nil
	}
	stillUnconfirmed := func(ctx context.Context, town *tenant.Tenant) error {
		var state string
		if err := c.k.DB.QueryRow(ctx, `SELECT state FROM privacy_requests WHERE tenant_id = ? AND id = ?`,
			town.ID, last).Scan(&state); err != nil || state != privacy.Unconfirmed {
			return fmt.Errorf("the town's request was confirmed from the village: %q, %v", state, err)
		}
		return nil
	}
	return []kernel.IsolationRow{
		{Name: "read the village's register", As: anon, Method: "GET",
			Target: kernel.Path("/donnees-personnelles/registre.json", "Montclair"), Want: http.StatusOK},
		{Name: "list the village's data requests", As: admin, Method: "GET",
			Target: request(func(string) string { return "/gestion/donnees-personnelles" }), Want: http.StatusOK},
		{Name: "read a town data request", As: admin, Method: "GET",
			Target: request(func(id string) string { return "/gestion/donnees-personnelles/" + id }), Want: http.StatusNotFound},
		{Name: "answer a town data request", As: admin, Method: "POST",
			Form:   url.Values{"action": {"refused"}, "text": {"Non."}},
			Target: request(func(id string) string { return "/gestion/donnees-personnelles/" + id }), Want: http.StatusNotFound,
			Unchanged: open},
		{Name: "download a town person's data", As: admin, Method: "GET",
			Target: request(func(id string) string { return "/gestion/donnees-personnelles/" + id + "/donnees" }), Want: http.StatusNotFound},
		{Name: "erase a town person's data", As: admin, Method: "POST",
			Target: request(func(id string) string { return "/gestion/donnees-personnelles/" + id + "/effacer" }), Want: http.StatusNotFound,
			Unchanged: func(ctx context.Context, town *tenant.Tenant) error {
				var gone error
				if _, err := c.k.Accounts.ByEmail(ctx, town.ID, demo.Resident); err != nil {
					gone = fmt.Errorf("the town's resident was deleted: %v", err)
				}
				return errors.Join(gone, open(ctx, town))
			}},
		{Name: "open the confirmation of a town data request", As: anon, Method: "GET",
			Target: unconfirmed, Want: http.StatusNotFound, Unchanged: stillUnconfirmed},
		{Name: "confirm a town data request", As: anon, Method: "POST",
			Target: unconfirmed, Want: http.StatusNotFound, Unchanged: stillUnconfirmed},
	}
}

// townRequest files an erasure request of the town's demo resident.
func (c *Capability) townRequest(ctx context.Context, town *tenant.Tenant) (*privacy.Request, error) {
	return c.Requests.File(ctx, town.ID, privacy.Filing{Kind: privacy.Erasure, Email: demo.Resident,
		Details: "Effacez tout.", Verified: true, Lang: "fr"})
}

// townUnconfirmedRequest writes an unconfirmed request of the town with a
// known confirmation token, and returns the token and the request's id.
func (c *Capability) townUnconfirmedRequest(ctx context.Context, town *tenant.Tenant) (token, id string, err error) {
	token, id = uuid.NewString(), uuid.NewString()
	now := c.Requests.Now()
	_, err = c.k.DB.Exec(ctx, `INSERT INTO privacy_requests (id, tenant_id, reference, kind, state, email,
		confirm_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, town.ID, "RGPD-TEST-"+token[:6],
		privacy.Access, privacy.Unconfirmed, demo.Resident, tokens.Hash(token), now, now)
	return token, id, err
}
