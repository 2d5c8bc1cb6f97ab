package svgmap

import "testing"

// BenchmarkPath draws the commune's 6,032 parcels, one op being all of
// them: on the whole commune 800 units wide, and on a view of 300 m
// drawn 300 units wide (a phone's map at the deepest zoom), where most
// parcels are outside and must cost little.
func BenchmarkPath(b *testing.B) {
	ps := parcels(b)
	whole := New(bound(ps), 800, Options{Margin: 0.01})
	for _, c := range []struct {
		name string
		p    Projection
	}{
		{"commune-800", whole},
		{"300m-300", New(Around(whole.Box().Center(), 300), 300, Options{})},
	} {
		b.Run(c.name, func(b *testing.B) {
			size, drawn := 0, 0
			for b.Loop() {
				size, drawn = 0, 0
				for _, g := range ps {
					d := c.p.Path(g)
					size += len(d)
					if d != "" {
						drawn++
					}
				}
			}
			b.ReportMetric(float64(size), "svg-bytes")
			b.ReportMetric(float64(drawn), "parcels")
		})
	}
}
