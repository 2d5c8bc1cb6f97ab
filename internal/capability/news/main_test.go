package news_test

import (
	"os"
	"testing"

	"guichet/internal/identity/account"
)

// TestMain lowers the password hash cost: these tests hash many passwords,
// and cmd/guichet proves that serve hashes at the production cost.
func TestMain(m *testing.M) {
	account.UseTestHashCost()
	os.Exit(m.Run())
}
