package open311_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports/open311"
)

// one is a backend of one service and one request, for exact documents.
type one struct{ *fake }

func (one) Services(context.Context) ([]open311.Service, error) {
	return []open311.Service{{Code: "001", Name: "Poubelles sorties", Description: "Bacs laissés dehors.",
		Metadata: true, Type: open311.Realtime, Keywords: []string{"bac", "ordures"}, Group: "Propreté"}}, nil
}

func (one) Definition(context.Context, string) (*open311.Definition, error) {
	return &open311.Definition{ServiceCode: "001", Attributes: []open311.Attribute{{Variable: true, Code: "bac",
		Datatype: open311.SingleValueList, Required: true, Order: 1, Description: "Quel bac\u00a0?",
		Values: []open311.Value{{Key: "vert", Name: "Bac vert"}}}}}, nil
}

func (one) Request(context.Context, string) (*open311.Request, error) {
	at := time.Date(2026, 3, 1, 8, 15, 30, 500, time.UTC)
	return &open311.Request{ID: "638344", Status: open311.Closed, StatusNotes: "Doublon.", ServiceName: "Trottoir",
		ServiceCode: "006", Description: "Dalle & bordure <cassées>", Requested: at, Updated: at.Add(time.Hour),
		Address: "8 rue Judas", Zipcode: "75005", Lat: ptr(48.85), Long: ptr(-0.000001), MediaURL: "https://ville.example/1.jpg"}, nil
}

func (one) Post(context.Context, string, open311.NewRequest) (*open311.Posted, error) {
	return &open311.Posted{Token: "12345"}, nil
}

func (one) Token(context.Context, string) ([]open311.TokenAnswer, error) {
	return []open311.TokenAnswer{{Token: "12345", ID: "638344"}}, nil
}

// TestShapes holds the documents to the specification's shapes byte for
// byte: element names and order, roots, bare JSON arrays, datetimes.
func TestShapes(t *testing.T) {
	h := open311.New(one{}, open311.Config{Zone: paris})
	mux := http.NewServeMux()
	h.Register(mux, prefix)
	cases := []struct{ method, path, body, want string }{
		{"GET", "services.json", "", `[{"service_code":"001","service_name":"Poubelles sorties","description":"Bacs laissés dehors.","metadata":true,"type":"realtime","keywords":"bac, ordures","group":"Propreté"}]`},
		{"GET", "services.xml", "", `<?xml version="1.0" encoding="UTF-8"?>
<services>
  <service>
    <service_code>001</service_code>
    <service_name>Poubelles sorties</service_name>
    <description>Bacs laissés dehors.</description>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>bac, ordures</keywords>
    <group>Propreté</group>
  </service>
</services>`},
		{"GET", "services/001.json", "", `{"service_code":"001","attributes":[{"variable":true,"code":"bac","datatype":"singlevaluelist","required":true,"datatype_description":"","order":1,"description":"Quel bac` + "\u00a0" + `?","values":[{"key":"vert","name":"Bac vert"}]}]}`},
		{"GET", "services/001.xml", "", `<?xml version="1.0" encoding="UTF-8"?>
<service_definition>
  <service_code>001</service_code>
  <attributes>
    <attribute>
      <variable>true</variable>
      <code>bac</code>
      <datatype>singlevaluelist</datatype>
      <required>true</required>
      <datatype_description></datatype_description>
      <order>1</order>
      <description>Quel bac` + "\u00a0" + `?</description>
      <values>
        <value>
          <key>vert</key>
          <name>Bac vert</name>
        </value>
      </values>
    </attribute>
  </attributes>
</service_definition>`},
		{"GET", "requests/638344.json", "", `[{"service_request_id":"638344","status":"closed","status_notes":"Doublon.","service_name":"Trottoir","service_code":"006","description":"Dalle \u0026 bordure \u003ccassées\u003e","requested_datetime":"2026-03-01T09:15:30+01:00","updated_datetime":"2026-03-01T10:15:30+01:00","address":"8 rue Judas","address_id":"","zipcode":"75005","lat":48.85,"long":-0.000001,"media_url":"https://ville.example/1.jpg"}]`},
		{"GET", "requests/638344.xml", "", `<?xml version="1.0" encoding="UTF-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>closed</status>
    <status_notes>Doublon.</status_notes>
    <service_name>Trottoir</service_name>
    <service_code>006</service_code>
    <description>Dalle &amp; bordure &lt;cassées&gt;</description>
    <requested_datetime>2026-03-01T09:15:30+01:00</requested_datetime>
    <updated_datetime>2026-03-01T10:15:30+01:00</updated_datetime>
    <address>8 rue Judas</address>
    <address_id></address_id>
    <zipcode>75005</zipcode>
    <lat>48.85</lat>
    <long>-0.000001</long>
    <media_url>https://ville.example/1.jpg</media_url>
  </request>
</service_requests>`},
		{"POST", "requests.json", "api_key=k&service_code=001&address_id=42", `[{"token":"12345"}]`},
		{"POST", "requests.xml", "api_key=k&service_code=001&address_id=42", `<?xml version="1.0" encoding="UTF-8"?>
<service_requests>
  <request>
    <token>12345</token>
  </request>
</service_requests>`},
		{"GET", "tokens/12345.json", "", `[{"service_request_id":"638344","token":"12345"}]`},
		{"GET", "tokens/12345.xml", "", `<?xml version="1.0" encoding="UTF-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <token>12345</token>
  </request>
</service_requests>`},
		{"POST", "requests.json", "service_code=001&address_id=42", `[{"code":403,"description":"La clé d'API (api_key) est obligatoire pour déposer une demande."}]`},
		{"POST", "requests.xml", "api_key=k&lat=1", `<?xml version="1.0" encoding="UTF-8"?>
<errors>
  <error>
    <code>400</code>
    <description>long` + "\u00a0" + `: long accompagne lat.</description>
  </error>
  <error>
    <code>400</code>
    <description>service_code` + "\u00a0" + `: Le code du service (service_code) est obligatoire.</description>
  </error>
</errors>`},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, prefix+"/"+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		got, _ := io.ReadAll(rec.Body)
		if strings.TrimSpace(string(got)) != c.want {
			t.Errorf("%s %s:\n got %s\nwant %s", c.method, c.path, got, c.want)
		}
	}
}

// failing answers every call with its error.
type failing struct {
	one
	err error
}

func (f failing) Services(context.Context) ([]open311.Service, error) { return nil, f.err }

func (f failing) Post(context.Context, string, open311.NewRequest) (*open311.Posted, error) {
	return nil, f.err
}

// TestRefusals covers what the suite cannot provoke from outside: the
// backend's failures, the body limit, the wrong method.
func TestRefusals(t *testing.T) {
	form := "api_key=k&service_code=001&address_id=42"
	cases := []struct {
		name, method, path, ctype, body string
		err                             error
		status                          int
		want, header                    string
	}{
		{"internal error", "GET", "services.json", "", "", errSecret, 500, "Une erreur interne est survenue.", ""},
		{"unavailable", "GET", "services.xml", "", "", guichet.Errorf(guichet.EUnavailable, "Base occupée."), 503, "Base occupée.", "5"},
		{"rate limited", "POST", "requests.json", "application/x-www-form-urlencoded", form, guichet.Errorf(guichet.ERateLimited, "Trop de demandes."), 429, "Trop de demandes.", ""},
		{"conflict", "POST", "requests.json", "application/x-www-form-urlencoded", form, guichet.Errorf(guichet.EConflict, "Déjà signalé."), 400, "Déjà signalé.", ""},
		{"too large", "POST", "requests.json", "application/x-www-form-urlencoded", "description=" + strings.Repeat("a", open311.MaxBody), nil, 413, "Le corps dépasse 1 Mio.", ""},
		{"multipart", "POST", "requests.xml", "multipart/form-data; boundary=x", "--x--", nil, 400, "application/x-www-form-urlencoded", ""},
		{"posting services", "POST", "services.json", "application/x-www-form-urlencoded", form, nil, 405, "GET", ""},
		{"posting elsewhere", "POST", "autre.json", "application/x-www-form-urlencoded", form, nil, 404, "Ressource inconnue.", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := open311.New(failing{err: c.err}, open311.Config{})
			mux := http.NewServeMux()
			h.Register(mux, prefix)
			req := httptest.NewRequest(c.method, prefix+"/"+c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", c.ctype)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != c.status || !strings.Contains(body, c.want) || strings.Contains(body, "disque") {
				t.Errorf("%d %s, want %d with %q", rec.Code, body, c.status, c.want)
			}
			if got := rec.Header().Get("Retry-After"); got != c.header {
				t.Errorf("Retry-After %q, want %q", got, c.header)
			}
		})
	}
}

var errSecret = errorString("le disque /var/lib est plein")

type errorString string

func (e errorString) Error() string { return string(e) }

// TestDiscoveryDefaults: without About, the document still has every
// field, its URL taken from the request.
func TestDiscoveryDefaults(t *testing.T) {
	h := open311.New(one{}, open311.Config{})
	mux := http.NewServeMux()
	h.Register(mux, "/api/open311")
	req := httptest.NewRequest("GET", "https://ville.example/api/open311/discovery.json", nil)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	want := `{"changeset":"2026-12-07T00:00:00Z","contact":"Écrivez à la collectivité depuis son site.","key_service":"La collectivité délivre les clés d'API sur demande.","endpoints":[{"specification":"http://wiki.open311.org/GeoReport_v2","url":"https://ville.example/api/open311","changeset":"2026-12-07T00:00:00Z","type":"production","formats":["text/xml","application/json"]}]}`
	if got := strings.TrimSpace(rec.Body.String()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestRoutes: the patterns are whole-segment wildcards under the prefix.
func TestRoutes(t *testing.T) {
	var got []string
	for _, r := range open311.New(one{}, open311.Config{}).Routes("/open311/v2") {
		got = append(got, r.Pattern)
	}
	want := "GET /open311/v2/{file}|POST /open311/v2/{file}|GET /open311/v2/services/{file}|GET /open311/v2/requests/{file}|GET /open311/v2/tokens/{file}"
	if strings.Join(got, "|") != want {
		t.Errorf("routes %v", got)
	}
}
