package open311_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/capability/reports/open311"
)

func TestParseNewRequest(t *testing.T) {
	form, _ := url.ParseQuery("api_key=xyz&jurisdiction_id=ville.example&service_code=001&lat=37.76524078&long=-122.4212043" +
		"&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john" +
		"&last_name=smith&phone=111111111&description=A+large+sinkhole%0Ais+destroying+the+street" +
		"&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg" +
		"&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001&attribute[voies][]=a&attribute[voies][]=b&attribute[vide]=&deviceid=ignored")
	got, err := open311.ParseNewRequest(form)
	if err != nil {
		t.Fatal(err)
	}
	lat, long := 37.76524078, -122.4212043
	want := open311.NewRequest{APIKey: "xyz", ServiceCode: "001", Lat: &lat, Long: &long, AddressString: "1234 5th street",
		Email: "smit333@sfgov.edu", DeviceID: "tt222111", AccountID: "123456", FirstName: "john", LastName: "smith",
		Phone: "111111111", Description: "A large sinkhole\nis destroying the street",
		MediaURLs:  []string{"http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"},
		Attributes: map[string][]string{"WHISPAWN": {"123456"}, "WHISDORN": {"COISL001"}, "voies": {"a", "b"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseNewRequestRefusals(t *testing.T) {
	ok := "service_code=001&address_id=42"
	cases := map[string]string{
		"address_id=42":                                  "service_code",
		"service_code=001":                               "location",
		"service_code=001&lat=48.8":                      "long",
		"service_code=001&long=2.3":                      "lat",
		"service_code=001&lat=91&long=2":                 "lat",
		"service_code=001&lat=48&long=-180.5":            "long",
		"service_code=001&lat=0x1p-2&long=2":             "lat",
		"service_code=001&lat=NaN&long=2":                "lat",
		"service_code=001&lat=1e1&long=2":                "lat",
		ok + "&service_code=002":                         "service_code",
		ok + "&email=Camille+<c@example.org>":            "email",
		ok + "&email=pas-une-adresse":                    "email",
		ok + "&media_url=javascript:alert(1)":            "media_url",
		ok + "&media_url=/relative.jpg":                  "media_url",
		ok + "&first_name=Jean%0APierre":                 "first_name",
		ok + "&description=%00":                          "description",
		ok + "&description=%FF":                          "description",
		ok + "&description=" + strings.Repeat("é", 4001): "description",
		ok + "&attribute[]=x":                            "attribute",
		ok + "&attribute[a]b]=x":                         "attribute",
		ok + "&attribute[a=x":                            "attribute",
		ok + "&attribute[a%20b]=x":                       "attribute",
		ok + "&attribute[a]=%07":                         "attribute[a]",
	}
	for raw, field := range cases {
		form, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(raw, err)
		}
		_, err = open311.ParseNewRequest(form)
		if guichet.ErrorCode(err) != guichet.EInvalid || guichet.FieldErrors(err)[field] == "" {
			t.Errorf("%s: %v, want %s refused", raw, err, field)
		}
	}
	form, _ := url.ParseQuery(ok + "&description=" + strings.Repeat("é", 4000) + "&lat=&long=&media_url=")
	if _, err := open311.ParseNewRequest(form); err != nil {
		t.Errorf("4,000 characters and empty optional fields: %v", err)
	}
}

func TestDefinitionCheck(t *testing.T) {
	d := newFake(now).defs["voirie-nid-de-poule"]
	cases := []struct {
		answers map[string][]string
		want    map[string]string // field → part of its message
	}{
		{map[string][]string{"profondeur": {"forte"}, "largeur": {"-3.5"}, "constate": {"2026-03-01"}, "voies": {"piste", "trottoir"}, "title": {"libre"}}, nil},
		{map[string][]string{"profondeur": {"forte"}, "conseil": {"ignoré, l'attribut n'attend rien"}}, nil},
		{nil, map[string]string{"attribute[profondeur]": "obligatoire"}},
		{map[string][]string{"profondeur": {"moyenne"}}, map[string]string{"attribute[profondeur]": "faible, forte"}},
		{map[string][]string{"profondeur": {"faible", "forte"}}, map[string]string{"attribute[profondeur]": "seule"}},
		{map[string][]string{"profondeur": {"forte"}, "largeur": {"trente"}}, map[string]string{"attribute[largeur]": "Nombre"}},
		{map[string][]string{"profondeur": {"forte"}, "largeur": {"1e999"}}, map[string]string{"attribute[largeur]": "Nombre"}},
		{map[string][]string{"profondeur": {"forte"}, "constate": {"hier"}}, map[string]string{"attribute[constate]": "W3C"}},
		{map[string][]string{"profondeur": {"forte"}, "voies": {"piste", "ciel"}}, map[string]string{"attribute[voies]": "ciel"}},
	}
	for _, c := range cases {
		got := d.Check(c.answers)
		if len(got) != len(c.want) {
			t.Errorf("Check(%v) = %v, want %v", c.answers, got, c.want)
			continue
		}
		for field, part := range c.want {
			if !strings.Contains(got[field], part) {
				t.Errorf("Check(%v)[%s] = %q, want it to mention %q", c.answers, field, got[field], part)
			}
		}
	}
	line := &open311.Definition{Attributes: []open311.Attribute{{Variable: true, Code: "s", Datatype: open311.String}}}
	if got := line.Check(map[string][]string{"s": {"a\nb"}}); got["attribute[s]"] == "" {
		t.Error("a string attribute took a line break")
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		err    error
		status int
		want   []open311.Error
	}{
		{guichet.Errorf(guichet.ENotFound, "Service inconnu."), 404, []open311.Error{{404, "Service inconnu."}}},
		{guichet.Errorf(guichet.EForbidden, "Clé refusée."), 403, []open311.Error{{403, "Clé refusée."}}},
		{guichet.Errorf(guichet.EUnauthorized, "Clé inconnue."), 403, []open311.Error{{403, "Clé inconnue."}}},
		{guichet.Invalid(map[string]string{"lat": "Hors limites.", "email": "Illisible."}), 400,
			[]open311.Error{{400, "email\u00a0: Illisible."}, {400, "lat\u00a0: Hors limites."}}},
		{errSecret, 500, []open311.Error{{500, "Une erreur interne est survenue."}}},
	}
	for _, c := range cases {
		status, list := open311.Errors(c.err)
		if status != c.status || !reflect.DeepEqual(list, c.want) {
			t.Errorf("Errors(%v) = %d %v, want %d %v", c.err, status, list, c.status, c.want)
		}
	}
}
