package open311

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"guichet"
)

// The specification's bounds of a GET requests answer.
const (
	MaxSpan  = 90 * 24 * time.Hour // the longest start_date–end_date window, and the default one
	MaxCount = 1000                // the most requests answered
)

// maxCodes bounds the service codes one query may name.
const maxCodes = 100

// ParseQuery reads the arguments of GET requests at instant now; date-only
// values are read in zone. Its error is a guichet.Invalid naming the
// arguments refused.
func ParseQuery(args url.Values, now time.Time, zone *time.Location) (Query, error) {
	q := Query{Limit: MaxCount}
	bad := map[string]string{}
	if ids := commaList(args.Get("service_request_id")); len(ids) > 0 {
		if len(ids) > MaxCount {
			bad["service_request_id"] = "Au plus 1000 identifiants par demande."
			return Query{}, guichet.Invalid(bad)
		}
		q.IDs = ids
		return q, nil
	}
	q.ServiceCodes = commaList(args.Get("service_code"))
	if len(q.ServiceCodes) > maxCodes {
		bad["service_code"] = "Au plus 100 codes de service par demande."
	}
	for _, s := range commaList(args.Get("status")) {
		switch Status(s) {
		case Open, Closed:
			if !slices.Contains(q.Statuses, Status(s)) {
				q.Statuses = append(q.Statuses, Status(s))
			}
		default:
			bad["status"] = "Les statuts possibles sont «\u00a0open\u00a0» et «\u00a0closed\u00a0»."
		}
	}
	start := parseBound(args, "start_date", zone, bad)
	end := parseBound(args, "end_date", zone, bad)
	if len(bad) > 0 {
		return Query{}, guichet.Invalid(bad)
	}
	switch {
	case start.IsZero() && end.IsZero():
		start, end = now.Add(-MaxSpan), now
	case end.IsZero():
		end = start.Add(MaxSpan)
	case start.IsZero():
		start = end.Add(-MaxSpan)
	case end.Before(start):
		bad["end_date"] = "La date de fin précède la date de début."
	case end.Sub(start) > MaxSpan:
		bad["end_date"] = "L'intervalle ne peut dépasser 90 jours."
	}
	if len(bad) > 0 {
		return Query{}, guichet.Invalid(bad)
	}
	q.Start, q.End = start, end
	return q, nil
}

func parseBound(args url.Values, name string, zone *time.Location, bad map[string]string) time.Time {
	s := strings.TrimSpace(args.Get(name))
	if s == "" {
		return time.Time{}
	}
	t, err := ParseTime(s, zone)
	if err != nil {
		bad[name] = "Date attendue au format W3C, par exemple 2026-03-01T00:00:00Z."
	}
	return t
}

// commaList splits a comma separated argument, dropping empty items.
func commaList(s string) []string {
	var list []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	return list
}
