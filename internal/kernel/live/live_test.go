package live

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFormatSplitsLinesAndKeepsNamesOnOneLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		e    Event
		want string
	}{
		{Event{Name: "appel", Data: "A 042"}, "event: appel\ndata: A 042\n\n"},
		{Event{Data: "un\r\ndeux\rtrois\n"}, "data: un\ndata: deux\ndata: trois\n\n"},
		{Event{Name: "x\ny"}, "event: xy\ndata:\n\n"},
	} {
		if got := Format(c.e); got != c.want {
			t.Errorf("Format(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

func TestSubscribersGetTheirTopicOnlyAndCancelStops(t *testing.T) {
	t.Parallel()
	h := NewHub()
	mine, cancel, _ := h.Subscribe("t1", "queue:1")
	theirs, cancelTheirs, _ := h.Subscribe("t2", "queue:1")
	defer cancelTheirs()
	if err := h.Publish(context.Background(), Event{TenantID: "t1", Topic: "queue:1", Data: "12"}); err != nil {
		t.Fatal(err)
	}
	if e := <-mine; e.Data != "12" {
		t.Errorf("got %+v", e)
	}
	if len(theirs) != 0 {
		t.Errorf("another collectivité's subscriber got %d events", len(theirs))
	}
	cancel()
	cancel() // twice is harmless
	if n := h.Subscribers(); n != 1 {
		t.Errorf("%d subscribers after one cancelled, want 1", n)
	}
	// A reader that never reads does not block the publisher.
	for range 100 {
		_ = h.Publish(context.Background(), Event{TenantID: "t2", Topic: "queue:1"})
	}
	if len(theirs) != cap(theirs) {
		t.Errorf("a slow reader holds %d events, want its buffer full (%d)", len(theirs), cap(theirs))
	}
}

func TestStreamSendsEventsUntilTheRequestEnds(t *testing.T) {
	t.Parallel()
	h := NewHub()
	ctx, stop := context.WithCancel(context.Background())
	events, cancel, _ := h.Subscribe("t1", "board")
	defer cancel()
	rec := httptest.NewRecorder()
	done := make(chan error)
	go func() {
		done <- Stream(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/", nil), events)
	}()
	_ = h.Publish(context.Background(), Event{TenantID: "t1", Topic: "board", Name: "appel", Data: "B 007"})
	time.Sleep(50 * time.Millisecond)
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "retry: 3000\n\n") || !strings.Contains(body, "event: appel\ndata: B 007\n\n") {
		t.Errorf("stream %q", body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/event-stream; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestSubscriptionsAreBounded(t *testing.T) {
	t.Parallel()
	h := NewHub()
	h.Max = 2
	_, c1, _ := h.Subscribe("t1", "a")
	_, _, _ = h.Subscribe("t1", "b")
	if _, _, err := h.Subscribe("t1", "c"); err != ErrFull {
		t.Fatalf("a third subscription: %v, want ErrFull", err)
	}
	c1()
	if _, _, err := h.Subscribe("t1", "c"); err != nil {
		t.Fatalf("after one was cancelled: %v", err)
	}
}
