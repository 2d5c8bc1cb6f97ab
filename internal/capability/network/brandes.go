package network

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/graph/network"
)

// Betweenness returns each organisation's betweenness centrality,
// normalised to [0, 1]: the share of the shortest paths between two other
// organisations that pass through it. It is Brandes' algorithm (2001) on
// the graph's slices, with a breadth-first search from each organisation;
// the searches are shared among the processor's cores, each summing into
// its own slice, and the slices added in a fixed order, so that a result
// does not depend on how the searches were scheduled. gonum's
// network.Betweenness computes the same on maps; docs/PERFORMANCE.md
// compares the two.
func Betweenness(g *Graph) []float64 {
	n := g.Len()
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64))
	sums := make([][]float64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		sums[w] = make([]float64, n)
		wg.Go(func() {
			b := newBrandes(n)
			for s := w; s < n; s += workers {
				b.from(g.Adj, int32(s), sums[w])
			}
		})
	}
	wg.Wait()
	cb := sums[0]
	for _, s := range sums[1:] {
		for i, v := range s {
			cb[i] += v
		}
	}
	normalise(cb, n)
	return cb
}

// GonumBetweenness is Betweenness computed by gonum's network package,
// normalised alike: the reference the tests hold Betweenness to.
func GonumBetweenness(g *Graph) []float64 {
	cb := make([]float64, g.Len())
	for id, v := range network.Betweenness(gonumGraph{g}) {
		cb[id] = v
	}
	normalise(cb, g.Len())
	return cb
}

// normalise divides the sums over ordered pairs of an undirected graph by
// the number of such pairs that do not include the organisation.
func normalise(cb []float64, n int) {
	if n < 3 {
		clear(cb)
		return
	}
	pairs := float64(n-1) * float64(n-2)
	for i := range cb {
		cb[i] /= pairs
	}
}

// brandes holds one worker's buffers, reused from one search to the next.
type brandes struct {
	dist  []int32
	sigma []float64
	delta []float64
	order []int32 // the nodes reached, in the order the search reached them
}

func newBrandes(n int) *brandes {
	b := &brandes{dist: make([]int32, n), sigma: make([]float64, n), delta: make([]float64, n), order: make([]int32, 0, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// from adds to cb the dependencies of source s on every other node. The
// order slice doubles as the search's queue; predecessors are found again
// by their distance rather than kept in lists.
func (b *brandes) from(adj [][]int32, s int32, cb []float64) {
	b.order = append(b.order[:0], s)
	b.dist[s], b.sigma[s] = 0, 1
	for head := 0; head < len(b.order); head++ {
		v := b.order[head]
		dv := b.dist[v]
		for _, w := range adj[v] {
			if b.dist[w] < 0 {
				b.dist[w] = dv + 1
				b.order = append(b.order, w)
			}
			if b.dist[w] == dv+1 {
				b.sigma[w] += b.sigma[v]
			}
		}
	}
	for i := len(b.order) - 1; i > 0; i-- {
		w := b.order[i]
		dw := b.dist[w]
		coeff := (1 + b.delta[w]) / b.sigma[w]
		for _, v := range adj[w] {
			if b.dist[v] == dw-1 {
				b.delta[v] += b.sigma[v] * coeff
			}
		}
		cb[w] += b.delta[w]
	}
	for _, v := range b.order {
		b.dist[v], b.sigma[v], b.delta[v] = -1, 0, 0
	}
}
