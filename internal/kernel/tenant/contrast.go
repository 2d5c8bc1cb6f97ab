package tenant

import (
	"math"
	"strconv"
	"strings"
)

// MinContrast is WCAG 2.1's minimum contrast for body text (criterion
// 1.4.3, RGAA 3.2).
const MinContrast = 4.5

// Contrast returns the WCAG contrast ratio of two "#rrggbb" colours, from
// 1 (same luminance) to 21 (black on white); 0 if either is malformed.
func Contrast(a, b string) float64 {
	la, oka := luminance(a)
	lb, okb := luminance(b)
	if !oka || !okb {
		return 0
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the relative luminance of sRGB colour hex.
func luminance(hex string) (float64, bool) {
	if !colorPattern.MatchString(hex) {
		return 0, false
	}
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return 0, false
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			ch[i] = c / 12.92
		} else {
			ch[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2], true
}

// contrastMessage explains a refused colour in French, with its ratio.
func contrastMessage(what, hex string) string {
	r := strings.Replace(strconv.FormatFloat(math.Floor(Contrast(hex, "#ffffff")*100)/100, 'f', 2, 64), ".", ",", 1)
	return what + " n'offre qu'un contraste de " + r + ":1 ; il faut au moins 4,5:1 pour être lisible " +
		"(RGAA 3.2). Choisissez une teinte plus foncée."
}
