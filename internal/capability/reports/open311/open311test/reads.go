package open311test

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func (s *suite) discovery(t *testing.T) {
	base, _ := url.Parse(s.base)
	var docs []*Discovery
	for _, f := range Formats {
		d, a, err := s.c.Discovery(t.Context(), f)
		if !expect(t, a, err, 200) {
			continue
		}
		docs = append(docs, d)
		if d.Changeset == "" || d.Contact == "" || d.KeyService == "" || len(d.Endpoints) == 0 {
			t.Errorf("%s: changeset, contact, key_service or endpoints missing: %+v", f, d)
		}
		found := false
		for _, e := range d.Endpoints {
			if e.Specification != "http://wiki.open311.org/GeoReport_v2" {
				continue
			}
			found = true
			u, err := url.Parse(string(e.URL))
			if err != nil || !u.IsAbs() || strings.TrimSuffix(u.Path, "/") != strings.TrimSuffix(base.Path, "/") {
				t.Errorf("%s: endpoint url %q, want an absolute URL to %s", f, e.URL, base.Path)
			}
			if e.Type != "production" && e.Type != "test" || e.Changeset == "" {
				t.Errorf("%s: endpoint type %q, changeset %q", f, e.Type, e.Changeset)
			}
			if !slices.Contains(e.Formats, "text/xml") || !slices.Contains(e.Formats, "application/json") {
				t.Errorf("%s: formats %v, want text/xml and application/json", f, e.Formats)
			}
		}
		if !found {
			t.Errorf("%s: no GeoReport v2 endpoint: %+v", f, d.Endpoints)
		}
	}
	if len(docs) == 2 && !same(docs[0], docs[1]) {
		t.Errorf("JSON and XML differ:\n%+v\n%+v", docs[0], docs[1])
	}
}

// servicesOf reads the service list in format f.
func (s *suite) servicesOf(t *testing.T, f string) []Service {
	t.Helper()
	list, a, err := s.c.Services(t.Context(), f)
	if !expect(t, a, err, 200) {
		t.FailNow()
	}
	hasKeys(t, a, "", "service_code", "service_name", "description", "metadata", "type", "keywords", "group")
	return list
}

func (s *suite) services(t *testing.T) {
	lists := map[string][]Service{}
	for _, f := range Formats {
		list := s.servicesOf(t, f)
		lists[f] = list
		if len(list) == 0 {
			t.Errorf("%s: no service", f)
		}
		seen := map[Text]bool{}
		for _, sv := range list {
			if sv.Code == "" || sv.Name == "" || seen[sv.Code] {
				t.Errorf("%s: empty or repeated code or name: %+v", f, sv)
			}
			seen[sv.Code] = true
			if !slices.Contains([]Text{"realtime", "batch", "blackbox"}, sv.Type) {
				t.Errorf("%s: %s has type %q", f, sv.Code, sv.Type)
			}
		}
	}
	if !same(lists["json"], lists["xml"]) {
		t.Errorf("JSON and XML differ:\n%+v\n%+v", lists["json"], lists["xml"])
	}
}

func (s *suite) definitions(t *testing.T) {
	checked := 0
	for _, sv := range s.servicesOf(t, "json") {
		if !sv.Metadata {
			continue
		}
		var defs []*Definition
		for _, f := range Formats {
			d, a, err := s.c.Definition(t.Context(), f, string(sv.Code))
			if !expect(t, a, err, 200) {
				continue
			}
			defs = append(defs, d)
			hasKeys(t, a, "attributes", "variable", "code", "datatype", "required", "datatype_description", "order", "description")
			checkDefinition(t, f, sv.Code, d)
			checked++
		}
		if len(defs) == 2 && !same(defs[0], defs[1]) {
			t.Errorf("%s: JSON and XML differ:\n%+v\n%+v", sv.Code, defs[0], defs[1])
		}
	}
	if checked == 0 {
		t.Error("no service has metadata: no definition could be read")
	}
}

func checkDefinition(t *testing.T, f string, code Text, d *Definition) {
	t.Helper()
	if d.ServiceCode != code {
		t.Errorf("%s: definition of %s says service_code %q", f, code, d.ServiceCode)
	}
	orders, codes := map[int]bool{}, map[Text]bool{}
	for _, at := range d.Attributes {
		if at.Code == "" || codes[at.Code] || at.Order < 1 || orders[at.Order] {
			t.Errorf("%s %s: empty or repeated code, or order not a positive unique integer: %+v", f, code, at)
		}
		codes[at.Code], orders[at.Order] = true, true
		list := at.Datatype == "singlevaluelist" || at.Datatype == "multivaluelist"
		if !list && !slices.Contains([]Text{"string", "number", "datetime", "text"}, at.Datatype) {
			t.Errorf("%s %s: attribute %s has datatype %q", f, code, at.Code, at.Datatype)
		}
		if list != (len(at.Values) > 0) {
			t.Errorf("%s %s: attribute %s (%s) has %d values", f, code, at.Code, at.Datatype, len(at.Values))
		}
		keys := map[Text]bool{}
		for _, v := range at.Values {
			if v.Key == "" || v.Name == "" || keys[v.Key] {
				t.Errorf("%s %s: attribute %s: empty or repeated value %+v", f, code, at.Code, v)
			}
			keys[v.Key] = true
		}
	}
}

// listing reads requests.{f} without arguments, checking each record.
func (s *suite) listing(t *testing.T, f string) []Request {
	t.Helper()
	list, a, err := s.c.Requests(t.Context(), f, nil)
	if !expect(t, a, err, 200) {
		t.FailNow()
	}
	checkRequests(t, a, list)
	return list
}

func (s *suite) requests(t *testing.T) {
	lists := map[string][]Request{}
	for _, f := range Formats {
		list := s.listing(t, f)
		lists[f] = list
		if len(list) > 1000 {
			t.Errorf("%s: %d requests, more than the 1000 allowed", f, len(list))
		}
		statuses, codes := map[Text]bool{}, map[Text]bool{}
		for _, r := range list {
			statuses[r.Status], codes[r.ServiceCode] = true, true
			if at, err := instant(r.Requested); err == nil && !s.fx.Now.IsZero() &&
				(at.Before(s.fx.Now.Add(-90*24*time.Hour-time.Minute)) || at.After(s.fx.Now.Add(time.Minute))) {
				t.Errorf("%s: %s requested %s, outside the last 90 days", f, r.ID, r.Requested)
			}
		}
		if len(list) < 2 || len(statuses) < 2 || len(codes) < 2 {
			t.Fatalf("%s: the server holds %d requests of %d statuses and %d services in the last 90 days; the filters need two of each", f, len(list), len(statuses), len(codes))
		}
		if len(slices.Compact(ids(list))) != len(list) {
			t.Errorf("%s: repeated ids %v", f, ids(list))
		}
	}
	byID := func(list []Request) []Request {
		list = slices.Clone(list)
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		return list
	}
	if !same(byID(lists["json"]), byID(lists["xml"])) {
		t.Errorf("JSON and XML differ:\n%+v\n%+v", lists["json"], lists["xml"])
	}
}

// filtered reads requests.{f} with args and checks that it answers
// exactly the ids of want.
func (s *suite) filtered(t *testing.T, f string, args url.Values, want []Request) []Request {
	t.Helper()
	got, a, err := s.c.Requests(t.Context(), f, args)
	if !expect(t, a, err, 200) {
		return nil
	}
	checkRequests(t, a, got)
	if want != nil && !slices.Equal(ids(got), ids(want)) {
		t.Errorf("%s ?%s: ids %v, want %v", f, args.Encode(), ids(got), ids(want))
	}
	return got
}

func (s *suite) filters(t *testing.T) {
	for _, f := range Formats {
		all := s.listing(t, f)
		if len(all) < 2 {
			t.Fatalf("%s: too few requests to filter", f)
		}
		first, second := all[0], all[len(all)-1]
		for _, r := range all {
			if r.ServiceCode != first.ServiceCode {
				second = r
				break
			}
		}
		s.filtered(t, f, url.Values{"service_code": {string(first.ServiceCode)}},
			where(all, func(r Request) bool { return r.ServiceCode == first.ServiceCode }))
		s.filtered(t, f, url.Values{"service_code": {string(first.ServiceCode) + "," + string(second.ServiceCode)}},
			where(all, func(r Request) bool { return r.ServiceCode == first.ServiceCode || r.ServiceCode == second.ServiceCode }))
		for _, st := range []Text{"open", "closed"} {
			s.filtered(t, f, url.Values{"status": {string(st)}}, where(all, func(r Request) bool { return r.Status == st }))
		}
		s.filtered(t, f, url.Values{"status": {"open,closed"}}, all)
		s.dates(t, f, all)
		pair := []Request{first, all[1]}
		s.filtered(t, f, url.Values{"service_request_id": {string(first.ID) + "," + string(all[1].ID)}}, pair)
		other := map[Text]string{"open": "closed", "closed": "open"}[first.Status]
		s.filtered(t, f, url.Values{"service_request_id": {string(first.ID)}, "status": {other}, "service_code": {"service-inexistant-311"}},
			[]Request{first}) // the ids override every other argument
		for _, bad := range []url.Values{
			{"status": {"pending"}},
			{"start_date": {"hier"}},
			{"start_date": {"2026-01-01T00:00:00Z"}, "end_date": {"2026-06-01T00:00:00Z"}},
			{"start_date": {"2026-02-01T00:00:00Z"}, "end_date": {"2026-01-01T00:00:00Z"}},
		} {
			_, a, err := s.c.Requests(t.Context(), f, bad)
			refused(t, a, err, 400, "")
		}
	}
}

// dates checks start_date and end_date against the listing.
func (s *suite) dates(t *testing.T, f string, all []Request) {
	t.Helper()
	times := make([]time.Time, 0, len(all))
	for _, r := range all {
		at, err := instant(r.Requested)
		if err != nil {
			return // reported by checkRequests
		}
		times = append(times, at)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	mid, last := times[len(times)/2], times[len(times)-1].Add(time.Second)
	in := func(from, to time.Time) func(Request) bool {
		return func(r Request) bool {
			at, _ := instant(r.Requested)
			return !at.Before(from) && !at.After(to)
		}
	}
	s.filtered(t, f, url.Values{"start_date": {mid.Format(time.RFC3339)}, "end_date": {last.Format(time.RFC3339)}},
		where(all, in(mid, last)))
	got := s.filtered(t, f, url.Values{"end_date": {mid.Format(time.RFC3339)}}, nil)
	for _, r := range where(all, in(time.Time{}, mid)) {
		if !slices.Contains(ids(got), string(r.ID)) {
			t.Errorf("%s end_date=%s: %s (requested %s) left out", f, mid.Format(time.RFC3339), r.ID, r.Requested)
		}
	}
	for _, r := range got {
		if !in(mid.Add(-90*24*time.Hour), mid)(r) {
			t.Errorf("%s end_date=%s: %s requested %s", f, mid.Format(time.RFC3339), r.ID, r.Requested)
		}
	}
}

func (s *suite) request(t *testing.T) {
	for _, f := range Formats {
		all := s.listing(t, f)
		for _, want := range all[:min(2, len(all))] {
			got, a, err := s.c.Request(t.Context(), f, string(want.ID))
			if !expect(t, a, err, 200) {
				continue
			}
			checkRequests(t, a, got)
			if len(got) != 1 || !same(got[0], want) {
				t.Errorf("%s: requests/%s answers %+v, the list has %+v", f, want.ID, got, want)
			}
		}
	}
}

func (s *suite) notFound(t *testing.T) {
	ctx := t.Context()
	for _, f := range Formats {
		_, a, err := s.c.Definition(ctx, f, "service-inexistant-311")
		refused(t, a, err, 404, "")
		_, a, err = s.c.Request(ctx, f, "demande-inexistante-311")
		refused(t, a, err, 404, "")
		_, a, err = s.c.Token(ctx, f, "jeton-inexistant-311")
		refused(t, a, err, 404, "")
		a, err = s.c.Do(ctx, "GET", "inconnu."+f, nil)
		refused(t, a, err, 404, "")
	}
	// Another extension, or none, is answered in XML, the required format.
	for _, path := range []string{"services.html", "requests.yaml", "discovery", "services/voirie.txt", "requests/1.csv", "tokens/1"} {
		a, err := s.c.Do(ctx, "GET", path, nil)
		refused(t, a, err, 404, "")
	}
}

func (s *suite) jurisdiction(t *testing.T) {
	for _, f := range Formats {
		args := url.Values{"jurisdiction_id": {"inconnue.example"}}
		a, err := s.c.Do(t.Context(), "GET", "services."+f, args)
		refused(t, a, err, 404, "jurisdiction_id")
		a, err = s.c.Do(t.Context(), "GET", "requests."+f, args)
		refused(t, a, err, 404, "jurisdiction_id")
		if s.fx.Jurisdiction == "" {
			continue
		}
		args.Set("jurisdiction_id", s.fx.Jurisdiction)
		a, err = s.c.Do(t.Context(), "GET", "services."+f, args)
		expect(t, a, err, 200)
		_, a, err = s.c.Requests(t.Context(), f, args)
		expect(t, a, err, 200)
	}
}
