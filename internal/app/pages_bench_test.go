package app_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

// publicPages are the demo town's public pages that BenchmarkPublicPages
// renders; "{question}" is the first question the list links to.
var publicPages = []string{
	"/", "/actualites", "/actualites/travaux-rue-victor-hugo-circulation-alternee", "/actualites/flux.atom", "/api/v1/news",
	"/agenda", "/agenda/archives", "/agenda/marche-hebdomadaire", "/agenda/flux.ics", "/api/v1/events",
	"/demarches", "/demarches/acte-de-naissance", "/api/v1/demarches",
	"/questions", "/questions/{question}", "/vie-pratique", "/vie-pratique/collecte-des-dechets",
	"/alertes", "/alertes/flux.atom", "/mentions-legales", "/plan-du-site", "/accessibilite", "/donnees-personnelles",
}

// BenchmarkPublicPages measures each public page of the demo town, signed
// out, through the whole middleware stack without the network (compare
// with BenchmarkHomePage and BenchmarkHelloWorld). Sub-benchmarks are
// named after the path, slashes as underscores: -bench 'PublicPages/^agenda$'.
func BenchmarkPublicPages(b *testing.B) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	h := e.App.Web.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "http://montclair.localhost"+path, nil))
		return rec
	}
	question := regexp.MustCompile(`/questions/[0-9a-f-]{36}`).FindString(get("/questions").Body.String())
	if question == "" {
		b.Fatal("no question on /questions")
	}
	for _, path := range publicPages {
		if path == "/questions/{question}" {
			path = question
		}
		name := strings.ReplaceAll(path[1:], "/", "_")
		if path == "/" {
			name = "home"
		}
		b.Run(name, func(b *testing.B) {
			if rec := get(path); rec.Code != http.StatusOK {
				b.Fatalf("GET %s: status %d", path, rec.Code)
			}
			serveLoop(b, h, httptest.NewRequest("GET", "http://montclair.localhost"+path, nil))
		})
	}
}
