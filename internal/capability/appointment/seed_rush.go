package appointment

import (
	"context"
	"fmt"
	"strings"
	"time"

	"guichet"
)

// RushOptions sizes the agenda of a booking rush ("guichet seed
// appointments --rush-places").
type RushOptions struct {
	Places   int // bookable places in all: stations × times
	Stations int
}

// Validate checks the sizes: whole times per station, from 09:00 to 21:00
// at the latest, and no more places than an agenda lets guests book a day.
func (o RushOptions) Validate() error {
	f := map[string]string{}
	if o.Stations < 1 || o.Stations > 64 {
		f["stations"] = "between 1 and 64 stations"
	}
	if o.Places < 1 || o.Places > maxGuestsPerDay {
		f["places"] = fmt.Sprintf("between 1 and %d places", maxGuestsPerDay)
	} else if o.Stations >= 1 && (o.Places%o.Stations != 0 || o.Places/o.Stations > rushTimes) {
		f["places"] = fmt.Sprintf("a multiple of the stations, at most %d times each", rushTimes)
	}
	if len(f) > 0 {
		return guichet.Invalid(f)
	}
	return nil
}

// rushTimes is the most times of a station on a rush's day: 09:00 to 21:00.
const rushTimes = 36

// Rush is what SeedRush created.
type Rush struct {
	Agenda *Agenda
	Type   *Type
	Day    Day
}

// SeedRush creates an active agenda of o.Stations stations without
// weekly hours and opens one day, ten days ahead, with o.Places/o.Stations
// passport times of 20 minutes from 09:00: exactly o.Places bookings fit,
// guests' included (the agenda lets guests book them all). A booking
// rush books it (scripts/rush); its slug tells one run from another.
func (s *Store) SeedRush(ctx context.Context, tenantID string, loc *time.Location, o RushOptions) (*Rush, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	now := s.Now()
	a := &Agenda{TenantID: tenantID, Slug: "ruee-" + strings.ToLower(newReference(now)[9:]), ServiceKey: "etat-civil",
		Service: "État civil", Name: "Passeports, ouverture des créneaux", Place: "Hôtel de ville",
		Step: 20 * time.Minute, WindowDays: 30, Hold: time.Hour, GuestsPerDay: o.Places, Active: true,
		Types: []Type{{Slug: "passeport", Name: "Passeport", Duration: 20 * time.Minute, ANTS: true, OnePerPerson: true}}}
	for k := range o.Stations {
		a.Resources = append(a.Resources, Resource{Name: fmt.Sprintf("Station biométrique %d", k+1), Kind: "fingerprint", Position: k})
	}
	if err := s.CreateAgenda(ctx, a); err != nil {
		return nil, err
	}
	full, err := s.Agenda(ctx, tenantID, a.ID)
	if err != nil {
		return nil, err
	}
	day := DayOf(now, loc).AddDays(10)
	times := o.Places / o.Stations
	if err := s.AddException(ctx, tenantID, &Exception{AgendaID: a.ID, Day: day.String(), Start: 9 * 60,
		End: 9*60 + 20*times, Kind: Open, Reason: "ouverture des créneaux"}); err != nil {
		return nil, err
	}
	return &Rush{Agenda: full, Type: full.Type("passeport"), Day: day}, nil
}
