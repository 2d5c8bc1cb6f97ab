package open311_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports/open311"
)

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2010-01-01T00:00:00Z", time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"1994-11-05T08:15:30-05:00", time.Date(1994, 11, 5, 13, 15, 30, 0, time.UTC)},
		{"2026-03-29T03:30:00+02:00", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"2026-03-01T09:30:00.25+01:00", time.Date(2026, 3, 1, 8, 30, 0, 250e6, time.UTC)},
		{"2026-03-01T09:30+01:00", time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)},
		{"2026-03-01T09:30:00 01:00", time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)}, // "+" read as a space
		{"2026-07-14", time.Date(2026, 7, 13, 22, 0, 0, 0, time.UTC)},               // midnight in Paris
		{"2026-07", time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC)},
		{"2026", time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := open311.ParseTime(c.in, paris)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "hier", "2026-03-01T09:30:00", "2026-03-01 09:30:00Z", "2026-3-1", "2026-13-01", "01/03/2026", "2026-03-01T25:00:00Z"} {
		if got, err := open311.ParseTime(bad, paris); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
		}
	}
	if got := open311.FormatTime(time.Date(2026, 7, 14, 8, 0, 0, 999e6, time.UTC), paris); got != "2026-07-14T10:00:00+02:00" {
		t.Errorf("FormatTime in summer: %s", got)
	}
	if got := open311.FormatTime(time.Date(2026, 1, 5, 8, 0, 0, 0, paris), nil); got != "2026-01-05T07:00:00Z" {
		t.Errorf("FormatTime in UTC: %s", got)
	}
}

func TestParseQuery(t *testing.T) {
	day := 24 * time.Hour
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		args string
		want open311.Query
	}{
		{"", open311.Query{Start: now.Add(-90 * day), End: now, Limit: 1000}},
		{"jurisdiction_id=ville.example&status=", open311.Query{Start: now.Add(-90 * day), End: now, Limit: 1000}},
		{"start_date=2026-02-01T00:00:00Z", open311.Query{Start: start, End: start.Add(90 * day), Limit: 1000}},
		{"end_date=2026-02-01T00:00:00Z", open311.Query{Start: start.Add(-90 * day), End: start, Limit: 1000}},
		{"start_date=2026-02-01T00:00:00Z&end_date=2026-05-02T00:00:00Z", open311.Query{Start: start, End: start.Add(90 * day), Limit: 1000}},
		{"status=closed,open,closed&service_code=a,+b,,c", open311.Query{ServiceCodes: []string{"a", "b", "c"},
			Statuses: []open311.Status{open311.Closed, open311.Open}, Start: now.Add(-90 * day), End: now, Limit: 1000}},
		{"service_request_id=1,2&status=nope&start_date=hier", open311.Query{IDs: []string{"1", "2"}, Limit: 1000}},
	}
	for _, c := range cases {
		args, _ := url.ParseQuery(c.args)
		got, err := open311.ParseQuery(args, now, paris)
		if err != nil || !sameQuery(got, c.want) {
			t.Errorf("ParseQuery(%s) = %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}
	for args, field := range map[string]string{
		"status=pending":                            "status",
		"start_date=hier":                           "start_date",
		"end_date=2026-02-30":                       "end_date",
		"start_date=2026-01-01&end_date=2026-04-02": "end_date",
		"start_date=2026-02-02&end_date=2026-02-01": "end_date",
	} {
		values, _ := url.ParseQuery(args)
		_, err := open311.ParseQuery(values, now, paris)
		if guichet.ErrorCode(err) != guichet.EInvalid || guichet.FieldErrors(err)[field] == "" {
			t.Errorf("ParseQuery(%s): %v, want %s refused", args, err, field)
		}
	}
}

func sameQuery(a, b open311.Query) bool {
	return slices.Equal(a.IDs, b.IDs) && slices.Equal(a.ServiceCodes, b.ServiceCodes) && slices.Equal(a.Statuses, b.Statuses) &&
		a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.Limit == b.Limit
}

func TestQueryMatches(t *testing.T) {
	r := open311.Request{ID: "7", ServiceCode: "a", Status: open311.Open, Requested: now}
	cases := []struct {
		q    open311.Query
		want bool
	}{
		{open311.Query{Start: now, End: now}, true}, // both bounds included
		{open311.Query{Start: now.Add(time.Second), End: now.Add(time.Hour)}, false},
		{open311.Query{ServiceCodes: []string{"b"}, Start: now, End: now}, false},
		{open311.Query{Statuses: []open311.Status{open311.Closed}, Start: now, End: now}, false},
		{open311.Query{IDs: []string{"7"}}, true},
		{open311.Query{IDs: []string{"8"}, Start: now, End: now}, false},
	}
	for _, c := range cases {
		if got := c.q.Matches(r); got != c.want {
			t.Errorf("%+v.Matches = %v", c.q, got)
		}
	}
}
