package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"guichet/internal/apptest"
)

// TestGracefulShutdown cancels the server while a request is in flight:
// the request completes, then Serve returns without error.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, "sqlite:"+filepath.Join(t.TempDir(), "g.db"))
	started := make(chan struct{})
	e.App.Web.Site("GET /test-lent", func(w http.ResponseWriter, r *http.Request) error {
		close(started)
		time.Sleep(700 * time.Millisecond)
		_, err := io.WriteString(w, "fini")
		return err
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.App.Serve(ctx, ln) }()

	type result struct {
		body   string
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/test-lent", nil)
		req.Host = "montclair.localhost"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{string(b), res.StatusCode, err}
	}()
	<-started
	cancel()
	r := <-got
	if r.err != nil || r.status != 200 || r.body != "fini" {
		t.Fatalf("request in flight: %+v", r)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("the listener still accepts connections after shutdown")
	}
}
