package urbanism

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// The territory's atlas: its box cut in squares named by a letter (row,
// from the north) and a number (column), "B3", as a street atlas is. A
// map shows one square's parcels, so that a commune of 20,000 parcels is
// never sent whole to a phone.

// Sector is one square of the atlas.
type Sector struct {
	Name     string
	Row, Col int
	Box      orb.Bound
	// Parcels is how many parcels meet the square.
	Parcels int
}

// perSector is how many parcels a square is sized for, on average.
const perSector = 150

// maxSide bounds the atlas to 12 × 12 squares.
const maxSide = 12

// Sectors returns the squares holding parcels, row by row; they are cut
// once per territory.
func (t *Territory) Sectors() []Sector {
	t.sectorsOnce.Do(func() {
		n := min(maxSide, max(1, int(math.Ceil(math.Sqrt(float64(len(t.Parcels))/perSector)))))
		t.side = n
		w, h := (t.Bound.Max.X()-t.Bound.Min.X())/float64(n), (t.Bound.Max.Y()-t.Bound.Min.Y())/float64(n)
		for row := range n {
			for col := range n {
				box := orb.Bound{Min: orb.Point{t.Bound.Min.X() + float64(col)*w, t.Bound.Max.Y() - float64(row+1)*h},
					Max: orb.Point{t.Bound.Min.X() + float64(col+1)*w, t.Bound.Max.Y() - float64(row)*h}}
				count := 0
				t.parcels.within(box, func(int) { count++ })
				if count > 0 {
					t.sectors = append(t.sectors, Sector{Name: SectorName(row, col), Row: row, Col: col, Box: box, Parcels: count})
				}
			}
		}
	})
	return t.sectors
}

// SectorName names the square of row and column: "A1" is the north-west.
func SectorName(row, col int) string { return string(rune('A'+row)) + strconv.Itoa(col+1) }

// Sector returns the square named name.
func (t *Territory) Sector(name string) (Sector, bool) {
	for _, s := range t.Sectors() {
		if s.Name == name {
			return s, true
		}
	}
	return Sector{}, false
}

// Neighbours returns the squares north, west, east and south of s that
// hold parcels, by direction ("north", "west", "east", "south").
func (t *Territory) Neighbours(s Sector) map[string]Sector {
	out := map[string]Sector{}
	for _, d := range []struct {
		dir        string
		drow, dcol int
	}{{"north", -1, 0}, {"west", 0, -1}, {"east", 0, 1}, {"south", 1, 0}} {
		row, col := s.Row+d.drow, s.Col+d.dcol
		if row < 0 || col < 0 || row >= t.side || col >= t.side {
			continue
		}
		if n, ok := t.Sector(SectorName(row, col)); ok {
			out[d.dir] = n
		}
	}
	return out
}
