package urbanism

import (
	"math"

	"github.com/paulmach/orb"
)

// grid finds the shapes near a point or a box: the territory's box cut in
// equal cells, each listing the shapes whose bounding box touches it. A
// parcel-at-point lookup reads one cell, a handful of parcels, instead of
// every parcel of the commune.
type grid struct {
	bound  orb.Bound
	nx, ny int
	cells  [][]int32
	boxes  []orb.Bound
}

// perCell is the average number of shapes a cell is sized for.
const perCell = 4

func newGrid(boxes []orb.Bound) *grid {
	g := &grid{boxes: boxes, nx: 1, ny: 1}
	if len(boxes) == 0 {
		return g
	}
	g.bound = boxes[0]
	for _, b := range boxes[1:] {
		g.bound = g.bound.Union(b)
	}
	w, h := g.bound.Max.X()-g.bound.Min.X(), g.bound.Max.Y()-g.bound.Min.Y()
	cells := float64(len(boxes)) / perCell
	if w > 0 && h > 0 && cells > 1 {
		side := math.Sqrt(w * h / cells)
		g.nx = min(1024, max(1, int(math.Ceil(w/side))))
		g.ny = min(1024, max(1, int(math.Ceil(h/side))))
	}
	g.cells = make([][]int32, g.nx*g.ny)
	for i, b := range boxes {
		x0, y0 := g.cell(b.Min)
		x1, y1 := g.cell(b.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				g.cells[y*g.nx+x] = append(g.cells[y*g.nx+x], int32(i))
			}
		}
	}
	return g
}

// cell returns the cell holding p, clamped to the grid.
func (g *grid) cell(p orb.Point) (int, int) {
	w, h := g.bound.Max.X()-g.bound.Min.X(), g.bound.Max.Y()-g.bound.Min.Y()
	x, y := 0, 0
	if w > 0 {
		x = int((p.X() - g.bound.Min.X()) / w * float64(g.nx))
	}
	if h > 0 {
		y = int((p.Y() - g.bound.Min.Y()) / h * float64(g.ny))
	}
	return min(max(x, 0), g.nx-1), min(max(y, 0), g.ny-1)
}

// at calls each for the shapes whose box holds p.
func (g *grid) at(p orb.Point, each func(i int) bool) {
	if len(g.cells) == 0 || !g.bound.Contains(p) {
		return
	}
	x, y := g.cell(p)
	for _, i := range g.cells[y*g.nx+x] {
		if g.boxes[i].Contains(p) && !each(int(i)) {
			return
		}
	}
}

// within calls each once for every shape whose box meets b.
func (g *grid) within(b orb.Bound, each func(i int)) {
	if len(g.cells) == 0 || !g.bound.Intersects(b) {
		return
	}
	x0, y0 := g.cell(b.Min)
	x1, y1 := g.cell(b.Max)
	seen := map[int32]bool{}
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			for _, i := range g.cells[y*g.nx+x] {
				if !seen[i] && g.boxes[i].Intersects(b) {
					seen[i] = true
					each(int(i))
				}
			}
		}
	}
}
