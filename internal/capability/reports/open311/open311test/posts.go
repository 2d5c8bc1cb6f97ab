package open311test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// posted checks a POST's answer, a list of one request carrying an id or
// a token, never both, and returns it.
func posted(t *testing.T, list []Request, a *Answer, err error) (Request, bool) {
	t.Helper()
	if !expect(t, a, err, 200) {
		return Request{}, false
	}
	if len(list) != 1 {
		t.Errorf("%s %s: %d requests in the answer, want 1", a.Method, a.Path, len(list))
		return Request{}, false
	}
	r := list[0]
	keys, _ := RecordKeys(a.Format, a.Body, "")
	hasID, hasToken := slices.Contains(keys[0], "service_request_id"), slices.Contains(keys[0], "token")
	if hasID == hasToken || (hasID && r.ID == "") || (hasToken && r.Token == "") {
		t.Errorf("%s %s: want a service_request_id or a token, not both: %s", a.Method, a.Path, a.Body)
		return Request{}, false
	}
	return r, true
}

func (s *suite) post(t *testing.T) {
	code := s.fx.Post.Get("service_code")
	for _, f := range Formats {
		form := clone(s.fx.Post, "api_key", s.fx.APIKey)
		if s.fx.Jurisdiction != "" {
			form.Set("jurisdiction_id", s.fx.Jurisdiction)
		}
		list, a, err := s.c.Post(t.Context(), f, form)
		r, ok := posted(t, list, a, err)
		if !ok {
			continue
		}
		if r.ID == "" {
			t.Errorf("%s: the realtime POST answered a token: %+v", f, r)
			continue
		}
		got, a, err := s.c.Request(t.Context(), f, string(r.ID))
		if !expect(t, a, err, 200) {
			continue
		}
		checkRequests(t, a, got)
		if len(got) != 1 || got[0].Status != "open" || string(got[0].ServiceCode) != code {
			t.Errorf("%s: the posted request reads %+v, want it open in %s", f, got, code)
		}
	}
}

func (s *suite) postRefused(t *testing.T) {
	ok := clone(s.fx.Post, "api_key", s.fx.APIKey)
	noLocation := clone(ok)
	for _, k := range []string{"lat", "long", "address_string", "address_id"} {
		noLocation.Del(k)
	}
	noKey, noCode := clone(ok), clone(ok)
	noKey.Del("api_key")
	noCode.Del("service_code")
	cases := []struct {
		name    string
		form    url.Values
		status  int
		mention string
	}{
		{"no api_key", noKey, 403, ""},
		{"wrong api_key", clone(ok, "api_key", s.fx.BadAPIKey), 403, ""},
		{"no service_code", noCode, 400, "service_code"},
		{"unknown service_code", clone(ok, "service_code", "service-inexistant-311"), 404, ""},
		{"no location", noLocation, 400, ""},
		{"lat out of range", clone(ok, "lat", "123.5", "long", "2.35"), 400, "lat"},
		{"lat without long", clone(noLocation, "lat", "48.85"), 400, "lat"},
		{"description too long", clone(ok, "description", strings.Repeat("trou ", 801)), 400, "description"},
		{"unknown jurisdiction", clone(ok, "jurisdiction_id", "inconnue.example"), 404, "jurisdiction_id"},
	}
	for _, f := range Formats {
		for _, c := range cases {
			t.Run(f+"/"+c.name, func(t *testing.T) {
				_, a, err := s.c.Post(t.Context(), f, c.form)
				refused(t, a, err, c.status, c.mention)
			})
		}
		t.Run(f+"/not a form", func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), "POST", s.c.Base+"/requests."+f, strings.NewReader(`{"service_code":"x"}`))
			req.Header.Set("Content-Type", "application/json")
			a, err := s.c.send(req, "requests."+f)
			refused(t, a, err, 400, "")
		})
	}
}

func (s *suite) attributes(t *testing.T) {
	code, attr := s.fx.Post.Get("service_code"), s.fx.Attribute
	if attr == "" {
		t.Skip("Fixtures.Attribute names no attribute: the answers to a definition go unchecked")
	}
	d, a, err := s.c.Definition(t.Context(), "json", code)
	if !expect(t, a, err, 200) {
		t.FailNow()
	}
	i := slices.IndexFunc(d.Attributes, func(at Attribute) bool { return string(at.Code) == attr })
	if i < 0 || !d.Attributes[i].Required || !d.Attributes[i].Variable {
		t.Fatalf("%s has no required variable attribute %s: %+v", code, attr, d.Attributes)
	}
	bad := map[Text]string{"number": "pas-un-nombre", "datetime": "hier", "string": "ligne\nsuivante",
		"singlevaluelist": "valeur-inexistante-311", "multivaluelist": "valeur-inexistante-311"}[d.Attributes[i].Datatype]
	without := clone(s.fx.Post, "api_key", s.fx.APIKey)
	without.Del("attribute[" + attr + "]")
	without.Del("attribute[" + attr + "][]")
	for _, f := range Formats {
		_, a, err := s.c.Post(t.Context(), f, without)
		refused(t, a, err, 400, attr)
		if bad != "" {
			_, a, err = s.c.Post(t.Context(), f, clone(without, "attribute["+attr+"]", bad))
			refused(t, a, err, 400, attr)
		}
	}
}

func (s *suite) tokens(t *testing.T) {
	if s.fx.BatchPost == nil {
		t.Skip("Fixtures.BatchPost is nil: the server has no batch service")
	}
	for _, f := range Formats {
		list, a, err := s.c.Post(t.Context(), f, clone(s.fx.BatchPost, "api_key", s.fx.APIKey))
		r, ok := posted(t, list, a, err)
		if !ok {
			continue
		}
		if r.Token == "" {
			t.Errorf("%s: the batch POST answered no token: %+v", f, r)
			continue
		}
		answers, a, err := s.c.Token(t.Context(), f, string(r.Token))
		if !expect(t, a, err, 200) {
			continue
		}
		hasKeys(t, a, "", "token")
		if len(answers) == 0 || answers[0].ID == "" {
			t.Errorf("%s: tokens/%s answers %+v, want the request's id", f, r.Token, answers)
			continue
		}
		for _, ans := range answers {
			if ans.Token != r.Token {
				t.Errorf("%s: tokens/%s answers the token %q", f, r.Token, ans.Token)
			}
		}
		got, a, err := s.c.Request(t.Context(), f, string(answers[0].ID))
		if expect(t, a, err, 200) && (len(got) != 1 || got[0].ID != answers[0].ID) {
			t.Errorf("%s: requests/%s answers %+v", f, answers[0].ID, got)
		}
	}
}
