package reports

// NearbyQuery is the form's lookup, whose plan a test checks.
const NearbyQuery = nearbyQuery
