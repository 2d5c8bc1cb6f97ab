package appointment

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testAgenda is open Monday to Friday 09:00–12:00 and 13:30–17:00 and on
// Saturday morning, with 20-minute steps, bookable 60 days ahead from 08:00.
func testAgenda(resources int) *Agenda {
	a := &Agenda{ID: "ag", Step: 20 * time.Minute, WindowDays: 60, ReleaseMinute: 8 * 60}
	for i := range resources {
		a.Resources = append(a.Resources, Resource{ID: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("Guichet %d", i+1)})
	}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		a.Hours = append(a.Hours, Hours{wd, 9 * 60, 12 * 60}, Hours{wd, 13*60 + 30, 17 * 60})
	}
	a.Hours = append(a.Hours, Hours{time.Saturday, 9 * 60, 12 * 60})
	return a
}

var (
	single = &Type{ID: "t1", Duration: 20 * time.Minute}
	family = &Type{ID: "t4", Duration: 40 * time.Minute, People: 4}
)

func at(day string, hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func busyAt(resource string, ranges ...[2]time.Time) Busy {
	b := Busy{}
	for _, r := range ranges {
		b[resource] = append(b[resource], Interval{r[0].Unix(), r[1].Unix()})
	}
	return b
}

// slotCase is one row of TestSlotCases.
type slotCase struct {
	name   string
	agenda func(a *Agenda)
	exc    []Exception
	typ    *Type
	day    string
	now    time.Time
	busy   Busy
	// resources is the number of resources (one when 0); station, when
	// set, gives the last of them these weekly hours of its own.
	resources int
	station   []Hours
	// want lists the local start times; wantUTC, when set, the UTC ones;
	// free, when set, the indices of the free resources at each.
	want    []string
	wantUTC []string
	free    []string
}

func TestSlotCases(t *testing.T) {
	t.Parallel()
	morning := []string{"09:00", "09:20", "09:40", "10:00", "10:20", "10:40", "11:00", "11:20", "11:40"}
	afternoon := []string{"13:30", "13:50", "14:10", "14:30", "14:50", "15:10", "15:30", "15:50", "16:10", "16:30"}
	weekday := append(slices.Clone(morning), afternoon...)
	early := at("2026-01-05", "10:00") // far from every day tested, inside the window
	cases := []slotCase{
		{name: "ordinary Tuesday", typ: single, day: "2026-02-10", now: early, want: weekday},
		{name: "Saturday morning only", typ: single, day: "2026-02-14", now: early, want: morning},
		{name: "Sunday closed", typ: single, day: "2026-02-15", now: early, want: nil},
		{name: "DST in March: the hour from 02:00 does not exist", typ: single, day: "2026-03-29",
			now:  at("2026-03-01", "10:00"),
			exc:  []Exception{{Day: "2026-03-29", Start: 60, End: 240, Kind: Open, Reason: "permanence de nuit"}},
			want: []string{"01:00", "01:20", "01:40", "03:00", "03:20", "03:40"},
			wantUTC: []string{"2026-03-29T00:00:00Z", "2026-03-29T00:20:00Z", "2026-03-29T00:40:00Z",
				"2026-03-29T01:00:00Z", "2026-03-29T01:20:00Z", "2026-03-29T01:40:00Z"}},
		{name: "DST in March: the next Monday opens at 09:00 summer time", typ: single, day: "2026-03-30",
			now: at("2026-03-01", "10:00"), want: weekday,
			wantUTC: append([]string{"2026-03-30T07:00:00Z", "2026-03-30T07:20:00Z"}, make([]string, 17)...)},
		{name: "DST in October: the hour from 02:00 happens twice", typ: single, day: "2026-10-25",
			now: at("2026-10-01", "10:00"),
			exc: []Exception{{Day: "2026-10-25", Start: 60, End: 240, Kind: Open}},
			want: []string{"01:00", "01:20", "01:40", "02:00", "02:20", "02:40", "02:00", "02:20", "02:40",
				"03:00", "03:20", "03:40"},
			wantUTC: []string{"2026-10-24T23:00:00Z", "2026-10-24T23:20:00Z", "2026-10-24T23:40:00Z",
				"2026-10-25T00:00:00Z", "2026-10-25T00:20:00Z", "2026-10-25T00:40:00Z", "2026-10-25T01:00:00Z",
				"2026-10-25T01:20:00Z", "2026-10-25T01:40:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:20:00Z",
				"2026-10-25T02:40:00Z"}},
		{name: "DST in October: the Monday after opens at 09:00 winter time", typ: single, day: "2026-10-26",
			now: at("2026-10-01", "10:00"), want: weekday,
			wantUTC: append([]string{"2026-10-26T08:00:00Z"}, make([]string, 18)...)},
		{name: "Ascension Thursday is a holiday", typ: single, day: "2026-05-14", now: at("2026-05-01", "10:00"), want: nil},
		{name: "Easter Monday is a holiday", typ: single, day: "2026-04-06", now: at("2026-03-20", "10:00"), want: nil},
		{name: "an extra opening on a holiday", typ: single, day: "2026-05-14", now: at("2026-05-01", "10:00"),
			exc:  []Exception{{Day: "2026-05-14", Start: 9 * 60, End: 10 * 60, Kind: Open}},
			want: []string{"09:00", "09:20", "09:40"}},
		{name: "Good Friday is open, except in Alsace-Moselle", typ: single, day: "2026-04-03",
			now: at("2026-03-20", "10:00"), want: weekday},
		{name: "Good Friday in Alsace-Moselle", typ: single, day: "2026-04-03", now: at("2026-03-20", "10:00"),
			agenda: func(a *Agenda) { a.AlsaceMoselle = true }, want: nil},
		{name: "closure of the whole agenda", typ: single, day: "2026-02-10", now: early,
			exc: []Exception{{Day: "2026-02-10", Start: 0, End: 1440, Kind: Closed, Reason: "Formation"}}, want: nil},
		{name: "closure of an afternoon", typ: single, day: "2026-02-10", now: early,
			exc:  []Exception{{Day: "2026-02-10", Start: 12 * 60, End: 24 * 60, Kind: Closed}},
			want: morning},
		{name: "a resource blocked from 10:00 to 11:00", typ: single, day: "2026-02-10", now: early,
			exc: []Exception{{Day: "2026-02-10", ResourceID: "r0", Start: 10 * 60, End: 11 * 60, Kind: Closed}},
			want: []string{"09:00", "09:20", "09:40", "11:00", "11:20", "11:40", "13:30", "13:50", "14:10",
				"14:30", "14:50", "15:10", "15:30", "15:50", "16:10", "16:30"}},
		{name: "minimum notice of two hours", typ: single, day: "2026-02-10", now: at("2026-02-10", "09:10"),
			agenda: func(a *Agenda) { a.MinNotice = 2 * time.Hour },
			want:   append([]string{"11:20", "11:40"}, afternoon...)},
		{name: "window edge, one minute before the release", typ: single, day: "2026-04-11",
			now: at("2026-02-10", "07:59"), want: nil},
		{name: "window edge, at the release", typ: single, day: "2026-04-11", now: at("2026-02-10", "08:00"),
			want: morning},
		{name: "window edge, the day before is open", typ: single, day: "2026-04-10", now: at("2026-02-10", "07:59"),
			want: weekday},
		{name: "buffer of 10 minutes around a booking", typ: single, day: "2026-02-10", now: early,
			agenda: func(a *Agenda) { a.Step, a.Buffer = 10*time.Minute, 10*time.Minute },
			// Booked 10:00–10:20, busy until 10:30 with its buffer.
			busy: busyAt("r0", [2]time.Time{at("2026-02-10", "10:00"), at("2026-02-10", "10:30")}),
			want: []string{"09:00", "09:10", "09:20", "09:30", "10:30", "10:40", "10:50", "11:00", "11:10",
				"11:20", "11:30", "11:40", "13:30", "13:40", "13:50", "14:00", "14:10", "14:20", "14:30", "14:40",
				"14:50", "15:00", "15:10", "15:20", "15:30", "15:40", "15:50", "16:00", "16:10", "16:20", "16:30", "16:40"}},
		{name: "family of four spans two steps", typ: family, day: "2026-02-10", now: early,
			busy: busyAt("r0", [2]time.Time{at("2026-02-10", "10:00"), at("2026-02-10", "10:20")}),
			want: []string{"09:00", "09:20", "10:20", "10:40", "11:00", "11:20", "13:30", "13:50", "14:10",
				"14:30", "14:50", "15:10", "15:30", "15:50", "16:10"}},
		{name: "one person fits where a family does not", typ: single, day: "2026-02-10", now: early,
			busy: busyAt("r0", [2]time.Time{at("2026-02-10", "10:00"), at("2026-02-10", "10:20")}),
			want: slices.DeleteFunc(slices.Clone(weekday), func(s string) bool { return s == "10:00" })},
	}
	cases = append(cases, resourceHoursCases(weekday, morning, afternoon, early)...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := testAgenda(max(tc.resources, 1))
			if tc.station != nil {
				a.Resources[len(a.Resources)-1].Hours = tc.station
			}
			if tc.agenda != nil {
				tc.agenda(a)
			}
			for i := range tc.exc {
				tc.exc[i].AgendaID = a.ID
			}
			c := NewCalendar(a, paris, tc.exc)
			day, _ := ParseDay(tc.day)
			slots := c.Slots(tc.typ, day, day, tc.now.UTC(), tc.busy)
			var local, utc, free []string
			for _, s := range slots {
				local = append(local, s.Start.In(paris).Format("15:04"))
				utc = append(utc, s.Start.Format(time.RFC3339))
				free = append(free, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(s.FreeResources())), ","), "[]"))
			}
			if !slices.Equal(local, tc.want) {
				t.Errorf("slots %v\nwant  %v", local, tc.want)
			}
			if tc.free != nil && !slices.Equal(free, tc.free) {
				t.Errorf("free resources %v\nwant           %v", free, tc.free)
			}
			for i, w := range tc.wantUTC {
				if w != "" && (i >= len(utc) || utc[i] != w) {
					t.Errorf("UTC slots %s\nwant %s", strings.Join(utc, " "), strings.Join(tc.wantUTC, " "))
					break
				}
			}
		})
	}
}

// times repeats "0,1"-like lists of free resources n times.
func times(n int, free string) []string { return slices.Repeat([]string{free}, n) }

// join concatenates lists of times.
func join(lists ...[]string) []string { return slices.Concat(lists...) }

// resourceHoursCases are agendas of two counters following the agenda's
// hours and, last, a fingerprint station (resource 2) with hours of its own.
func resourceHoursCases(weekday, morning, afternoon []string, early time.Time) []slotCase {
	tuesdayMornings := []Hours{{time.Tuesday, 9 * 60, 12 * 60}}
	nights := []Hours{{time.Sunday, 60, 240}}
	return []slotCase{
		{name: "station open on Tuesday mornings: a Tuesday", typ: single, day: "2026-02-10", now: early,
			resources: 3, station: tuesdayMornings,
			want: weekday, free: join(times(len(morning), "0,1,2"), times(len(afternoon), "0,1"))},
		{name: "station open on Tuesday mornings: a Wednesday", typ: single, day: "2026-02-11", now: early,
			resources: 3, station: tuesdayMornings, want: weekday, free: times(len(weekday), "0,1")},
		{name: "station open on Tuesday mornings: booked at 09:00", typ: single, day: "2026-02-10", now: early,
			resources: 3, station: tuesdayMornings,
			busy: busyAt("r2", [2]time.Time{at("2026-02-10", "09:00"), at("2026-02-10", "09:40")}),
			want: weekday, free: join(times(2, "0,1"), times(len(morning)-2, "0,1,2"), times(len(afternoon), "0,1"))},
		{name: "station open on Saturday afternoon while the agenda is closed", typ: single, day: "2026-02-14", now: early,
			resources: 3, station: []Hours{{time.Saturday, 14 * 60, 15 * 60}},
			want: append(slices.Clone(morning), "14:00", "14:20", "14:40"),
			free: join(times(len(morning), "0,1"), times(3, "2"))},
		{name: "station's hours off the agenda's step grid", typ: single, day: "2026-02-10", now: early,
			resources: 3, station: []Hours{{time.Tuesday, 9*60 + 10, 10*60 + 10}},
			want: join([]string{"09:00", "09:10", "09:20", "09:30", "09:40", "09:50", "10:00"}, morning[4:], afternoon),
			free: join([]string{"0,1", "2", "0,1", "2", "0,1", "2"}, times(len(weekday)-3, "0,1"))},
		{name: "the station with hours of its own is closed on a holiday", typ: single, day: "2026-05-14",
			now: at("2026-05-01", "10:00"), resources: 3, station: []Hours{{time.Thursday, 9 * 60, 12 * 60}}, want: nil},
		{name: "a closure of the agenda closes the station too", typ: single, day: "2026-02-10", now: early,
			resources: 3, station: tuesdayMornings,
			exc:  []Exception{{Day: "2026-02-10", Start: 9 * 60, End: 10 * 60, Kind: Closed}},
			want: weekday[3:], free: join(times(len(morning)-3, "0,1,2"), times(len(afternoon), "0,1"))},
		{name: "a block of the station leaves the counters open", typ: single, day: "2026-02-10", now: early,
			resources: 3, station: tuesdayMornings,
			exc:  []Exception{{Day: "2026-02-10", ResourceID: "r2", Start: 10 * 60, End: 11 * 60, Kind: Closed}},
			want: weekday,
			free: join(times(3, "0,1,2"), times(3, "0,1"), times(3, "0,1,2"), times(len(afternoon), "0,1"))},
		{name: "an extra opening of the agenda opens the station too", typ: single, day: "2026-02-11", now: early,
			resources: 3, station: tuesdayMornings,
			exc:  []Exception{{Day: "2026-02-11", Start: 18 * 60, End: 19 * 60, Kind: Open}},
			want: append(slices.Clone(weekday), "18:00", "18:20", "18:40"),
			free: join(times(len(weekday), "0,1"), times(3, "0,1,2"))},
		{name: "an extra opening of the station opens it alone", typ: single, day: "2026-02-11", now: early,
			resources: 3, station: tuesdayMornings,
			exc:  []Exception{{Day: "2026-02-11", ResourceID: "r2", Start: 8 * 60, End: 9 * 60, Kind: Open}},
			want: append([]string{"08:00", "08:20", "08:40"}, weekday...),
			free: join(times(3, "2"), times(len(weekday), "0,1"))},
		{name: "an extra opening of a counter opens it alone", typ: single, day: "2026-02-10", now: early,
			resources: 3, station: tuesdayMornings,
			exc: []Exception{{Day: "2026-02-10", ResourceID: "r0", Start: 12 * 60, End: 13 * 60, Kind: Open}},
			// Counter 0's morning runs on to 13:00.
			want: join(morning, []string{"12:00", "12:20", "12:40"}, afternoon),
			free: join(times(len(morning), "0,1,2"), times(3, "0"), times(len(afternoon), "0,1"))},
		{name: "a single resource with hours of its own ignores the agenda's", typ: single, day: "2026-02-10", now: early,
			station: []Hours{{time.Tuesday, 14 * 60, 15 * 60}}, want: []string{"14:00", "14:20", "14:40"}},
		{name: "DST in March: the station's own night hours skip the hour from 02:00", typ: single, day: "2026-03-29",
			now: at("2026-03-01", "10:00"), resources: 3, station: nights,
			want: []string{"01:00", "01:20", "01:40", "03:00", "03:20", "03:40"}, free: times(6, "2"),
			wantUTC: []string{"2026-03-29T00:00:00Z", "2026-03-29T00:20:00Z", "2026-03-29T00:40:00Z",
				"2026-03-29T01:00:00Z", "2026-03-29T01:20:00Z", "2026-03-29T01:40:00Z"}},
		{name: "DST in October: the station's own night hours have the hour from 02:00 twice", typ: single,
			day: "2026-10-25", now: at("2026-10-01", "10:00"), resources: 3, station: nights,
			want: []string{"01:00", "01:20", "01:40", "02:00", "02:20", "02:40", "02:00", "02:20", "02:40",
				"03:00", "03:20", "03:40"}, free: times(12, "2"),
			wantUTC: []string{"2026-10-24T23:00:00Z", "", "", "2026-10-25T00:00:00Z", "", "", "2026-10-25T01:00:00Z",
				"", "", "2026-10-25T02:00:00Z"}},
		{name: "DST in March: the Monday after, the station opens at 07:00 summer time", typ: single, day: "2026-03-30",
			now: at("2026-03-01", "10:00"), resources: 3, station: []Hours{{time.Monday, 7 * 60, 8 * 60}},
			want: append([]string{"07:00", "07:20", "07:40"}, weekday...), free: join(times(3, "2"), times(len(weekday), "0,1")),
			wantUTC: []string{"2026-03-30T05:00:00Z", "2026-03-30T05:20:00Z", "2026-03-30T05:40:00Z", "2026-03-30T07:00:00Z"}},
	}
}

func TestSlotsManyResources(t *testing.T) {
	t.Parallel()
	a := testAgenda(3)
	c := NewCalendar(a, paris, nil)
	day, _ := ParseDay("2026-02-10")
	busy := busyAt("r1", [2]time.Time{at("2026-02-10", "09:00"), at("2026-02-10", "09:20")})
	busy["r0"] = []Interval{{at("2026-02-10", "09:00").Unix(), at("2026-02-10", "09:20").Unix()}}
	busy["r2"] = []Interval{{at("2026-02-10", "09:00").Unix(), at("2026-02-10", "09:40").Unix()}}
	slots := c.Slots(single, day, day, at("2026-01-05", "10:00"), busy)
	if got := slots[0].Start.In(paris).Format("15:04"); got != "09:20" {
		t.Fatalf("first slot %s, want 09:20 (all three resources busy at 09:00)", got)
	}
	if got := slots[0].FreeResources(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("free at 09:20: %v, want resources 0 and 1", got)
	}
	if got := slots[1].FreeCount(); got != 3 {
		t.Errorf("free at 09:40: %d, want 3", got)
	}
}

// BenchmarkSlots60Days computes 60 days of slots for 10 resources, a
// third of them already booked.
func BenchmarkSlots60Days(b *testing.B) { benchSlots60Days(b, testAgenda(10)) }

// benchSlots60Days computes 60 days of slots of a, a third of each
// resource's times already booked and one day closed.
func benchSlots60Days(b *testing.B, a *Agenda) {
	now := at("2026-02-09", "08:00")
	from := DayOf(now, paris)
	busy := Busy{}
	for i, r := range a.Resources {
		for d := 0; d < 61; d++ {
			day := from.AddDays(d)
			for k := i % 3; k < 18; k += 3 {
				s := day.At(9*60+20*k, paris).Unix()
				busy[r.ID] = append(busy[r.ID], Interval{s, s + 1200})
			}
		}
	}
	c := NewCalendar(a, paris, []Exception{{Day: from.AddDays(10).String(), Start: 0, End: 1440, Kind: Closed}})
	var n int
	b.ReportAllocs()
	for b.Loop() {
		n = len(c.Slots(single, from, from.AddDays(60), now, busy))
	}
	b.ReportMetric(float64(n), "slots")
}

func TestResourceOpenings(t *testing.T) {
	t.Parallel()
	a := testAgenda(3)
	// Overlapping ranges of one day are merged.
	a.Resources[2].Hours = []Hours{{time.Tuesday, 8 * 60, 10 * 60}, {time.Tuesday, 9 * 60, 9*60 + 30}}
	c := NewCalendar(a, paris, []Exception{{Day: "2026-02-10", ResourceID: "r1", Start: 12 * 60, End: 13*60 + 30, Kind: Open}})
	tuesday, wednesday := Day{2026, time.February, 10}, Day{2026, time.February, 11}
	agenda := []Hours{{Start: 9 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17 * 60}}
	for _, tc := range []struct {
		name string
		got  []Hours
		want []Hours
	}{
		{"counter following the agenda", c.ResourceOpenings(tuesday, 0), agenda},
		{"counter with an extra opening over lunch", c.ResourceOpenings(tuesday, 1), []Hours{{Start: 9 * 60, End: 17 * 60}}},
		{"station on its day", c.ResourceOpenings(tuesday, 2), []Hours{{Start: 8 * 60, End: 10 * 60}}},
		{"station on another day", c.ResourceOpenings(wednesday, 2), nil},
		{"the agenda: any resource open", c.Openings(tuesday), []Hours{{Start: 8 * 60, End: 17 * 60}}},
		{"the agenda on another day", c.Openings(wednesday), agenda},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// BenchmarkSlots60DaysResourceHours is BenchmarkSlots60Days with three of
// the ten resources on hours of their own, one of them off the step grid.
func BenchmarkSlots60DaysResourceHours(b *testing.B) {
	a := testAgenda(10)
	mornings := []Hours{{time.Tuesday, 9 * 60, 12 * 60}, {time.Thursday, 9 * 60, 12 * 60}}
	a.Resources[7].Hours, a.Resources[8].Hours = mornings, mornings
	a.Resources[9].Hours = []Hours{{time.Wednesday, 8*60 + 10, 18 * 60}, {time.Saturday, 14 * 60, 17 * 60}}
	benchSlots60Days(b, a)
}
