package svgmap

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestScaleBarIsARoundLengthNearAFifthOfTheMap(t *testing.T) {
	centre := orb.Point{4.72, 45.99}
	for _, c := range []struct {
		across float64 // metres
		width  int
		metres int
		label  string
	}{
		{300, 300, 50, "50\u00a0m"},
		{600, 300, 100, "100\u00a0m"},
		{1200, 800, 200, "200\u00a0m"},
		{3000, 800, 500, "500\u00a0m"},
		{5500, 800, 1000, "1\u00a0km"},
		{10000, 800, 2000, "2\u00a0km"},
		{40, 300, 10, "10\u00a0m"},
	} {
		p := New(Around(centre, c.across), c.width, Options{})
		s := p.ScaleBar()
		if s.Metres != c.metres || s.Label != c.label {
			t.Errorf("%v m on %d units: %+v, want %d m", c.across, c.width, s, c.metres)
		}
		if want := float64(c.metres) * float64(c.width) / c.across; math.Abs(s.Length-want) > 0.1 {
			t.Errorf("%v m on %d units: bar %v units, want %v", c.across, c.width, s.Length, want)
		}
	}
}
