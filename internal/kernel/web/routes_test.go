package web

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"
)

// The server lists every route it was given, with where it answers, for
// the authorisation matrix.
func TestServerListsItsRoutes(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := NewServer(log, NewRenderer(log), nil, nil, false)
	ok := func(http.ResponseWriter, *http.Request) error { return nil }
	s.Site("GET /compte", ok, s.SignedIn)
	s.Platform("POST /console", ok)
	s.Ops("GET /healthz", http.NotFoundHandler())
	want := []Route{{Host: ScopeOps, Pattern: "GET /static/", MaxBody: FormBody}, {Host: ScopeSite, Pattern: "GET /compte", MaxBody: FormBody, Private: true},
		{Host: ScopePlatform, Pattern: "POST /console", MaxBody: FormBody, Private: true}, {Host: ScopeOps, Pattern: "GET /healthz", MaxBody: FormBody}}
	if got := s.Routes(); !slices.Equal(got, want) {
		t.Errorf("routes = %v, want %v", got, want)
	}
}
