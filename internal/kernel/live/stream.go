package live

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Heartbeat is how often an idle stream sends a comment: proxies close a
// connection silent for a minute (nginx's proxy_read_timeout is 60 s).
const Heartbeat = 25 * time.Second

// Stream sends events to the browser as server-sent events until the
// request ends, with a heartbeat comment when idle. The caller has
// checked that the visitor may follow the topic, and subscribed.
func Stream(w http.ResponseWriter, r *http.Request, events <-chan Event) error {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx passes each event on at once
	// A stream outlives the server's write timeout, meant for pages:
	// each write gets its own deadline instead.
	write := func(s string) error {
		_ = rc.SetWriteDeadline(time.Now().Add(Heartbeat + 10*time.Second))
		if _, err := fmt.Fprint(w, s); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := write("retry: 3000\n\n"); err != nil {
		return err
	}
	tick := time.NewTicker(Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-tick.C:
			if err := write(":\n\n"); err != nil {
				return err
			}
		case e := <-events:
			if err := write(Format(e)); err != nil {
				return err
			}
		}
	}
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// Format writes e as one server-sent event; a line break in the data
// starts a new "data:" line, as the format requires.
func Format(e Event) string {
	var b strings.Builder
	if e.Name != "" {
		b.WriteString("event: " + strings.NewReplacer("\r", "", "\n", "").Replace(e.Name) + "\n")
	}
	for line := range strings.Lines(lineBreaks.Replace(e.Data)) {
		b.WriteString("data: " + strings.TrimSuffix(line, "\n") + "\n")
	}
	if e.Data == "" {
		b.WriteString("data:\n")
	}
	b.WriteString("\n")
	return b.String()
}
