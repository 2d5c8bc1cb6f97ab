package guichet

import (
	"fmt"
	"time"
)

var (
	frenchDays   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
)

// Date writes a calendar date for readers of lang: "26 novembre 2026",
// or "26 November 2026" in English. French is the default; the first of
// the month is written "1er" in French.
func Date(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + frenchMonths[t.Month()-1] + " " + fmt.Sprint(t.Year())
}

// LongDate adds the weekday: "jeudi 26 novembre 2026", "Thursday 26
// November 2026".
func LongDate(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("Monday 2 January 2006")
	}
	return frenchDays[t.Weekday()] + " " + Date(t, lang)
}
