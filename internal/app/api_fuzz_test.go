package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"

	"guichet/internal/apptest"
)

// apiCall is one JSON endpoint of the demo site and the visitor who may
// call it.
type apiCall struct {
	b            *apptest.Browser
	method, path string
}

var firstID = regexp.MustCompile(`"id":\s*"([0-9a-f-]{36})"`)

// demoAPI returns the JSON endpoints that take a body, on the demo town,
// each with a visitor allowed to call it: booking and moving a booking
// (anonymous, by the secret of its link), filing a case (resident),
// changing a case's state (administrator).
func demoAPI(f *testing.F) []apiCall {
	e := apptest.New(f, "sqlite:"+filepath.Join(f.TempDir(), "api.db"), apptest.WithDemoData())
	guest, resident, admin := e.Browser(e.Town), e.Browser(e.Town), e.Browser(e.Town)
	resident.SignInDemo(f, "habitante@courriel.localhost")
	admin.SignInDemo(f, "admin@montclair.localhost")
	calls := []apiCall{{guest, http.MethodPost, "/api/v1/rendez-vous/reservations"}, {resident, http.MethodPost, "/api/v1/dossiers"}}
	if m := firstID.FindStringSubmatch(admin.Get("/api/v1/gestion/dossiers").Body); m != nil {
		calls = append(calls, apiCall{admin, http.MethodPost, "/api/v1/gestion/dossiers/" + m[1] + "/etat"})
	} else {
		f.Fatal("the demo's inbox lists no case")
	}
	if token := demoBooking(f, guest); token != "" {
		calls = append(calls, apiCall{guest, http.MethodPatch, "/api/v1/rendez-vous/reservations/" + token})
	}
	return calls
}

// demoBooking books the first free time of the urbanism agenda through
// the API and returns the secret of its link ("" when none is free).
func demoBooking(f *testing.F, b *apptest.Browser) string {
	var slots struct {
		Slots []struct {
			Start string `json:"start"`
		} `json:"slots"`
	}
	body := b.Get("/api/v1/rendez-vous/agendas/urbanisme/types/conseil/creneaux").Body
	if err := json.Unmarshal([]byte(body), &slots); err != nil || len(slots.Slots) == 0 {
		f.Logf("no free time to book: %.200s", body)
		return ""
	}
	in, _ := json.Marshal(map[string]string{"agenda": "urbanisme", "type": "conseil", "start": slots.Slots[0].Start,
		"name": "Léa Dubois", "email": "lea.dubois@example.fr", "phone": "06 12 34 56 78"})
	status, out, err := sendJSON(apiCall{b, http.MethodPost, "/api/v1/rendez-vous/reservations"}, in)
	var booked struct {
		Token string `json:"manage_token"`
	}
	if err != nil || status != http.StatusCreated || json.Unmarshal(out, &booked) != nil {
		f.Logf("booking through the API: %d %v %.200s", status, err, out)
		return ""
	}
	return booked.Token
}

// FuzzJSONAPI sends JSON bodies to every endpoint of the API that takes
// one, as a visitor allowed to call it: whatever the body, the answer is
// JSON and never a server error.
//
//fuzz:time 10s
func FuzzJSONAPI(f *testing.F) {
	calls := demoAPI(f)
	for i, body := range []string{
		`{"agenda":"urbanisme","type":"conseil","start":"2026-12-07T09:00:00+01:00","name":"Léa Dubois","email":"lea.dubois@example.fr"}`,
		`{"procedure":"acte-de-naissance","answers":{"nom":"Dubois","prenom":"Léa"},"submit":true}`,
		`{"state":"instruction","reason":"Pièce manquante : justificatif de domicile."}`,
		`{"start":"2026-12-08T10:20:00+01:00"}`,
		`{"start":"0000-01-01T00:00:00Z"}`, `{"start":"9999-12-31T23:59:59+14:00"}`, `{"answers":[1,2,3]}`, `{"state":null}`,
		`[]`, `null`, `"x"`, `{"name":"\u0000","email":"a@b.fr\ud800"}`, `{} {}`, `{"answers":{"enfants":[{},{},{},{},{},{},{}]}}`,
	} {
		f.Add(uint8(i), []byte(body))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		call := calls[int(which)%len(calls)]
		status, out, err := sendJSON(call, body)
		if err != nil {
			t.Fatalf("%s %s: %v", call.method, call.path, err)
		}
		if status >= 500 && status != http.StatusServiceUnavailable {
			t.Fatalf("%s %s with %q: %d %.300s", call.method, call.path, body, status, out)
		}
		if status != http.StatusNoContent && !json.Valid(out) {
			t.Fatalf("%s %s with %q: %d, not JSON: %.300s", call.method, call.path, body, status, out)
		}
	})
}

func sendJSON(call apiCall, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(call.method, "http://"+call.b.Host+call.path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := call.b.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}
