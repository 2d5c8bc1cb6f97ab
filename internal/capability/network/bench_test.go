package network

import (
	"fmt"
	"testing"
)

// sizes are the networks measured: a large town's (500 organisations,
// 5,000 ties) and the acceptance (5,000 and 50,000), ties drawn
// at random (docs/PERFORMANCE.md, "Network of organisations").
var sizes = [][2]int{{500, 5000}, {5000, 50000}}

func eachSize(b *testing.B, run func(b *testing.B, g *Graph)) {
	for _, s := range sizes {
		b.Run(fmt.Sprintf("%d-%d", s[0], s[1]), func(b *testing.B) {
			g := randomGraph(s[0], s[1], 1)
			b.ReportMetric(float64(g.Edges()), "edges")
			run(b, g)
		})
	}
}

func BenchmarkBetweenness(b *testing.B) {
	eachSize(b, func(b *testing.B, g *Graph) {
		for b.Loop() {
			Betweenness(g)
		}
	})
}

// BenchmarkGonumBetweenness is gonum's network.Betweenness on the same
// graphs, the reference Betweenness is held to.
func BenchmarkGonumBetweenness(b *testing.B) {
	eachSize(b, func(b *testing.B, g *Graph) {
		for b.Loop() {
			GonumBetweenness(g)
		}
	})
}

func BenchmarkComponents(b *testing.B) {
	eachSize(b, func(b *testing.B, g *Graph) {
		for b.Loop() {
			Components(g)
		}
	})
}

func BenchmarkCommunities(b *testing.B) {
	eachSize(b, func(b *testing.B, g *Graph) {
		for b.Loop() {
			Communities(g)
		}
	})
}

// BenchmarkMeasure is all of a collectivité's measures: what a page
// waits for after its ties changed.
func BenchmarkMeasure(b *testing.B) {
	eachSize(b, func(b *testing.B, g *Graph) {
		for b.Loop() {
			Measure(g)
		}
	})
}

func BenchmarkLayout(b *testing.B) {
	eachSize(b, func(b *testing.B, g *Graph) {
		m := Measure(g)
		b.ResetTimer()
		for b.Loop() {
			Layout(g, m)
		}
	})
}
