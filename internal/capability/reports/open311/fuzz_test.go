package open311_test

import (
	"math"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"guichet"
	"guichet/internal/capability/reports/open311"
)

// form writes nr back as a POST body.
func form(nr open311.NewRequest) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("api_key", nr.APIKey)
	set("service_code", nr.ServiceCode)
	if nr.Lat != nil {
		v.Set("lat", strconv.FormatFloat(*nr.Lat, 'f', -1, 64))
		v.Set("long", strconv.FormatFloat(*nr.Long, 'f', -1, 64))
	}
	set("address_string", nr.AddressString)
	set("address_id", nr.AddressID)
	set("email", nr.Email)
	set("device_id", nr.DeviceID)
	set("account_id", nr.AccountID)
	set("first_name", nr.FirstName)
	set("last_name", nr.LastName)
	set("phone", nr.Phone)
	set("description", nr.Description)
	v["media_url"] = nr.MediaURLs
	for code, values := range nr.Attributes {
		v["attribute["+code+"][]"] = values
	}
	return v
}

// FuzzParseNewRequest: any body is refused with field errors or read
// into a request that meets the specification's requirements and reads
// the same once written back.
func FuzzParseNewRequest(f *testing.F) {
	for _, s := range []string{
		"api_key=k&service_code=001&lat=48.85&long=2.35&attribute[a]=1&attribute[b][]=x&attribute[b][]=y",
		"service_code=a&address_string=Place+du+March%C3%A9&description=ligne%0Asuivante&media_url=https://p.example/1.jpg",
		"service_code=a&address_id=1&email=a%40b.example&first_name=%C3%89lodie&attribute[a]b]=1",
		"service_code=a&lat=-90&long=180.0&attribute[x][]=&attribute[x]=v",
		"service_code=a&lat=.5&long=-.5", "lat=1&long=", "attribute[=1", "service_code=%FF", "a=%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		nr, err := open311.ParseNewRequest(values)
		if err != nil {
			if guichet.ErrorCode(err) != guichet.EInvalid || len(guichet.FieldErrors(err)) == 0 {
				t.Fatalf("refused without field errors: %v", err)
			}
			return
		}
		if nr.ServiceCode == "" || (nr.Lat == nil && nr.AddressString == "" && nr.AddressID == "") || (nr.Lat == nil) != (nr.Long == nil) {
			t.Fatalf("accepted without a service code or a location: %+v", nr)
		}
		if nr.Lat != nil && (math.Abs(*nr.Lat) > 90 || math.Abs(*nr.Long) > 180 || math.IsNaN(*nr.Lat) || math.IsNaN(*nr.Long)) {
			t.Fatalf("accepted lat %v long %v", *nr.Lat, *nr.Long)
		}
		for _, s := range []string{nr.ServiceCode, nr.AddressString, nr.Email, nr.FirstName, nr.Description} {
			if !utf8.ValidString(s) || s != strings.TrimSpace(s) {
				t.Fatalf("accepted %q", s)
			}
		}
		if utf8.RuneCountInString(nr.Description) > 4000 {
			t.Fatalf("accepted a description of %d characters", utf8.RuneCountInString(nr.Description))
		}
		for code, vs := range nr.Attributes {
			if code == "" || strings.ContainsAny(code, "[] ") || len(vs) == 0 {
				t.Fatalf("accepted attribute %q = %q", code, vs)
			}
		}
		again, err := open311.ParseNewRequest(form(nr))
		if err != nil || !reflect.DeepEqual(again, nr) {
			t.Fatalf("written back, %+v reads %+v, %v", nr, again, err)
		}
	})
}

// FuzzParseQuery: any query is refused with field errors or gives a
// window of at most 90 days, in order, with known statuses.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "status=open,closed", "start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00+01:00",
		"end_date=2026-02-01", "service_request_id=1,,2", "service_code=a,b&status=open", "start_date=2026-03-01T09:30:00 01:00",
		"start_date=2026-03-01T09:30:00.123456789-11:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		args, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := open311.ParseQuery(args, now, paris)
		if err != nil {
			if guichet.ErrorCode(err) != guichet.EInvalid || len(guichet.FieldErrors(err)) == 0 {
				t.Fatalf("refused without field errors: %v", err)
			}
			return
		}
		if q.Limit != open311.MaxCount {
			t.Fatalf("limit %d", q.Limit)
		}
		if len(q.IDs) > 0 {
			if !q.Start.IsZero() || len(q.Statuses) > 0 || len(q.ServiceCodes) > 0 {
				t.Fatalf("ids with other filters: %+v", q)
			}
			return
		}
		if q.End.Before(q.Start) || q.End.Sub(q.Start) > open311.MaxSpan {
			t.Fatalf("window %v – %v", q.Start, q.End)
		}
		for _, s := range q.Statuses {
			if s != open311.Open && s != open311.Closed {
				t.Fatalf("status %q", s)
			}
		}
	})
}
