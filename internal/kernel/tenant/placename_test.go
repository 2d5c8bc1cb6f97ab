package tenant

import "testing"

func TestPlaceName(t *testing.T) {
	for name, want := range map[string]string{
		"Ville de Montclair-sur-Vienne":         "Montclair-sur-Vienne",
		"Commune de Sauvigny-le-Haut":           "Sauvigny-le-Haut",
		"Ville d'Aurillac":                      "Aurillac",
		"Communauté de communes du Val de Loir": "Communauté de communes du Val de Loir",
	} {
		if got := (&Tenant{Name: name}).PlaceName(); got != want {
			t.Errorf("PlaceName(%q) = %q, want %q", name, got, want)
		}
	}
}
