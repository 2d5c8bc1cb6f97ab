package appointment

import (
	"sync"
	"time"
)

// Easter returns Easter Sunday of year in the Gregorian calendar (the
// anonymous algorithm published by Meeus, after Jones and Butcher).
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Holiday is one French public holiday.
type Holiday struct {
	Date time.Time // midnight UTC of the day
	Name string
}

// Holidays returns the French public holidays of year (Code du travail,
// L3133-1), with Good Friday and Saint Stephen's Day when alsaceMoselle is
// set (L3134-13), in date order.
func Holidays(year int, alsaceMoselle bool) []Holiday {
	easter := Easter(year)
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	h := []Holiday{
		{day(time.January, 1), "Jour de l'an"},
		{easter.AddDate(0, 0, 1), "Lundi de Pâques"},
		{day(time.May, 1), "Fête du Travail"},
		{day(time.May, 8), "Victoire 1945"},
		{easter.AddDate(0, 0, 39), "Ascension"},
		{easter.AddDate(0, 0, 50), "Lundi de Pentecôte"},
		{day(time.July, 14), "Fête nationale"},
		{day(time.August, 15), "Assomption"},
		{day(time.November, 1), "Toussaint"},
		{day(time.November, 11), "Armistice 1918"},
		{day(time.December, 25), "Noël"},
	}
	if alsaceMoselle {
		h = append(h, Holiday{easter.AddDate(0, 0, -2), "Vendredi saint"}, Holiday{day(time.December, 26), "Saint-Étienne"})
	}
	sortHolidays(h)
	return h
}

func sortHolidays(h []Holiday) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].Date.Before(h[j-1].Date); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

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
		for _, h := range Holidays(y, s.alsace) {
			list[int(h.Date.Month())*32+h.Date.Day()] = h.Name
		}
		days, _ = holidayYears.LoadOrStore(key, list)
	}
	s.year, s.days = y, days.(map[int]string)
	return s.days[int(m)*32+d]
}
