package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// The whole package shares one server and one browser, so that the gate
// stays within minutes on a small machine.
var (
	tool       tools
	toolErr    error
	site       *server
	browserCtx context.Context
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tool, toolErr = findTools()
	if toolErr != nil {
		return m.Run() // each test skips or fails through needBrowser
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var err error
	site, err = startServer(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start server:", err)
		return 1
	}
	defer site.stop()
	var stop func()
	browserCtx, stop, err = startBrowser(ctx, tool.chromium)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start chromium:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// needBrowser skips t when the tools are missing, or fails it when the run
// requires them (GUICHET_TEST_REQUIRE_BROWSER=1, as scripts/test sets).
func needBrowser(t *testing.T) {
	t.Helper()
	if toolErr == nil {
		return
	}
	if browserRequired() {
		t.Fatal(toolErr)
	}
	t.Skip(toolErr)
}

// startBrowser starts one headless Chromium with a fresh profile.
func startBrowser(ctx context.Context, path string) (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "guichet-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 900))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil { // starts the browser, with no timeout
		bcancel()
		acancel()
		return nil, nil, err
	}
	return bctx, func() { bcancel(); acancel(); os.RemoveAll(dir) }, nil
}
