package network

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// graphOf builds a graph of n organisations named "0".."n-1" and edges
// between their numbers.
func graphOf(n int, edges ...[2]int) *Graph {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = string(rune('a' + i))
	}
	pairs := make([][2]string, len(edges))
	for i, e := range edges {
		pairs[i] = [2]string{ids[e[0]], ids[e[1]]}
	}
	return NewGraph(ids, pairs)
}

func TestMeasuresOfSmallGraphs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		g           *Graph
		betweenness []float64
		degree      []int
		components  [][]int
		clusters    [][]int // nil: not checked
		brokers     []int
		alone       []int
	}{
		{name: "path of five", g: graphOf(5, [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 3}, [2]int{3, 4}),
			// b lies on 3 of the 6 pairs of the others, c on 4 of them.
			betweenness: []float64{0, 0.5, 4.0 / 6, 0.5, 0}, degree: []int{1, 2, 2, 2, 1},
			components: [][]int{{0, 1, 2, 3, 4}}, brokers: []int{2, 1, 3}},
		{name: "star of four leaves", g: graphOf(5, [2]int{0, 1}, [2]int{0, 2}, [2]int{0, 3}, [2]int{0, 4}),
			betweenness: []float64{1, 0, 0, 0, 0}, degree: []int{4, 1, 1, 1, 1},
			components: [][]int{{0, 1, 2, 3, 4}}, clusters: [][]int{{0, 1, 2, 3, 4}}, brokers: []int{0}},
		{name: "barbell: two triangles and a bridge", g: graphOf(6, [2]int{0, 1}, [2]int{1, 2}, [2]int{0, 2},
			[2]int{3, 4}, [2]int{4, 5}, [2]int{3, 5}, [2]int{2, 3}),
			// The bridge's ends lie on the 3 × 2 paths from one triangle to the other, of 10 pairs.
			betweenness: []float64{0, 0, 0.6, 0.6, 0, 0}, degree: []int{2, 2, 3, 3, 2, 2},
			components: [][]int{{0, 1, 2, 3, 4, 5}}, clusters: [][]int{{0, 1, 2}, {3, 4, 5}}, brokers: []int{2, 3}},
		{name: "two components and one alone", g: graphOf(6, [2]int{0, 1}, [2]int{1, 2}, [2]int{0, 2}, [2]int{3, 4}),
			betweenness: []float64{0, 0, 0, 0, 0, 0}, degree: []int{2, 2, 2, 1, 1, 0},
			components: [][]int{{0, 1, 2}, {3, 4}}, clusters: [][]int{{0, 1, 2}, {3, 4}}, alone: []int{5}},
		{name: "two ties between the same pair count once", g: graphOf(3, [2]int{0, 1}, [2]int{1, 0}, [2]int{1, 2}, [2]int{2, 2}),
			betweenness: []float64{0, 1, 0}, degree: []int{1, 2, 1}, components: [][]int{{0, 1, 2}}, brokers: []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Measure(tc.g)
			for i, want := range tc.betweenness {
				if got := m.Nodes[i].Betweenness; math.Abs(got-want) > 1e-9 {
					t.Errorf("betweenness of %d = %v, want %v", i, got, want)
				}
				if got := m.Nodes[i].Degree; got != tc.degree[i] {
					t.Errorf("degree of %d = %d, want %d", i, got, tc.degree[i])
				}
			}
			if !reflect.DeepEqual(m.Components, tc.components) {
				t.Errorf("components %v, want %v", m.Components, tc.components)
			}
			if tc.clusters != nil && !reflect.DeepEqual(m.Clusters, tc.clusters) {
				t.Errorf("clusters %v, want %v", m.Clusters, tc.clusters)
			}
			if !reflect.DeepEqual(m.Brokers, tc.brokers) {
				t.Errorf("brokers %v, want %v", m.Brokers, tc.brokers)
			}
			if !reflect.DeepEqual(m.Alone, tc.alone) {
				t.Errorf("alone %v, want %v", m.Alone, tc.alone)
			}
			gonum := GonumBetweenness(tc.g)
			for i, want := range tc.betweenness {
				if math.Abs(gonum[i]-want) > 1e-9 {
					t.Errorf("gonum's betweenness of %d = %v, want %v", i, gonum[i], want)
				}
			}
		})
	}
}

func TestBarbellRanksAndBridges(t *testing.T) {
	t.Parallel()
	g := graphOf(6, [2]int{0, 1}, [2]int{1, 2}, [2]int{0, 2}, [2]int{3, 4}, [2]int{4, 5}, [2]int{3, 5}, [2]int{2, 3})
	m := Measure(g)
	if m.Nodes[2].Rank != 1 || m.Nodes[3].Rank != 1 || m.Nodes[0].Rank != 3 {
		t.Errorf("ranks %+v: want the bridge's ends first together, the others third", m.Nodes)
	}
	if got := m.Bridges(g, 2); !reflect.DeepEqual(got, []int{1}) {
		t.Errorf("the bridge's end ties its triangle to clusters %v, want [1]", got)
	}
	if got := m.Bridges(g, 0); got != nil {
		t.Errorf("a triangle's corner ties %v", got)
	}
}

// randomGraph has n organisations and about m ties drawn from a fixed
// source.
func randomGraph(n, m int, seed uint64) *Graph {
	r := rand.New(rand.NewPCG(seed, 7))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "org-" + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676))
	}
	edges := make([][2]string, m)
	for i := range edges {
		edges[i] = [2]string{ids[r.IntN(n)], ids[r.IntN(n)]}
	}
	return NewGraph(ids, edges)
}

func TestBetweennessAgreesWithGonum(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{40, 60}, {300, 900}, {500, 400}} {
		g := randomGraph(size[0], size[1], uint64(size[0]))
		ours, theirs := Betweenness(g), GonumBetweenness(g)
		for i := range ours {
			if math.Abs(ours[i]-theirs[i]) > 1e-9 {
				t.Fatalf("%v: node %d: %v, gonum %v", size, i, ours[i], theirs[i])
			}
		}
	}
}

func TestMeasuresAreStable(t *testing.T) {
	t.Parallel()
	g := randomGraph(400, 1200, 3)
	first := Measure(g)
	for range 3 {
		if again := Measure(g); !reflect.DeepEqual(first, again) {
			t.Fatal("the same network measured twice gave different clusters or ranks")
		}
	}
	if len(first.Clusters) < 2 {
		t.Errorf("a random network of 400 organisations found %d clusters", len(first.Clusters))
	}
}
