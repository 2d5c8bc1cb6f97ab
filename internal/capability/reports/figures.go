package reports

import (
	"context"
	"math"
	"slices"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

// CategoryFigures are one category's figures over a period: the reports
// confirmed in it, by their status now, and how long those fixed took.
type CategoryFigures struct {
	Category *Category
	Total    int
	ByStatus map[Status]int
	// Fixed counts the reports fixed, closed since or not.
	Fixed int
	// MedianToFix and P90ToFix are the median and 90th percentile of the
	// time from confirmation to fixing (zero when none was fixed),
	// interpolated between the nearest two values.
	MedianToFix, P90ToFix time.Duration
}

// Figures returns the figures of each category over the reports
// confirmed from from (included) to to (excluded), in the categories'
// order: the active ones, and the others that had reports.
func (s *Store) Figures(ctx context.Context, tenantID string, from, to time.Time) ([]CategoryFigures, error) {
	if !from.Before(to) {
		return nil, guichet.Invalid(map[string]string{"to": "La fin de la période doit suivre son début."})
	}
	cats, err := s.Categories(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	byID := map[string]*CategoryFigures{}
	for _, c := range cats {
		byID[c.ID] = &CategoryFigures{Category: c, ByStatus: map[Status]int{}}
	}
	toFix := map[string][]time.Duration{}
	err = db.Each(ctx, s.db, `SELECT category_id, status, confirmed_at, fixed_at FROM reports
		WHERE tenant_id = ? AND confirmed_at >= ? AND confirmed_at < ?`, func(r db.Row) error {
		var id string
		var st Status
		var confirmed time.Time
		var fixed *time.Time
		if err := r.Scan(&id, &st, &confirmed, &fixed); err != nil {
			return err
		}
		if f := byID[id]; f != nil && f.add(st, fixed) {
			toFix[id] = append(toFix[id], fixed.Sub(confirmed))
		}
		return nil
	}, tenantID, from.UTC(), to.UTC())
	if err != nil {
		return nil, wrap("figures", err)
	}
	return collect(cats, byID, toFix), nil
}

// add counts a report, and reports whether it was fixed.
func (f *CategoryFigures) add(st Status, fixed *time.Time) bool {
	f.Total++
	f.ByStatus[st]++
	if fixed != nil {
		f.Fixed++
	}
	return fixed != nil
}

func collect(cats []*Category, byID map[string]*CategoryFigures, toFix map[string][]time.Duration) []CategoryFigures {
	out := []CategoryFigures{}
	for _, c := range cats {
		f := byID[c.ID]
		if !c.Active && f.Total == 0 {
			continue
		}
		d := toFix[c.ID]
		slices.Sort(d)
		f.MedianToFix, f.P90ToFix = Percentile(d, 0.5), Percentile(d, 0.9)
		out = append(out, *f)
	}
	return out
}

// Percentile returns the p-quantile (0 ≤ p ≤ 1) of sorted durations,
// interpolated linearly between the two nearest ranks; zero for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := p * float64(len(sorted)-1)
	lo, hi := int(math.Floor(rank)), int(math.Ceil(rank))
	frac := rank - float64(lo)
	return sorted[lo] + time.Duration(math.Round(float64(sorted[hi]-sorted[lo])*frac))
}
