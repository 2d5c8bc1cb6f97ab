package networkweb

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"guichet/internal/capability/network"
	"guichet/internal/kernel/web"
)

// drawing is the network drawn on the server as SVG: each organisation a
// link to its sheet with its name for screen readers, its cluster's
// shape, colour and letter; the ties as lines, a funding with an arrow
// from the funder. No script draws or moves anything; the table beside
// it says the same in words.
type drawing struct {
	Width, Height int
	Label         string
	Edges         []drawEdge
	Nodes         []drawNode
	// Names says whether the organisations' names are written beside
	// them (a small network); the links' names are there in any case.
	Names bool
	// Left is the number of organisations with ties not drawn (past
	// maxDrawn), by fewest ties.
	Left int
}

type drawEdge struct {
	X1, Y1, X2, Y2 string
	Class          string
	Arrow          bool
}

type drawNode struct {
	Href, Label  string
	Path, Class  string
	X, Y         string // the letter's place
	NameX, NameY string
	NameEnd      bool // the name is written to the left (near the right edge)
	Letter, Name string
	Current      bool
}

const (
	drawWidth, drawHeight = 960, 640
	drawMargin            = 70
	// maxDrawn bounds the organisations drawn: past it the drawing keeps
	// those with the most ties, and says how many it leaves out.
	maxDrawn = 400
	// namesUpTo is the largest network whose names are written.
	namesUpTo = 80
)

// draw draws the network's organisations that have ties.
func draw(p *web.Page, v *network.View, n *networkPage) *drawing {
	d := &drawing{Width: drawWidth, Height: drawHeight, Label: p.T("network.drawing.label")}
	var shown []*orgView
	for _, o := range n.byID {
		if o.Degree > 0 {
			shown = append(shown, o)
		}
	}
	slices.SortFunc(shown, func(a, b *orgView) int { return cmp.Or(cmp.Compare(b.Degree, a.Degree), cmp.Compare(a.index, b.index)) })
	if len(shown) > maxDrawn {
		d.Left, shown = len(shown)-maxDrawn, shown[:maxDrawn]
	}
	d.Names = len(shown) <= namesUpTo
	drawn := make(map[int]bool, len(shown))
	for _, o := range shown {
		drawn[o.index] = true
	}
	xy := func(i int) (float64, float64) {
		pt := v.Positions[i]
		return drawMargin + pt.X*(drawWidth-2*drawMargin), drawMargin/2 + pt.Y*(drawHeight-drawMargin)
	}
	for _, t := range v.Ties {
		a, _ := v.Index(t.From)
		b, _ := v.Index(t.To)
		if !drawn[a] || !drawn[b] {
			continue
		}
		x1, y1 := xy(a)
		x2, y2 := xy(b)
		if t.Directed() {
			// The arrow stops at the funded organisation's edge.
			r := radius(v.Measures.Nodes[b].Degree) + 3
			if l := math.Hypot(x2-x1, y2-y1); l > r {
				x2, y2 = x2-(x2-x1)*r/l, y2-(y2-y1)*r/l
			}
		}
		d.Edges = append(d.Edges, drawEdge{X1: num(x1), Y1: num(y1), X2: num(x2), Y2: num(y2), Class: "tie tie-" + t.Kind,
			Arrow: t.Directed()})
	}
	// Nodes in the table's order, so that the Tab key meets them as the
	// table lists them.
	for _, o := range n.Orgs {
		if !drawn[o.index] {
			continue
		}
		x, y := xy(o.index)
		r := radius(o.Degree)
		node := drawNode{Href: o.Sheet, Name: o.Name, X: num(x), Y: num(y + 4), NameX: num(x + r + 4), NameY: num(y + 4),
			Label: p.N("network.drawing.node", o.Degree, o.Name)}
		if x > drawWidth*0.7 {
			node.NameX, node.NameEnd = num(x-r-4), true
		}
		if c := o.Cluster; c != nil {
			node.Path, node.Class, node.Letter = c.draw(x, y, r), "node "+c.Class, c.Letter
			node.Label = p.N("network.drawing.node_in", o.Degree, o.Name, c.Letter)
		} else {
			node.Path, node.Class = circlePath(x, y, r), "node"
		}
		d.Nodes = append(d.Nodes, node)
	}
	return d
}

// radius grows with the ties, slowly.
func radius(degree int) float64 { return min(9+2.5*math.Sqrt(float64(degree)), 20) }

// num writes a coordinate with one decimal.
func num(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// poly writes a closed path through points around (x, y) at radius r,
// the first at angle start (radians, clockwise from the right).
func poly(x, y, r, start float64, sides int) string {
	var b strings.Builder
	for i := range sides {
		a := start + 2*math.Pi*float64(i)/float64(sides)
		if i == 0 {
			b.WriteByte('M')
		} else {
			b.WriteByte('L')
		}
		b.WriteString(num(x + r*math.Cos(a)))
		b.WriteByte(' ')
		b.WriteString(num(y + r*math.Sin(a)))
	}
	b.WriteByte('Z')
	return b.String()
}

func circlePath(x, y, r float64) string {
	return "M" + num(x-r) + " " + num(y) + "a" + num(r) + " " + num(r) + " 0 1 0 " + num(2*r) + " 0a" + num(r) + " " + num(r) +
		" 0 1 0 " + num(-2*r) + " 0Z"
}

func squarePath(x, y, r float64) string   { return poly(x, y, r*1.25, math.Pi/4, 4) }
func trianglePath(x, y, r float64) string { return poly(x, y+r*0.25, r*1.45, -math.Pi/2, 3) }
func diamondPath(x, y, r float64) string  { return poly(x, y, r*1.3, -math.Pi/2, 4) }
func hexagonPath(x, y, r float64) string  { return poly(x, y, r*1.1, 0, 6) }
func downPath(x, y, r float64) string     { return poly(x, y-r*0.25, r*1.45, math.Pi/2, 3) }
