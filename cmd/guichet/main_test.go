package main

import (
	"os"
	"testing"

	"guichet/internal/identity/account"
)

// productionCostRun marks the process TestServeHashesAtProductionCost
// starts to run itself with the hash cost left as serve finds it.
const productionCostRun = "GUICHET_TEST_PRODUCTION_HASH_COST"

// TestMain lowers the password hash cost for the commands' tests, which
// hash hundreds of passwords, except in the process proving serve's cost.
func TestMain(m *testing.M) {
	if os.Getenv(productionCostRun) == "" {
		account.UseTestHashCost()
	}
	os.Exit(m.Run())
}
