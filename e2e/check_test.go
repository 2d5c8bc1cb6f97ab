package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// reflowWidth is WCAG 1.4.10's width: content must fit 320 CSS pixels
// (1280 px at 400 % zoom) without horizontal scrolling.
const reflowWidth = 320

// problems lists what the gate found on one page.
type problems struct {
	axe    []violation
	reflow int // scroll width at 320 px, 0 when it fits
}

func (p problems) count() int {
	n := len(p.axe)
	if p.reflow > 0 {
		n++
	}
	return n
}

// inspect runs axe on the current page, then measures its width at 320 px.
func (tb *tab) inspect() (problems, error) {
	var p problems
	var err error
	if p.axe, err = tb.axe(); err != nil {
		return p, err
	}
	w, err := tb.widthAt(reflowWidth)
	if err != nil {
		return p, err
	}
	if w > reflowWidth {
		p.reflow = w
	}
	return p, nil
}

// widthAt lays the page out in a viewport width px wide and returns the
// document's scroll width, then restores the desktop viewport.
func (tb *tab) widthAt(width int64) (int, error) {
	if err := tb.do(chromedp.EmulateViewport(width, 720)); err != nil {
		return 0, err
	}
	w, err := eval[int](tb, `document.documentElement.scrollWidth`)
	if rerr := tb.do(chromedp.EmulateViewport(1280, 900)); err == nil {
		err = rerr
	}
	return w, err
}

// checkPage inspects the current page and fails t for each problem, with
// a screenshot; it returns the number of problems.
func checkPage(t *testing.T, tb *tab, label string) int {
	t.Helper()
	p, err := tb.inspect()
	if err != nil {
		t.Errorf("%s: cannot check: %v", label, err)
		return 1
	}
	if p.count() == 0 {
		return 0
	}
	shot := tb.screenshot(label)
	for _, v := range p.axe {
		t.Errorf("%s: %s\n    screenshot %s", label, v, shot)
	}
	if p.reflow > 0 {
		t.Errorf("%s: horizontal scroll at %d px: the page is %d px wide\n    screenshot %s", label, reflowWidth, p.reflow, shot)
	}
	return p.count()
}

// htmlStore keeps the raw HTML of every checked page for one Nu run.
type htmlStore struct {
	mu    sync.Mutex
	dir   string
	label map[string]string // file → page label
}

func newHTMLStore(t *testing.T) *htmlStore {
	return &htmlStore{dir: t.TempDir(), label: map[string]string{}}
}

func (s *htmlStore) add(label, html string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := filepath.Join(s.dir, fmt.Sprintf("page-%04d.html", len(s.label)))
	s.label[f] = label
	return os.WriteFile(f, []byte(html), 0o644)
}
