package svgmap

import "strconv"

// ScaleBar is the bar a map shows its scale with.
type ScaleBar struct {
	// Metres is the length it stands for, a round number: 50, 100, 200,
	// 500, 1000…
	Metres int
	// Length is its length in SVG units, rounded to a tenth.
	Length float64
	// Label says the length, « 200 m » or « 1 km », with a non-breaking
	// space before the unit.
	Label string
}

// roundLengths are the lengths a scale bar may stand for, in metres.
var roundLengths = [...]int{10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}

// ScaleBar is the longest bar of a round length that fits in a fifth of
// the map's width; the shortest one on a map under 50 m across.
func (p Projection) ScaleBar() ScaleBar {
	// A hair more, so that a map of 10 km does get its 2 km.
	fifth := float64(p.width) / p.UnitsPerMetre() / 5 * (1 + 1e-9)
	m := roundLengths[0]
	for _, l := range roundLengths {
		if float64(l) <= fifth {
			m = l
		}
	}
	label := strconv.Itoa(m) + "\u00a0m"
	if m >= 1000 {
		label = strconv.Itoa(m/1000) + "\u00a0km"
	}
	return ScaleBar{Metres: m, Length: round(float64(m) * p.UnitsPerMetre()), Label: label}
}
