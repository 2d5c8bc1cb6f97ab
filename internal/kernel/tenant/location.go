package tenant

import (
	"sync"
	"time"
)

// zones holds every time zone loaded, by name: loading one reads and
// parses a file, and a zone's rules do not change while the process runs,
// so nothing ever needs to drop one.
var zones sync.Map // name → *time.Location

// LoadLocation returns the time zone named name, Europe/Paris if it cannot
// load, reading it once per process.
func LoadLocation(name string) *time.Location {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc, _ = time.LoadLocation(defaultTimeZone)
	}
	zones.Store(name, loc)
	return loc
}
