package svgmap

import (
	"math"
	"strconv"
)

// Num writes an SVG coordinate to a tenth of a unit, without a trailing
// ".0" and never as "-0".
func Num(v float64) string { return string(appendTenths(nil, tenths(v))) }

// tenths is v in tenths of a unit, rounded.
func tenths(v float64) int64 { return int64(math.Round(v * 10)) }

// round is v rounded to a tenth, for fields a template prints.
func round(v float64) float64 { return float64(tenths(v)) / 10 }

// appendTenths writes t tenths as a decimal number.
func appendTenths(b []byte, t int64) []byte {
	if t < 0 {
		b, t = append(b, '-'), -t
	}
	b = strconv.AppendInt(b, t/10, 10)
	if d := t % 10; d != 0 {
		b = append(b, '.', byte('0'+d))
	}
	return b
}
