package appointment

import (
	"sync"
	"time"

	"guichet"
)

// holidaySet answers "is this local day a holiday?" for one regime
// (Alsace-Moselle or not), from each year's list computed once per process.
type holidaySet struct {
	alsace bool
	// year and days keep the last year asked: a calendar asks about
	// consecutive days, and the shared cache costs an allocation a look-up.
	year int
	days map[int]string
}

func newHolidaySet(alsace bool) *holidaySet { return &holidaySet{alsace: alsace} }

type holidayYear struct {
	year   int
	alsace bool
}

// holidayYears caches each year's holidays by month*32+day; the maps are
// never changed once stored.
var holidayYears sync.Map // holidayYear → map[int]string

// name returns the holiday's name on the day (y, m, d), or "".
func (s *holidaySet) name(y int, m time.Month, d int) string {
	if s.days != nil && s.year == y {
		return s.days[int(m)*32+d]
	}
	key := holidayYear{y, s.alsace}
	days, ok := holidayYears.Load(key)
	if !ok {
		list := map[int]string{}
		for _, h := range guichet.Holidays(y, s.alsace) {
			list[int(h.Date.Month())*32+h.Date.Day()] = h.Name
		}
		days, _ = holidayYears.LoadOrStore(key, list)
	}
	s.year, s.days = y, days.(map[int]string)
	return s.days[int(m)*32+d]
}
