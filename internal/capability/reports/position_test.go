package reports_test

import (
	"math"
	"testing"

	"guichet/internal/capability/reports"
)

func TestInFrance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		place    string
		lat, lon float64
		want     bool
	}{
		{"Paris", 48.8566, 2.3522, true},
		{"Brest", 48.3904, -4.4861, true},
		{"Strasbourg", 48.5734, 7.7521, true},
		{"Bonifacio", 41.3874, 9.1595, true},
		{"Dunkerque", 51.0343, 2.3768, true},
		{"Pointe-à-Pitre", 16.2411, -61.5331, true},
		{"Fort-de-France", 14.6161, -61.0588, true},
		{"Cayenne", 4.9372, -52.3260, true},
		{"Saint-Denis de La Réunion", -20.8789, 55.4481, true},
		{"Mamoudzou", -12.7806, 45.2278, true},
		{"Saint-Pierre", 46.7811, -56.1764, true},
		{"Gustavia", 17.8962, -62.8498, true},
		{"Mata-Utu", -13.2825, -176.1745, true},
		{"Papeete", -17.5516, -149.5585, true},
		{"Nouméa", -22.2758, 166.4580, true},
		{"zero", 0, 0, false},
		{"Paris, swapped", 2.3522, 48.8566, false},
		{"Madrid", 40.4168, -3.7038, false},
		{"London", 51.5074, -0.1278, false},
		{"New York", 40.7128, -74.0060, false},
		{"not a number", math.NaN(), 2.35, false},
	} {
		if got := reports.InFrance(c.lat, c.lon); got != c.want {
			t.Errorf("%s (%v, %v): %v, want %v", c.place, c.lat, c.lon, got, c.want)
		}
	}
}

// TestDistance measures known distances on the sphere.
func TestDistance(t *testing.T) {
	t.Parallel()
	// Paris (Notre-Dame) to Lyon (Bellecour): about 392 km.
	if d := reports.Distance(48.8530, 2.3499, 45.7578, 4.8320); math.Abs(d-392_000) > 3_000 {
		t.Errorf("Paris–Lyon: %.0f m", d)
	}
	lat, lon := north(250)
	if d := reports.Distance(centreLat, centreLon, lat, lon); math.Abs(d-250) > 0.01 {
		t.Errorf("250 m north: %.3f m", d)
	}
}
