package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"guichet/internal/apptest"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/privacy/privacyweb"
	"guichet/internal/kernel/tenant"
)

// Rows of personal data: the register and the requests about one's data.
func init() {
	admin := "village-admin"
	isolationRows = append(isolationRows,
		isolationRow{name: "read the village's register", as: "anonymous", method: "GET",
			target: path("/donnees-personnelles/registre.json", "Montclair"), want: http.StatusOK},
		isolationRow{name: "list the village's data requests", as: admin, method: "GET",
			target: townRequest(func(string) string { return "/gestion/donnees-personnelles" }), want: http.StatusOK},
		isolationRow{name: "read a town data request", as: admin, method: "GET",
			target: townRequest(func(id string) string { return "/gestion/donnees-personnelles/" + id }), want: http.StatusNotFound},
		isolationRow{name: "answer a town data request", as: admin, method: "POST",
			form:   url.Values{"action": {"refused"}, "text": {"Non."}},
			target: townRequest(func(id string) string { return "/gestion/donnees-personnelles/" + id }), want: http.StatusNotFound,
			unchanged: townRequestOpen},
		isolationRow{name: "download a town person's data", as: admin, method: "GET",
			target: townRequest(func(id string) string { return "/gestion/donnees-personnelles/" + id + "/donnees" }), want: http.StatusNotFound},
		isolationRow{name: "erase a town person's data", as: admin, method: "POST",
			target: townRequest(func(id string) string { return "/gestion/donnees-personnelles/" + id + "/effacer" }), want: http.StatusNotFound,
			unchanged: func(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
				townResidentIntact(t, e, town)
				townRequestOpen(t, e, town)
			}},
		isolationRow{name: "open the confirmation of a town data request", as: "anonymous", method: "GET",
			target: townUnconfirmedRequest, want: http.StatusNotFound, unchanged: townRequestUnconfirmed},
		isolationRow{name: "confirm a town data request", as: "anonymous", method: "POST",
			target: townUnconfirmedRequest, want: http.StatusNotFound, unchanged: townRequestUnconfirmed},
	)
}

// lastTownRequest is the request the last target filed, for its check.
var lastTownRequest string

// townRequest files an erasure request of the town's resident and returns
// the path made from its id, with its reference and address as markers.
func townRequest(pathOf func(id string) string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		r, err := privacyweb.Of(e.App.Kernel).Requests.File(context.Background(), town.ID, privacy.Filing{Kind: privacy.Erasure, Email: townResident,
			Details: "Effacez tout.", Verified: true, Lang: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		lastTownRequest = r.ID
		return pathOf(r.ID), []string{r.Reference, townResident, "Effacez tout."}
	}
}

func townRequestOpen(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	r, err := privacyweb.Of(e.App.Kernel).Requests.Get(context.Background(), town.ID, lastTownRequest)
	if err != nil || !r.Open() {
		t.Errorf("the town's request changed: %+v, %v", r, err)
	}
}

// townUnconfirmedRequest writes an unconfirmed request of the town with a
// known link, and returns that link.
func townUnconfirmedRequest(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	token := uuid.NewString()
	sum := sha256.Sum256([]byte(token))
	lastTownRequest = uuid.NewString()
	now := privacyweb.Of(e.App.Kernel).Requests.Now()
	if _, err := e.App.DB.Exec(context.Background(), `INSERT INTO privacy_requests (id, tenant_id, reference, kind, state, email,
		confirm_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, lastTownRequest, town.ID, "RGPD-TEST-"+token[:6],
		privacy.Access, privacy.Unconfirmed, townResident, hex.EncodeToString(sum[:]), now, now); err != nil {
		t.Fatal(err)
	}
	return "/donnees-personnelles/demande/confirmer/" + token, []string{townResident}
}

func townRequestUnconfirmed(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	var state string
	if err := e.App.DB.QueryRow(context.Background(), `SELECT state FROM privacy_requests WHERE tenant_id = ? AND id = ?`,
		town.ID, lastTownRequest).Scan(&state); err != nil || state != privacy.Unconfirmed {
		t.Errorf("the town's request was confirmed from the village: %q, %v", state, err)
	}
}
