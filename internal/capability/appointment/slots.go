package appointment

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"time"
)

// Interval is an occupied range [Start, End) in Unix seconds.
type Interval struct{ Start, End int64 }

// Busy lists each resource's occupied ranges (buffers included), sorted by
// start and not overlapping, keyed by resource id.
type Busy map[string][]Interval

// Slot is a start time at which at least one resource is free.
type Slot struct {
	Start time.Time // UTC
	// Free has bit i set when the agenda's Resources[i] is free.
	Free uint64
}

// Calendar computes slots for one agenda in its collectivité's time zone.
// It holds the exceptions of the days asked (read only: a cached agenda's
// are shared) and caches holidays; build one per request.
type Calendar struct {
	Agenda     *Agenda
	Loc        *time.Location
	exceptions map[Day][]Exception
	holidays   *holidaySet
	// weeks[0] is the agenda's weekly hours and weeks[k] the k-th set of a
	// resource's own, each day's ranges sorted and merged; masks[k] has bit
	// i set when Resources[i] keeps weeks[k]. Filled on first use, so that
	// a calendar built only for LastDay costs nothing more.
	weeks    [][7][]Hours
	masks    []uint64
	prepared bool
	// def is the cached agenda whose settings and exceptions this calendar
	// holds, when it does: slots computed on it may be kept (see memoSlots).
	def *cachedAgenda
}

// NewCalendar returns the calendar of a in loc with its exceptions.
func NewCalendar(a *Agenda, loc *time.Location, exceptions []Exception) *Calendar {
	return &Calendar{Agenda: a, Loc: loc, exceptions: exceptionsByDay(exceptions), holidays: newHolidaySet(a.AlsaceMoselle)}
}

// exceptionsByDay groups exceptions by day; nil when there are none (a
// calendar built for LastDay only allocates no map).
func exceptionsByDay(exceptions []Exception) map[Day][]Exception {
	if len(exceptions) == 0 {
		return nil
	}
	out := map[Day][]Exception{}
	for _, e := range exceptions {
		if d, err := ParseDay(e.Day); err == nil {
			out[d] = append(out[d], e)
		}
	}
	return out
}

// prepare groups the resources by weekly hours: those that follow the
// agenda, and one group per distinct set of their own.
func (c *Calendar) prepare() {
	if c.prepared {
		return
	}
	c.prepared = true
	a := c.Agenda
	c.weeks, c.masks = [][7][]Hours{weekOf(a.Hours)}, []uint64{0}
	var owners []int // a resource holding each set of own hours
	for i := range min(len(a.Resources), 64) {
		own := a.Resources[i].Hours
		k := 0
		if len(own) > 0 {
			k = slices.IndexFunc(owners, func(j int) bool { return slices.Equal(a.Resources[j].Hours, own) }) + 1
			if k == 0 {
				owners = append(owners, i)
				c.weeks, c.masks = append(c.weeks, weekOf(own)), append(c.masks, 0)
				k = len(c.weeks) - 1
			}
		}
		c.masks[k] |= 1 << i
	}
}

// weekOf sorts weekly ranges by day, each day's merged.
func weekOf(hours []Hours) [7][]Hours {
	var w [7][]Hours
	for _, h := range hours {
		if h.Weekday >= time.Sunday && h.Weekday <= time.Saturday {
			w[h.Weekday] = append(w[h.Weekday], Hours{Start: h.Start, End: h.End})
		}
	}
	for d := range w {
		w[d] = mergeHours(w[d])
	}
	return w
}

// Day is a local calendar day.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf returns the local day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// ParseDay reads YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, err
	}
	return Day{t.Year(), t.Month(), t.Day()}, nil
}

// AddDays returns the day n days later (earlier when n < 0).
func (d Day) AddDays(n int) Day {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return Day{t.Year(), t.Month(), t.Day()}
}

// String formats the day as YYYY-MM-DD.
func (d Day) String() string { return d.date().Format(time.DateOnly) }

// Weekday returns the day of the week.
func (d Day) Weekday() time.Weekday { return d.date().Weekday() }

// Before reports whether d comes before e.
func (d Day) Before(e Day) bool { return d.date().Before(e.date()) }

// Time returns local midnight of d in loc.
func (d Day) Time(loc *time.Location) time.Time { return d.At(0, loc) }

// At returns the instant at local minute m of d in loc: wall-clock time, so
// that 09:00 stays 09:00 on the days the clocks change.
func (d Day) At(m int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, loc)
}

func (d Day) date() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// LastDay returns the last bookable local day at now: the window's last
// day opens at the agenda's release time.
func (c *Calendar) LastDay(now time.Time) Day {
	local := now.In(c.Loc)
	today := DayOf(now, c.Loc)
	n := c.Agenda.WindowDays
	if local.Hour()*60+local.Minute() < c.Agenda.ReleaseMinute {
		n--
	}
	return today.AddDays(n)
}

// HolidayName returns the public holiday's name on d, or "".
func (c *Calendar) HolidayName(d Day) string { return c.holidays.name(d.Year, d.Month, d.Day) }

// Openings returns the agenda's opening ranges on d in local minutes:
// the times at which at least one of its resources is open (see
// ResourceOpenings), sorted and merged. An agenda without resources opens
// at its own hours.
func (c *Calendar) Openings(d Day) []Hours {
	c.prepare()
	groups := c.dayGroups(d, nil)
	if len(c.Agenda.Resources) == 0 {
		return c.open(d, &c.weeks[0], nil, "")
	}
	var out []Hours
	for _, g := range groups {
		out = append(out, g.open...)
	}
	if len(groups) == 1 {
		return out
	}
	return mergeHours(out)
}

// ResourceOpenings returns the opening ranges on d of the agenda's
// Resources[i] in local minutes: its own weekly hours, or the agenda's
// when it has none, unless a public holiday; plus the extra openings of
// the agenda and of the resource; minus the agenda's closures. Closures
// of the resource itself are applied slot by slot (see Slots).
func (c *Calendar) ResourceOpenings(d Day, i int) []Hours {
	c.prepare()
	for _, g := range c.dayGroups(d, nil) {
		if g.mask&(1<<i) != 0 {
			return slices.Clone(g.open)
		}
	}
	return nil
}

// dayGroup is the opening ranges on one day shared by the resources of mask.
type dayGroup struct {
	mask uint64
	open []Hours
}

// dayGroups appends to groups the day's opening ranges of each group of
// resources. Resources sharing weekly hours share ranges, except one with
// an extra opening of its own that day.
func (c *Calendar) dayGroups(d Day, groups []dayGroup) []dayGroup {
	exc := c.exceptions[d]
	var alone uint64 // resources with an extra opening of their own on d
	for _, e := range exc {
		if e.Kind == Open && e.ResourceID != "" {
			if i := c.resourceIndex(e.ResourceID); i >= 0 {
				alone |= 1 << i
			}
		}
	}
	for k := range c.weeks {
		if m := c.masks[k] &^ alone; m != 0 {
			if open := c.open(d, &c.weeks[k], exc, ""); len(open) > 0 {
				groups = append(groups, dayGroup{m, open})
			}
		}
	}
	for m := alone; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		k := slices.IndexFunc(c.masks, func(mask uint64) bool { return mask&(1<<i) != 0 })
		if open := c.open(d, &c.weeks[k], exc, c.Agenda.Resources[i].ID); len(open) > 0 {
			groups = append(groups, dayGroup{1 << i, open})
		}
	}
	return groups
}

// open returns the ranges of week on d unless a holiday, plus the extra
// openings of the agenda (and of resource, when set), minus the agenda's
// closures. A day without exceptions returns the week's own slice.
func (c *Calendar) open(d Day, week *[7][]Hours, exc []Exception, resource string) []Hours {
	holiday := c.HolidayName(d) != ""
	if len(exc) == 0 {
		if holiday {
			return nil
		}
		return week[d.Weekday()]
	}
	var out []Hours
	if !holiday {
		out = append(out, week[d.Weekday()]...)
	}
	for _, e := range exc {
		if e.Kind == Open && (e.ResourceID == "" || e.ResourceID == resource) {
			out = append(out, Hours{Start: e.Start, End: e.End})
		}
	}
	out = mergeHours(out)
	for _, e := range exc {
		if e.Kind == Closed && e.ResourceID == "" {
			out = subtractHours(out, e.Start, e.End)
		}
	}
	return out
}

func (c *Calendar) resourceIndex(id string) int {
	for i := range min(len(c.Agenda.Resources), 64) {
		if c.Agenda.Resources[i].ID == id {
			return i
		}
	}
	return -1
}

func mergeHours(h []Hours) []Hours {
	if len(h) < 2 {
		return h
	}
	h = append([]Hours(nil), h...)
	sort.Slice(h, func(i, j int) bool { return h[i].Start < h[j].Start })
	out := h[:1]
	for _, x := range h[1:] {
		last := &out[len(out)-1]
		if x.Start <= last.End {
			last.End = max(last.End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

func subtractHours(h []Hours, start, end int) []Hours {
	var out []Hours
	for _, x := range h {
		if end <= x.Start || start >= x.End {
			out = append(out, x)
			continue
		}
		if x.Start < start {
			out = append(out, Hours{Start: x.Start, End: start})
		}
		if end < x.End {
			out = append(out, Hours{Start: end, End: x.End})
		}
	}
	return out
}

// Slots returns the free slots of typ from day from to day to included,
// as seen at now (minimum notice, window), given what is busy. Each
// resource's slots start at its own opening ranges' starts, every step;
// a slot lists every resource free at its start. Resources beyond the
// 64th are ignored.
func (c *Calendar) Slots(typ *Type, from, to Day, now time.Time, busy Busy) []Slot {
	if last := c.LastDay(now); last.Before(to) {
		to = last
	}
	return c.slots(typ, from, to, now.Add(c.Agenda.MinNotice).Unix(), busy)
}

// slots is Slots from day from to day to, starting at earliest or later.
func (c *Calendar) slots(typ *Type, from, to Day, earliest int64, busy Busy) []Slot {
	a := c.Agenda
	nres := min(len(a.Resources), 64)
	dur, step := int64(typ.Duration/time.Second), int64(a.Step/time.Second)
	foot := dur + int64(a.Buffer/time.Second)
	if step <= 0 || dur <= 0 || nres == 0 {
		return nil
	}
	c.prepare()
	lists := make([][]Interval, nres)
	next := make([]int, nres)
	for i := range nres {
		lists[i] = busy[a.Resources[i].ID]
	}
	var (
		out    []Slot
		groups []dayGroup
		starts []start
	)
	closed := make([][]Interval, nres)
	for d := from; !to.Before(d); d = d.AddDays(1) {
		groups = c.dayGroups(d, groups[:0])
		if len(groups) == 0 {
			continue
		}
		c.resourceClosures(d, closed)
		starts = starts[:0]
		for _, g := range groups {
			for _, o := range g.open {
				end := d.At(o.End, c.Loc).Unix()
				for t := d.At(o.Start, c.Loc).Unix(); t+dur <= end; t += step {
					if t >= earliest {
						starts = append(starts, start{t, g.mask})
					}
				}
			}
		}
		if len(groups) > 1 {
			starts = mergeStarts(starts)
		}
		for _, st := range starts {
			t := st.at
			var free uint64
			for m := st.open; m != 0; m &= m - 1 {
				i := bits.TrailingZeros64(m)
				if overlaps(closed[i], t, t+dur) {
					continue
				}
				l := lists[i]
				j := next[i]
				for j < len(l) && l[j].End <= t {
					j++
				}
				next[i] = j
				if j < len(l) && l[j].Start < t+foot {
					continue
				}
				free |= 1 << i
			}
			if free != 0 {
				out = append(out, Slot{Start: time.Unix(t, 0).UTC(), Free: free})
			}
		}
	}
	return out
}

// start is a candidate start (Unix seconds) and the resources open then.
type start struct {
	at   int64
	open uint64
}

// mergeStarts sorts the starts of several groups by time, joining the
// resources of equal starts.
func mergeStarts(starts []start) []start {
	slices.SortFunc(starts, func(x, y start) int { return cmp.Compare(x.at, y.at) })
	out := starts[:0]
	for _, s := range starts {
		if n := len(out); n > 0 && out[n-1].at == s.at {
			out[n-1].open |= s.open
			continue
		}
		out = append(out, s)
	}
	return out
}

// resourceClosures fills closed[i] with the closures of resource i on d.
func (c *Calendar) resourceClosures(d Day, closed [][]Interval) {
	for i := range closed {
		closed[i] = closed[i][:0]
	}
	for _, e := range c.exceptions[d] {
		if e.Kind != Closed || e.ResourceID == "" {
			continue
		}
		for i := range closed {
			if c.Agenda.Resources[i].ID == e.ResourceID {
				closed[i] = append(closed[i], Interval{d.At(e.Start, c.Loc).Unix(), d.At(e.End, c.Loc).Unix()})
			}
		}
	}
}

func overlaps(list []Interval, start, end int64) bool {
	for _, x := range list {
		if x.Start < end && start < x.End {
			return true
		}
	}
	return false
}

// FreeResources returns the indices of the resources free in s.
func (s Slot) FreeResources() []int {
	var out []int
	for i := 0; i < 64; i++ {
		if s.Free&(1<<i) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// FreeCount returns how many resources are free in s.
func (s Slot) FreeCount() int { return bits.OnesCount64(s.Free) }
