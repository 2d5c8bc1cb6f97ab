package open311test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// w3c is the W3C datetime profile with seconds and a zone.
var w3c = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// instant reads a W3C datetime with its zone.
func instant(s Text) (time.Time, error) {
	if !w3c.MatchString(string(s)) {
		return time.Time{}, fmt.Errorf("%q is not a W3C datetime with seconds and zone", s)
	}
	return time.Parse(time.RFC3339, string(s))
}

// expect reports whether the exchange happened with status want.
func expect(t *testing.T, a *Answer, err error, want int) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	if a.Status != want {
		t.Errorf("%s %s: status %d, want %d; body %.400s", a.Method, a.Path, a.Status, want, a.Body)
		return false
	}
	cors := a.Header.Get("Access-Control-Allow-Origin")
	if a.Method == "GET" && cors != "*" {
		t.Errorf("%s %s: Access-Control-Allow-Origin %q, want *", a.Method, a.Path, cors)
	}
	if a.Method == "POST" && cors != "" {
		t.Errorf("%s %s: a POST answer carries Access-Control-Allow-Origin %q", a.Method, a.Path, cors)
	}
	return true
}

// refused checks an error answer: its status, its list (in the format
// asked for, which Do decoded), each entry's code and description, and
// that one description mentions mention when it is not "".
func refused(t *testing.T, a *Answer, err error, status int, mention string) {
	t.Helper()
	if !expect(t, a, err, status) {
		return
	}
	if len(a.Errors) == 0 {
		t.Errorf("%s %s: an empty error list", a.Method, a.Path)
	}
	found := mention == ""
	for _, e := range a.Errors {
		if string(e.Code) != strconv.Itoa(status) {
			t.Errorf("%s %s: error code %q, want %d", a.Method, a.Path, e.Code, status)
		}
		if strings.TrimSpace(string(e.Description)) == "" {
			t.Errorf("%s %s: an error without description", a.Method, a.Path)
		}
		found = found || strings.Contains(string(e.Description), mention)
	}
	if !found {
		t.Errorf("%s %s: no error mentions %q: %+v", a.Method, a.Path, mention, a.Errors)
	}
}

// hasKeys checks that every record names every key.
func hasKeys(t *testing.T, a *Answer, inner string, keys ...string) {
	t.Helper()
	records, err := RecordKeys(a.Format, a.Body, inner)
	if err != nil {
		t.Errorf("%s %s: %v", a.Method, a.Path, err)
		return
	}
	for i, got := range records {
		for _, k := range keys {
			if !slices.Contains(got, k) {
				t.Errorf("%s %s: record %d has no %s (it has %v)", a.Method, a.Path, i, k, got)
			}
		}
	}
}

// requestKeys are the fields the specification does not say "may not be
// returned".
var requestKeys = []string{"service_request_id", "status", "service_name", "service_code", "description",
	"requested_datetime", "updated_datetime", "address", "address_id", "zipcode", "media_url"}

// checkRequests checks each request of a list answer.
func checkRequests(t *testing.T, a *Answer, list []Request) {
	t.Helper()
	hasKeys(t, a, "", requestKeys...)
	records, _ := RecordKeys(a.Format, a.Body, "")
	for i, r := range list {
		where := fmt.Sprintf("%s %s: request %q", a.Method, a.Path, r.ID)
		if r.ID == "" || r.ServiceCode == "" || r.ServiceName == "" {
			t.Errorf("%s: an empty id, service_code or service_name: %+v", where, r)
		}
		if r.Status != "open" && r.Status != "closed" {
			t.Errorf("%s: status %q", where, r.Status)
		}
		requested, err := instant(r.Requested)
		if err != nil {
			t.Errorf("%s: requested_datetime: %v", where, err)
		}
		updated, err := instant(r.Updated)
		if err != nil {
			t.Errorf("%s: updated_datetime: %v", where, err)
		} else if updated.Before(requested) {
			t.Errorf("%s: updated %s before requested %s", where, r.Updated, r.Requested)
		}
		if _, err := instant(r.Expected); r.Expected != "" && err != nil {
			t.Errorf("%s: expected_datetime: %v", where, err)
		}
		if r.Lat.Set != r.Long.Set || r.Lat.Value < -90 || r.Lat.Value > 90 || r.Long.Value < -180 || r.Long.Value > 180 {
			t.Errorf("%s: lat %+v, long %+v", where, r.Lat, r.Long)
		}
		if i < len(records) && slices.Contains(records[i], "lat") != slices.Contains(records[i], "long") {
			t.Errorf("%s: lat and long not both given: %v", where, records[i])
		}
		if u, err := url.Parse(string(r.MediaURL)); r.MediaURL != "" && (err != nil || !u.IsAbs()) {
			t.Errorf("%s: media_url %q is not an absolute URL", where, r.MediaURL)
		}
	}
}

// ids returns the requests' ids, sorted.
func ids(list []Request) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = string(r.ID)
	}
	slices.Sort(out)
	return out
}

// where returns the requests of list that keep says to keep.
func where(list []Request, keep func(Request) bool) []Request {
	var out []Request
	for _, r := range list {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// same compares two decodings, an empty list equal to a missing one.
func same(a, b any) bool { return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b) }

// clone copies a form, setting the pairs given.
func clone(form url.Values, pairs ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		out.Set(pairs[i], pairs[i+1])
	}
	return out
}
