package network

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/topo"
)

// Measures are what the engagement staff read of the network: who ties
// otherwise separate groups together (betweenness), the groups cut off
// from the rest (components), the clusters (communities) and each
// organisation's number of ties (degree).
type Measures struct {
	// Nodes holds one entry per organisation of the graph, in its order.
	Nodes []NodeMeasure
	// Clusters are the communities of two organisations or more, largest
	// first; a node's Cluster is its index here, -1 when it has no tie.
	Clusters [][]int
	// Components are the connected groups of two organisations or more,
	// largest first: the first is the main network, the others isolated
	// groups.
	Components [][]int
	// Brokers are the organisations of highest betweenness (above zero),
	// highest first, MaxBrokers at most.
	Brokers []int
	// Alone are the organisations without any tie.
	Alone []int
}

// NodeMeasure is one organisation's measures.
type NodeMeasure struct {
	Degree int
	// Betweenness is normalised to [0, 1].
	Betweenness float64
	// Rank is its place by betweenness (1 is the highest; equal values
	// share a rank), 0 when it has no tie.
	Rank int
	// Cluster and Component are indexes in Measures.Clusters and
	// Measures.Components, -1 when it has no tie.
	Cluster, Component int
}

// MaxBrokers is how many brokers the measures name.
const MaxBrokers = 5

// louvainSeed fixes Louvain's random source: the same network always
// gets the same clusters.
var louvainSeed = [2]uint64{19, 2026}

// Measure computes the measures of g.
func Measure(g *Graph) *Measures {
	m := &Measures{Nodes: make([]NodeMeasure, g.Len())}
	for i, nb := range g.Adj {
		m.Nodes[i] = NodeMeasure{Degree: len(nb), Cluster: -1, Component: -1}
		if len(nb) == 0 {
			m.Alone = append(m.Alone, i)
		}
	}
	// Louvain runs on one core: it goes alongside the betweenness, which
	// shares the cores among its searches.
	clusters := make(chan [][]int, 1)
	go func() { clusters <- Communities(g) }()
	for i, b := range Betweenness(g) {
		// Rounded, so that the last bits of a sum do not order two
		// organisations that play the same part.
		m.Nodes[i].Betweenness = math.Round(b*1e12) / 1e12
	}
	m.Components = groups(Components(g))
	for c, members := range m.Components {
		for _, i := range members {
			m.Nodes[i].Component = c
		}
	}
	m.Clusters = groups(<-clusters)
	for c, members := range m.Clusters {
		for _, i := range members {
			m.Nodes[i].Cluster = c
		}
	}
	m.rank()
	return m
}

// rank numbers the organisations with ties by betweenness, and names the
// brokers.
func (m *Measures) rank() {
	var tied []int
	for i, n := range m.Nodes {
		if n.Degree > 0 {
			tied = append(tied, i)
		}
	}
	slices.SortStableFunc(tied, func(a, b int) int { return cmp.Compare(m.Nodes[b].Betweenness, m.Nodes[a].Betweenness) })
	for k, i := range tied {
		if k > 0 && m.Nodes[i].Betweenness == m.Nodes[tied[k-1]].Betweenness {
			m.Nodes[i].Rank = m.Nodes[tied[k-1]].Rank
		} else {
			m.Nodes[i].Rank = k + 1
		}
		if k < MaxBrokers && m.Nodes[i].Betweenness > 0 {
			m.Brokers = append(m.Brokers, i)
		}
	}
}

// groups keeps the groups of two members or more, each sorted, largest
// first (then by first member).
func groups(all [][]int) [][]int {
	var out [][]int
	for _, members := range all {
		if len(members) < 2 {
			continue
		}
		slices.Sort(members)
		out = append(out, members)
	}
	slices.SortFunc(out, func(a, b []int) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	})
	return out
}

// Components returns the connected components of g, by gonum's
// topo.ConnectedComponents.
func Components(g *Graph) [][]int {
	var out [][]int
	for _, c := range topo.ConnectedComponents(gonumGraph{g}) {
		members := make([]int, len(c))
		for i, n := range c {
			members[i] = int(n.ID())
		}
		out = append(out, members)
	}
	return out
}

// Communities returns the clusters of g found by gonum's Louvain
// (community.Modularize, resolution 1) with a fixed random source.
func Communities(g *Graph) [][]int {
	if g.Edges() == 0 {
		return nil
	}
	src := rand.NewPCG(louvainSeed[0], louvainSeed[1])
	var out [][]int
	for _, c := range community.Modularize(gonumGraph{g}, 1, src).Communities() {
		members := make([]int, len(c))
		for i, n := range c {
			members[i] = int(n.ID())
		}
		out = append(out, members)
	}
	return out
}

// Bridges returns the clusters other than its own that an organisation's
// neighbours belong to, in the clusters' order: the groups a broker ties
// together.
func (m *Measures) Bridges(g *Graph, i int) []int {
	var out []int
	for _, v := range g.Adj[i] {
		c := m.Nodes[v].Cluster
		if c >= 0 && c != m.Nodes[i].Cluster && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}
