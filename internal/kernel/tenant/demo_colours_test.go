package tenant_test

import (
	"testing"

	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// The demo collectivités must pass the contrast rule they showcase.
func TestDemoColoursPassContrast(t *testing.T) {
	t.Parallel()
	for _, d := range demo.Tenants() {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Slug, err)
		}
		if r := tenant.Contrast(d.ColorPrimary, "#ffffff"); r < tenant.MinContrast {
			t.Errorf("%s primary %s: %.2f:1", d.Slug, d.ColorPrimary, r)
		}
		if r := tenant.Contrast(d.ColorAccent, "#ffffff"); r < tenant.MinContrast {
			t.Errorf("%s accent %s: %.2f:1", d.Slug, d.ColorAccent, r)
		}
	}
}
