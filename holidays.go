package guichet

import (
	"slices"
	"strings"
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
	slices.SortFunc(h, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return h
}

// HolidayName returns the name of the public holiday falling on day's
// calendar date, or "" on an ordinary day.
func HolidayName(day time.Time, alsaceMoselle bool) string {
	for _, h := range Holidays(day.Year(), alsaceMoselle) {
		if h.Date.Month() == day.Month() && h.Date.Day() == day.Day() {
			return h.Name
		}
	}
	return ""
}

// WorkingDay reports whether day is neither a weekend nor a public
// holiday.
func WorkingDay(day time.Time, alsaceMoselle bool) bool {
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday && HolidayName(day, alsaceMoselle) == ""
}

// AlsaceMoselle reports whether an INSEE code is in the Bas-Rhin,
// Haut-Rhin or Moselle, which keep two more public holidays.
func AlsaceMoselle(insee string) bool {
	return strings.HasPrefix(insee, "57") || strings.HasPrefix(insee, "67") || strings.HasPrefix(insee, "68")
}
