package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// actionTimeout bounds one navigation or script; a page of this app takes
// milliseconds, so a minute means something hangs.
const actionTimeout = time.Minute

// tab is one browser tab; its listener remembers the last HTML document
// response, so that the checker sees the bytes the server sent rather than
// the browser's repaired DOM.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	docReq network.RequestID
	// axeOnNew is set once axe-core is injected into every new document.
	axeOnNew bool
}

// newTab opens a tab; isolated tabs get their own cookie jar (a browser
// context), so that each signed-in role keeps its own session.
func newTab(t *testing.T, isolated bool) *tab {
	t.Helper()
	tb := &tab{}
	opts := []chromedp.ContextOption{chromedp.WithListener(tb.listen)}
	if isolated {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	tb.ctx, tb.cancel = chromedp.NewContext(browserCtx, opts...)
	if err := chromedp.Do(tb.ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	t.Cleanup(tb.cancel)
	return tb
}

func (tb *tab) listen(ev any) {
	if e, ok := ev.(*network.EventResponseReceived); ok && e.Type == network.ResourceTypeDocument {
		tb.mu.Lock()
		tb.docReq = e.RequestID
		tb.mu.Unlock()
	}
}

// do runs steps with a timeout.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// eval evaluates js and decodes its result into T.
func eval[T any](tb *tab, js string, opts ...chromedp.EvaluateOption) (T, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
}

// open navigates to url and returns the HTTP status of the document.
func (tb *tab) open(url string) (int, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		return 0, err
	}
	return int(resp.Status), nil
}

// navigateBy runs js that causes a navigation (a form submission) and waits
// for the new page; it returns the new document's status.
func (tb *tab) navigateBy(js string) (int, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](js))
	if err != nil {
		return 0, err
	}
	return int(resp.Status), nil
}

// source returns the raw HTML of the current document as the server sent it.
func (tb *tab) source() (string, error) {
	tb.mu.Lock()
	req := tb.docReq
	tb.mu.Unlock()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: req})
	if err != nil {
		return "", fmt.Errorf("response body: %w", err)
	}
	if res.Base64encoded {
		b, err := base64.StdEncoding.DecodeString(string(res.Body))
		return string(b), err
	}
	return string(res.Body), nil
}

// location returns the current URL.
func (tb *tab) location() string {
	u, _ := eval[string](tb, `location.href`)
	return u
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// screenshot saves the whole page under e2e/screenshots/ and returns the path.
func (tb *tab) screenshot(name string) string {
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "(no screenshot: " + err.Error() + ")"
	}
	dir := filepath.Join(here(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "(no screenshot: " + err.Error() + ")"
	}
	name = unsafeName.ReplaceAllString(name, "_")
	if len(name) > 120 {
		name = name[:120]
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "(no screenshot: " + err.Error() + ")"
	}
	return path
}
