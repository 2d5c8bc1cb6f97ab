package guichet

import (
	"strconv"
	"strings"
)

// Decimal writes x with digits decimals for readers of lang: a decimal
// comma in French ("12,5"), a point in English ("12.5").
func Decimal(x float64, digits int, lang string) string {
	s := strconv.FormatFloat(x, 'f', digits, 64)
	if lang == "en" {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// Percent writes x per cent for readers of lang: "12,5 %" in French, with
// the non-breaking space French typography puts before it, "12.5%" in
// English.
func Percent(x float64, digits int, lang string) string {
	if lang == "en" {
		return Decimal(x, digits, lang) + "%"
	}
	return Decimal(x, digits, lang) + "\u00a0%"
}
