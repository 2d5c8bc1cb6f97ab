package reports_test

import (
	"os"
	"testing"
)

// TestMain drops the large towns the benchmarks built once the binary's
// tests and benchmarks are done.
func TestMain(m *testing.M) {
	code := m.Run()
	dropTowns()
	os.Exit(code)
}
