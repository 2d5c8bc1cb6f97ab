package urbanism

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
)

// A generated commune, for scale tests: parcels in a grid of blocks,
// each parcel a quadrilateral whose corners are shifted a little (shared
// corners shift alike, so neighbours still meet), sections of about 400
// parcels, and zones as a grid of rectangles over the whole commune,
// each side drawn with many points as a surveyed outline is.

// genOrigin is the generated commune's south-west corner, in the Vienne.
var genOrigin = [2]float64{0.33, 46.58}

const (
	genParcelW = 0.0004 // degrees of longitude: about 30 m
	genParcelH = 0.0002 // degrees of latitude: about 22 m
	genSection = 400    // parcels per section
	genEdgePts = 25     // points on each side of a zone
)

// GenerateCadastre writes an Etalab-style GeoJSON of n parcels of
// commune insee.
func GenerateCadastre(w io.Writer, insee string, n int) error {
	bw := bufio.NewWriter(w)
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	fmt.Fprint(bw, `{"type":"FeatureCollection","features":[`)
	for i := range n {
		row, col := i/cols, i%cols
		section := sectionCode(i / genSection)
		number := i%genSection + 1
		padded := section
		if len(padded) == 1 {
			padded = "0" + padded
		}
		id := fmt.Sprintf("%s000%s%04d", insee, padded, number)
		if i > 0 {
			bw.WriteByte(',')
		}
		fmt.Fprintf(bw, `{"type":"Feature","id":%q,"geometry":{"type":"Polygon","coordinates":[[%s,%s,%s,%s,%s]]},`+
			`"properties":{"id":%q,"commune":%q,"prefixe":"000","section":%q,"numero":"%d","contenance":%d,`+
			`"arpente":false,"created":"2020-01-01","updated":"2026-01-01"}}`,
			id, genCorner(row, col), genCorner(row, col+1), genCorner(row+1, col+1), genCorner(row+1, col), genCorner(row, col),
			id, insee, section, number, 600+i%900)
	}
	fmt.Fprint(bw, "]}")
	return bw.Flush()
}

// GeneratePLU writes a géostandard GeoJSON of zones zones covering the
// commune GenerateCadastre drew with n parcels: a grid of rectangles,
// the last one widened to the end of its row.
func GeneratePLU(w io.Writer, insee string, n, zones int) error {
	bw := bufio.NewWriter(w)
	side := math.Ceil(math.Sqrt(float64(n)))
	across := int(math.Ceil(math.Sqrt(float64(zones))))
	down := int(math.Ceil(float64(zones) / float64(across)))
	zw, zh := side*genParcelW/float64(across), side*genParcelH/float64(down)
	types := []string{ZoneU, ZoneU, ZoneAUc, ZoneA, ZoneN}
	fmt.Fprint(bw, `{"type":"FeatureCollection","features":[`)
	for i := range zones {
		x0, y0 := genOrigin[0]+float64(i%across)*zw, genOrigin[1]+float64(i/across)*zh
		x1 := x0 + zw
		if i == zones-1 { // the last zone fills its row
			x1 = genOrigin[0] + float64(across)*zw
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		fmt.Fprintf(bw, `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[%s]]]},`+
			`"properties":{"LIBELLE":"Z%d","LIBELONG":"Zone générée %d","TYPEZONE":%q,"DESTDOMI":"00",`+
			`"NOMFIC":"%s_reglement.pdf","INSEE":%q,"DATAPPRO":"20260101","DATVALID":"20260101"}}`,
			genRectangle(x0, y0, x1, y0+zh), i+1, i+1, types[i%len(types)], insee, insee)
	}
	fmt.Fprint(bw, "]}")
	return bw.Flush()
}

// genCorner is a grid corner, shifted by up to a fifth of a parcel.
func genCorner(row, col int) string {
	shift := func(a, b int) float64 { return float64((a*7919+b*104729)%200-100) / 500 }
	x := genOrigin[0] + (float64(col)+shift(row, col))*genParcelW
	y := genOrigin[1] + (float64(row)+shift(col, row))*genParcelH
	return "[" + strconv.FormatFloat(x, 'f', 7, 64) + "," + strconv.FormatFloat(y, 'f', 7, 64) + "]"
}

// genRectangle is a rectangle's ring, with genEdgePts points a side.
func genRectangle(x0, y0, x1, y1 float64) string {
	var out []byte
	add := func(x, y float64) {
		if len(out) > 0 {
			out = append(out, ',')
		}
		out = fmt.Appendf(out, "[%.7f,%.7f]", x, y)
	}
	for i := range genEdgePts {
		add(x0+(x1-x0)*float64(i)/genEdgePts, y0)
	}
	for i := range genEdgePts {
		add(x1, y0+(y1-y0)*float64(i)/genEdgePts)
	}
	for i := range genEdgePts {
		add(x1-(x1-x0)*float64(i)/genEdgePts, y1)
	}
	for i := range genEdgePts {
		add(x0, y1-(y1-y0)*float64(i)/genEdgePts)
	}
	add(x0, y0)
	return string(out)
}

// sectionCode names the i-th section: A … Z, then AA, AB …
func sectionCode(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	i -= 26
	return string(rune('A'+i/26%26)) + string(rune('A'+i%26))
}
