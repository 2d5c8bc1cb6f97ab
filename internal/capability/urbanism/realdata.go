package urbanism

import "embed"

// RealFiles are real public files the demo imports (and the tests
// read): the parcels of Saint-Igny-de-Vers (69114) and the PLU zones of
// commune 25392, credited as testdata/real/SOURCES.md says.
//
//go:embed testdata/real/SOURCES.md testdata/real/cadastre/cadastre-69114-parcelles.json.gz testdata/real/plu/25392_ZONE_URBA.geojson.gz
var RealFiles embed.FS
