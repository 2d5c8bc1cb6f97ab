package open311

import (
	"errors"
	"time"
)

// FormatTime writes t in the W3C profile of ISO 8601, to the second, with
// its offset ("Z" in UTC).
func FormatTime(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Truncate(time.Second).Format(time.RFC3339)
}

// w3cLayouts are the W3C profile's forms with a time; time.RFC3339 also
// reads fractions of a second.
var w3cLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00"}

// dateLayouts are its forms without a time, read at midnight in the zone.
var dateLayouts = []string{"2006-01-02", "2006-01", "2006"}

var errDatetime = errors.New("not a W3C datetime")

// ParseTime reads a W3C datetime. A form with a time must carry its zone;
// a date alone is midnight in zone. An offset's "+" that a query string
// turned into a space is read as a "+".
func ParseTime(s string, zone *time.Location) (time.Time, error) {
	if zone == nil {
		zone = time.UTC
	}
	if n := len(s); n > 16 && s[n-6] == ' ' {
		s = s[:n-6] + "+" + s[n-5:]
	}
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, zone); err == nil && len(s) == len(l) {
			return t, nil
		}
	}
	return time.Time{}, errDatetime
}
