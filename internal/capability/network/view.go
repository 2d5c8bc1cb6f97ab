package network

import (
	"context"
	"fmt"

	"guichet/internal/kernel/invalidate"
)

// View is a collectivité's network as its pages show it: the published
// organisations, the active ties between them, the measures and the
// drawing's positions. It is computed once and kept until the ties
// change (or ViewTTL passes, for the directory's changes); readers must
// not change it.
type View struct {
	// Orgs are the directory's published organisations, by name; the
	// graph's node i is Orgs[i].
	Orgs     []DirectoryEntry
	Graph    *Graph
	Measures *Measures
	// Positions are each organisation's place in the drawing, in [0, 1]
	// (NaN for those without ties).
	Positions []Point
	// Ties are the active ties between published organisations.
	Ties  []*Tie
	index map[string]int
}

// Index returns the node of an organisation, false when it is not in the
// network (not published, or not an organisation).
func (v *View) Index(entryID string) (int, bool) {
	i, ok := v.index[entryID]
	return i, ok
}

// Org returns the organisation of id, false when it is not in the network.
func (v *View) Org(id string) (DirectoryEntry, bool) {
	i, ok := v.index[id]
	if !ok {
		return DirectoryEntry{}, false
	}
	return v.Orgs[i], true
}

// View returns the collectivité's network, measured.
func (s *Store) View(ctx context.Context, tenantID string) (*View, error) {
	return invalidate.Memoized(s.views, tenantID, "view", func() (*View, error) { return s.buildView(ctx, tenantID) })
}

func (s *Store) buildView(ctx context.Context, tenantID string) (*View, error) {
	orgs, err := s.directory(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("network: organisations: %w", err)
	}
	v := &View{index: make(map[string]int, len(orgs))}
	for _, e := range orgs {
		if e.Organisation {
			v.index[e.ID] = len(v.Orgs)
			v.Orgs = append(v.Orgs, e)
		}
	}
	ties, err := s.Ties(ctx, tenantID, Active)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(v.Orgs))
	for i, e := range v.Orgs {
		ids[i] = e.ID
	}
	var edges [][2]string
	for _, t := range ties {
		_, okFrom := v.index[t.From]
		_, okTo := v.index[t.To]
		if okFrom && okTo {
			v.Ties = append(v.Ties, t)
			edges = append(edges, [2]string{t.From, t.To})
		}
	}
	v.Graph = NewGraph(ids, edges)
	v.Measures = Measure(v.Graph)
	v.Positions = Layout(v.Graph, v.Measures)
	return v, nil
}

// DisableCache makes every read measure afresh (tests counting queries).
func (s *Store) DisableCache() { s.views.Disable() }
