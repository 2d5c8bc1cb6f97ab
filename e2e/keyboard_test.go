package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"guichet/internal/kernel/demo"
)

// focusInfo describes the focused element or one that should get focus.
type focusInfo struct {
	Index   int    `json:"index"` // position in document order
	Desc    string `json:"desc"`
	Visible bool   `json:"visible"` // a focus outline or ring is drawn
	Radio   string `json:"radio"`   // the group name of a radio button
	Skip    bool   `json:"skip"`    // a skip link
}

const describeJS = `const describe = e => ({
	index: [...document.querySelectorAll('*')].indexOf(e),
	desc: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '') +
		' "' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 50) + '"',
	visible: (() => { const s = getComputedStyle(e);
		return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow !== '' && s.boxShadow !== 'none'); })(),
	radio: e.type === 'radio' ? e.name : '', skip: !!e.closest('.skip-links')});`

// focusedJS returns the focused element, or null on the body.
const focusedJS = `(() => { ` + describeJS + `
	const e = document.activeElement;
	return (!e || e === document.body) ? null : describe(e); })()`

// tabbableJS lists the controls a keyboard user must reach, in document
// order: one radio per group, nothing hidden (closed details, display none).
const tabbableJS = `(() => { ` + describeJS + `
	const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), ' +
		'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
	const groups = new Set();
	return [...document.querySelectorAll(sel)].filter(e => {
		if (e.getClientRects().length === 0) return false;
		if (e.type === 'radio') { if (groups.has(e.name)) return false; groups.add(e.name); }
		return true;
	}).map(describe); })()`

// walk presses Tab through the page and checks that focus reaches every
// control, moves forward in document order and is always visible.
func walk(t *testing.T, tb *tab, label string) {
	t.Helper()
	want, err := eval[[]focusInfo](tb, tabbableJS)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	// An autofocused element (the error summary) takes focus at a rendering
	// update after loading: let it happen first, or it would steal focus
	// from the walk's start on a busy machine.
	settle := `new Promise(done => { requestAnimationFrame(() => requestAnimationFrame(done)); setTimeout(done, 500); })`
	if _, err := eval[chromedp.Void](tb, settle, chromedp.EvalAwaitPromise); err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	// Start from the top, as after loading a page without autofocus.
	reset := `document.activeElement && document.activeElement.blur(); document.body.tabIndex = -1;
		document.body.focus(); document.body.removeAttribute('tabindex'); window.scrollTo(0, 0)`
	if _, err := eval[chromedp.Void](tb, reset); err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	reached := map[int]bool{}
	groups := map[string]bool{}
	last, steps := -1, 0
	var problems []string
	// A date input takes one Tab per part (day, month, year), hence the margin.
	for steps < 2*len(want)+10 {
		if err := tb.do(chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatalf("%s: Tab: %v", label, err)
		}
		steps++
		f, err := eval[*focusInfo](tb, focusedJS)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if f == nil || f.Index < last {
			break // focus left the page or wrapped around
		}
		if steps == 1 && !f.Skip {
			problems = append(problems, "the first Tab should reach the skip link, it reached "+f.Desc)
		}
		if !f.Visible {
			problems = append(problems, "no visible focus on "+f.Desc)
		}
		reached[f.Index] = true
		if f.Radio != "" {
			groups[f.Radio] = true
		}
		last = f.Index
	}
	for _, w := range want {
		if !reached[w.Index] && (w.Radio == "" || !groups[w.Radio]) {
			problems = append(problems, "never reached by Tab (or reached out of order): "+w.Desc)
		}
	}
	if len(problems) > 0 {
		t.Errorf("%s: keyboard walk, %d Tab presses for %d controls:\n    %s\n    screenshot %s", label, steps,
			len(want), strings.Join(problems, "\n    "), tb.screenshot("keyboard-"+label))
	}
	t.Logf("%s: %d controls reached in order by %d Tab presses", label, len(want), steps)
}

// TestKeyboardWalks walks the main public pages and, when the demo has an
// administrator, the back office and the audit form.
func TestKeyboardWalks(t *testing.T) {
	needBrowser(t)
	tb := newTab(t, true)
	pages := []string{"/", "/composants", "/preferences", "/accessibilite", "/connexion", "/inscription"}
	for _, p := range pages {
		status, err := tb.open(site.url(demo.Town, p))
		if err != nil {
			t.Fatal(err)
		}
		if status == 404 && (p == "/connexion" || p == "/inscription") {
			t.Logf("%s: not served yet, not walked", p)
			continue
		}
		walk(t, tb, demo.Town+p)
	}
	admin := townAdmin(t)
	if admin == nil {
		t.Log("no administrator among the demo sign-ins: the back office is not walked")
		return
	}
	for _, p := range []string{"/gestion", "/gestion/accessibilite"} {
		if _, err := admin.open(site.url(demo.Town, p)); err != nil {
			t.Fatal(err)
		}
		walk(t, admin, "admin"+p)
	}
}

// TestSkipLinkMovesFocus follows the skip link by keyboard.
func TestSkipLinkMovesFocus(t *testing.T) {
	needBrowser(t)
	tb := newTab(t, true)
	if _, err := tb.open(site.url(demo.Town, "/")); err != nil {
		t.Fatal(err)
	}
	if err := tb.do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	id, err := eval[string](tb, `document.activeElement.id`)
	if err != nil || id != "contenu" {
		t.Errorf("after the skip link, focus is on %q (%v), want the main content", id, err)
	}
}

// TestPreferencesByKeyboard chooses a larger text size with the keyboard
// only and checks that every page then carries it.
func TestPreferencesByKeyboard(t *testing.T) {
	needBrowser(t)
	tb := newTab(t, true)
	if _, err := tb.open(site.url(demo.Town, "/preferences")); err != nil {
		t.Fatal(err)
	}
	tabTo := func(what, js string) {
		t.Helper()
		for range 60 {
			if err := tb.do(chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if ok, _ := eval[bool](tb, js); ok {
				return
			}
		}
		t.Fatalf("Tab never reached %s\n    screenshot %s", what, tb.screenshot("prefs-keyboard"))
	}
	tabTo("the text size", `document.activeElement.name === 'size'`)
	if err := tb.do(chromedp.KeyEvent(kb.ArrowDown)); err != nil { // Normal → Grande
		t.Fatal(err)
	}
	tabTo("the save button", `document.activeElement.type === 'submit' && !!document.activeElement.closest('main')`)
	if _, err := tb.navigateBy(`document.activeElement.click()`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/preferences", "/"} {
		if _, err := tb.open(site.url(demo.Town, p)); err != nil {
			t.Fatal(err)
		}
		cls, _ := eval[string](tb, `document.documentElement.className`)
		if cls != "text-large" {
			t.Errorf("%s: <html class=%q>, want text-large", p, cls)
		}
	}
}

// TestPreferenceModesPass checks the largest text, wide spacing and high
// contrast together: still no violation and no horizontal scroll at 320 px.
func TestPreferenceModesPass(t *testing.T) {
	needBrowser(t)
	tb := newTab(t, true)
	if _, err := tb.open(site.url(demo.Town, "/preferences")); err != nil {
		t.Fatal(err)
	}
	set := `(() => { const f = document.querySelector('main form');
		f.querySelector('input[name=size][value=larger]').checked = true;
		f.querySelector('input[name=spacing][value=wide]').checked = true;
		f.querySelector('input[name=contrast]').checked = true;
		f.requestSubmit(); })()`
	if _, err := tb.navigateBy(set); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/composants", "/accessibilite", "/preferences"} {
		if _, err := tb.open(site.url(demo.Town, p)); err != nil {
			t.Fatal(err)
		}
		cls, _ := eval[string](tb, `document.documentElement.className`)
		if cls != "text-larger spacing-wide contrast-high" {
			t.Errorf("%s: <html class=%q>", p, cls)
		}
		checkPage(t, tb, fmt.Sprintf("préférences %s %s", cls, p))
	}
}

// townAdmin signs in, in its own tab, the first demo staff member of the
// town who may open the audit form (an administrator); nil if none.
func townAdmin(t *testing.T) *tab {
	t.Helper()
	for _, s := range site.signIns {
		if hostOf(s) != demo.Town || s.TOTPSecret == "" {
			continue
		}
		tb := newTab(t, true)
		signInAs(t, tb, s)
		if status, err := tb.open(site.url(demo.Town, "/gestion/accessibilite")); err == nil && status == 200 {
			return tb
		}
		tb.cancel()
	}
	return nil
}
