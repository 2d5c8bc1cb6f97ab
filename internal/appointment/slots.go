package appointment

import (
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
// It holds the exceptions of the days asked and caches holidays; build
// one per request.
type Calendar struct {
	Agenda     *Agenda
	Loc        *time.Location
	exceptions map[string][]Exception // by local day
	holidays   *holidaySet
	hours      [7][]Hours
}

// NewCalendar returns the calendar of a in loc with its exceptions.
func NewCalendar(a *Agenda, loc *time.Location, exceptions []Exception) *Calendar {
	c := &Calendar{Agenda: a, Loc: loc, exceptions: map[string][]Exception{}, holidays: newHolidaySet(a.AlsaceMoselle)}
	for _, e := range exceptions {
		c.exceptions[e.Day] = append(c.exceptions[e.Day], e)
	}
	for _, h := range a.Hours {
		c.hours[h.Weekday] = append(c.hours[h.Weekday], h)
	}
	return c
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
// weekly hours unless a holiday, plus extra openings, minus whole-agenda
// closures; sorted and merged.
func (c *Calendar) Openings(d Day) []Hours {
	var out []Hours
	if c.HolidayName(d) == "" {
		out = append(out, c.hours[d.Weekday()]...)
	}
	exc := c.exceptions[d.String()]
	for _, e := range exc {
		if e.Kind == Open {
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
// as seen at now (minimum notice, window), given what is busy. Resources
// beyond the 64th are ignored.
func (c *Calendar) Slots(typ *Type, from, to Day, now time.Time, busy Busy) []Slot {
	a := c.Agenda
	nres := min(len(a.Resources), 64)
	if last := c.LastDay(now); last.Before(to) {
		to = last
	}
	earliest := now.Add(a.MinNotice).Unix()
	dur, step := int64(typ.Duration/time.Second), int64(a.Step/time.Second)
	foot := dur + int64(a.Buffer/time.Second)
	if step <= 0 || dur <= 0 {
		return nil
	}
	lists := make([][]Interval, nres)
	next := make([]int, nres)
	for i := range nres {
		lists[i] = busy[a.Resources[i].ID]
	}
	var out []Slot
	closed := make([][]Interval, nres)
	for d := from; !to.Before(d); d = d.AddDays(1) {
		open := c.Openings(d)
		if len(open) == 0 {
			continue
		}
		c.resourceClosures(d, closed)
		for _, o := range open {
			end := d.At(o.End, c.Loc).Unix()
			for t := d.At(o.Start, c.Loc).Unix(); t+dur <= end; t += step {
				if t < earliest {
					continue
				}
				var free uint64
				for i := range nres {
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
	}
	return out
}

// resourceClosures fills closed[i] with the closures of resource i on d.
func (c *Calendar) resourceClosures(d Day, closed [][]Interval) {
	for i := range closed {
		closed[i] = closed[i][:0]
	}
	for _, e := range c.exceptions[d.String()] {
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
func (s Slot) FreeCount() int { return len(s.FreeResources()) }
