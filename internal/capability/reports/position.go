package reports

import "math"

// territory is a box of latitudes and longitudes holding French land.
type territory struct {
	name                     string
	south, north, west, east float64
}

// territories are metropolitan France and the overseas collectivités
// where a town hall may take reports, each in a box a little wider than
// its land (coasts and islets included), read off OpenStreetMap.
var territories = []territory{
	{"France métropolitaine et Corse", 41.3, 51.2, -5.3, 9.7},
	{"Guadeloupe", 15.8, 16.55, -61.85, -60.95},
	{"Martinique", 14.35, 14.9, -61.25, -60.8},
	{"Guyane", 2.1, 5.8, -54.65, -51.6},
	{"La Réunion", -21.4, -20.85, 55.2, 55.85},
	{"Mayotte", -13.05, -12.6, 44.95, 45.35},
	{"Saint-Pierre-et-Miquelon", 46.74, 47.15, -56.45, -56.1},
	{"Saint-Barthélemy et Saint-Martin", 17.85, 18.15, -63.2, -62.75},
	{"Wallis-et-Futuna", -14.4, -13.15, -178.25, -176.1},
	{"Polynésie française", -27.7, -7.8, -154.8, -134.4},
	{"Nouvelle-Calédonie", -23, -19, 163.5, 169},
}

// InFrance reports whether a point lies in one of the territories: a
// sanity check against swapped or zero coordinates, not a boundary.
func InFrance(lat, lon float64) bool {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return false
	}
	for _, t := range territories {
		if lat >= t.south && lat <= t.north && lon >= t.west && lon <= t.east {
			return true
		}
	}
	return false
}

// checkPosition names the position field when the point is not in
// France.
func checkPosition(errs map[string]string, lat, lon float64) {
	if !InFrance(lat, lon) {
		errs["position"] = "Placez le point sur la carte, en France."
	}
}
