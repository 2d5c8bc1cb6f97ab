package network

import "testing"

// The scale of the acceptance: 5,000 organisations and 50,000
// ties (docs/PERFORMANCE.md, "Network of organisations").
const benchOrgs, benchTies = 5000, 50000

func benchGraph(b *testing.B) *Graph {
	b.Helper()
	g := randomGraph(benchOrgs, benchTies, 1)
	b.ReportMetric(float64(g.Edges()), "edges")
	return g
}

func BenchmarkBetweenness(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Betweenness(g)
	}
}

func BenchmarkGonumBetweenness(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		GonumBetweenness(g)
	}
}

func BenchmarkComponents(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Components(g)
	}
}

func BenchmarkCommunities(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Communities(g)
	}
}

func BenchmarkMeasure(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Measure(g)
	}
}

func BenchmarkLayout(b *testing.B) {
	g := benchGraph(b)
	m := Measure(g)
	for b.Loop() {
		Layout(g, m)
	}
}
