package network

import (
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// Graph is the network as the measures read it: undirected, unweighted,
// its organisations numbered 0..n-1 in the order of IDs, each one's
// neighbours sorted. Two organisations with several ties (a partnership
// and a funding) share one edge; a funding's direction does not count.
type Graph struct {
	IDs []string
	Adj [][]int32
}

// NewGraph builds the graph of the organisations ids and the pairs of
// edges (organisation ids); pairs naming an id not in ids, and loops, are
// left out.
func NewGraph(ids []string, edges [][2]string) *Graph {
	g := &Graph{IDs: ids, Adj: make([][]int32, len(ids))}
	index := make(map[string]int32, len(ids))
	for i, id := range ids {
		index[id] = int32(i)
	}
	for _, e := range edges {
		a, okA := index[e[0]]
		b, okB := index[e[1]]
		if !okA || !okB || a == b {
			continue
		}
		g.Adj[a] = append(g.Adj[a], b)
		g.Adj[b] = append(g.Adj[b], a)
	}
	for i, nb := range g.Adj {
		slices.Sort(nb)
		g.Adj[i] = slices.Compact(nb)
	}
	return g
}

// Len is the number of organisations.
func (g *Graph) Len() int { return len(g.Adj) }

// Edges is the number of edges.
func (g *Graph) Edges() int {
	n := 0
	for _, nb := range g.Adj {
		n += len(nb)
	}
	return n / 2
}

// gonumGraph shows a Graph to gonum as a graph.Undirected whose nodes and
// neighbours come in a fixed order (gonum's own graphs iterate maps), so
// that Louvain with a fixed random source gives the same clusters on
// every run.
type gonumGraph struct{ g *Graph }

var _ graph.Undirected = gonumGraph{}

func (u gonumGraph) has(id int64) bool { return id >= 0 && id < int64(len(u.g.Adj)) }

// Node implements graph.Graph.
func (u gonumGraph) Node(id int64) graph.Node {
	if !u.has(id) {
		return nil
	}
	return simple.Node(id)
}

// Nodes implements graph.Graph.
func (u gonumGraph) Nodes() graph.Nodes {
	nodes := make([]graph.Node, len(u.g.Adj))
	for i := range nodes {
		nodes[i] = simple.Node(i)
	}
	return iterator.NewOrderedNodes(nodes)
}

// From implements graph.Graph.
func (u gonumGraph) From(id int64) graph.Nodes {
	if !u.has(id) {
		return graph.Empty
	}
	nb := u.g.Adj[id]
	nodes := make([]graph.Node, len(nb))
	for i, v := range nb {
		nodes[i] = simple.Node(v)
	}
	return iterator.NewOrderedNodes(nodes)
}

// HasEdgeBetween implements graph.Graph.
func (u gonumGraph) HasEdgeBetween(x, y int64) bool {
	if !u.has(x) || !u.has(y) {
		return false
	}
	_, found := slices.BinarySearch(u.g.Adj[x], int32(y))
	return found
}

// Edge implements graph.Graph.
func (u gonumGraph) Edge(x, y int64) graph.Edge {
	if !u.HasEdgeBetween(x, y) {
		return nil
	}
	return simple.Edge{F: simple.Node(x), T: simple.Node(y)}
}

// EdgeBetween implements graph.Undirected.
func (u gonumGraph) EdgeBetween(x, y int64) graph.Edge { return u.Edge(x, y) }
