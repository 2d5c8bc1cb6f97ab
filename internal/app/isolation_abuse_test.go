package app_test

import (
	"context"
	"net/http"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
)

// The refusals of the abuse limits are shown on the platform's console
// only: no collectivité's host serves them.
func init() {
	isolationRows = append(isolationRows,
		isolationRow{name: "read the refusals of the abuse limits", as: "village-admin", method: "GET",
			target: townRefusal, want: http.StatusNotFound},
	)
}

// townRefusal records a refusal in the town and returns the console's path.
func townRefusal(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	t.Helper()
	err := e.App.Refusals.Record(context.Background(), abuse.Refusal{TenantID: town.ID, At: e.App.Now(), Action: abuse.Question.Name,
		Kind: abuse.ByAddress, Address: "203.0.113.77", Email: abuse.MaskEmail("visiteur@exemple.fr")})
	if err != nil {
		t.Fatal(err)
	}
	return "/console/limites", []string{"203.0.113.77", "v•••@exemple.fr"}
}
