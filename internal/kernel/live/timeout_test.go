package live

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A stream outlives the server's read and write timeouts, which are meant
// for pages: an event published after both have passed still arrives.
func TestStreamOutlivesTheServersTimeouts(t *testing.T) {
	t.Parallel()
	h := NewHub()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		events, cancel, err := h.Subscribe("t1", "board")
		if err != nil {
			t.Error(err)
			return
		}
		defer cancel()
		_ = Stream(w, r, events)
	}))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = 200*time.Millisecond, 200*time.Millisecond
	srv.Start()
	defer srv.Close()
	ctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; first != "retry: 3000" {
		t.Fatalf("first line %q", first)
	}
	time.Sleep(600 * time.Millisecond) // past both timeouts
	if err := h.Publish(context.Background(), Event{TenantID: "t1", Topic: "board", Name: "appel", Data: "A 042"}); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		if line == "event: appel" {
			return
		}
	}
	t.Fatal("the stream ended before the event, cut by the server's timeouts")
}
