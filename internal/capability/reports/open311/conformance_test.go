package open311_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"guichet/internal/capability/reports/open311"
	"guichet/internal/capability/reports/open311/open311test"
)

const prefix = "/open311/v2"

var (
	paris, _ = time.LoadLocation("Europe/Paris")
	now      = time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC)
)

// serve starts the handler of b on a test server and returns its base URL.
func serve(t *testing.T, b open311.Backend) string {
	t.Helper()
	h := open311.New(b, open311.Config{
		Now:          func() time.Time { return now },
		Zone:         paris,
		Jurisdiction: func(context.Context) string { return "ville.example" },
		About: func(*http.Request) open311.About {
			return open311.About{Changeset: now.Add(-24 * time.Hour), Contact: "open311@ville.example",
				KeyService: "Demandez une clé à open311@ville.example."}
		},
	})
	mux := http.NewServeMux()
	h.Register(mux, prefix)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

// fixtures describe newFake's data.
func fixtures() open311test.Fixtures {
	return open311test.Fixtures{
		Now:          now,
		APIKey:       validKey,
		Jurisdiction: "ville.example",
		Post: url.Values{
			"service_code":          {"voirie-nid-de-poule"},
			"lat":                   {"48.8566"},
			"long":                  {"2.3522"},
			"address_string":        {"Parvis de l'Hôtel de Ville, Paris"},
			"description":           {"Un trou de 30 cm devant l'entrée.\nDangereux pour les vélos."},
			"email":                 {"camille.martin@example.org"},
			"first_name":            {"Camille"},
			"last_name":             {"Martin"},
			"media_url":             {"https://photos.example/trou.jpg"},
			"attribute[profondeur]": {"forte"},
			"attribute[largeur]":    {"30"},
			"attribute[voies][]":    {"chaussee", "piste"},
			"attribute[report_url]": {"https://ailleurs.example/report/1"},
		},
		Attribute: "profondeur",
		BatchPost: url.Values{
			"service_code":      {"proprete-depot"},
			"address_string":    {"Place du Marché"},
			"description":       {"Un matelas et des cartons."},
			"attribute[nature]": {"encombrants"},
		},
	}
}

// TestConformance drives every endpoint in both formats through the
// conformance suite, as a third-party client would.
func TestConformance(t *testing.T) {
	f := newFake(now)
	base := serve(t, f)
	open311test.Run(t, base, fixtures())
	if len(f.posted) == 0 {
		t.Fatal("no POST reached the backend")
	}
	got := f.posted[0]
	if got.ServiceCode != "voirie-nid-de-poule" || got.Lat == nil || *got.Lat != 48.8566 || got.FirstName != "Camille" ||
		len(got.Attributes["voies"]) != 2 || got.Attributes["report_url"] == nil || len(got.MediaURLs) != 1 {
		t.Errorf("the backend received %+v", got)
	}
}
