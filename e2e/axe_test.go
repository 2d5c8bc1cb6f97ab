package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axeTags are the rules the gate enforces: WCAG 2.0 and 2.1, levels A and
// AA, which RGAA 4.1 maps onto.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// violation is one failed axe rule with the elements that fail it.
type violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// String gives the rule, each element and the help link, as a failure says them.
func (v violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s — %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n      element %s: %s", n.Target, n.HTML)
	}
	return b.String()
}

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(tool.axe)
	return string(b), err
})

// axeRun is evaluated in the page; the script is injected first when the
// page does not have it yet.
var axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + jsList(axeTags) + `}, resultTypes: ['violations']})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary || ''}))})))`

func jsList(items []string) string {
	return `['` + strings.Join(items, `', '`) + `']`
}

// axe runs axe-core on the tab's current page. The first time, the script
// is injected into the page and registered for every later document of the
// tab: sending its half megabyte through the DevTools protocol for each
// page made the anonymous crawl a tenth slower.
func (tb *tab) axe() ([]violation, error) {
	loaded, err := eval[bool](tb, `typeof window.axe === 'object'`)
	if err != nil {
		return nil, err
	}
	if !loaded {
		src, err := axeSource()
		if err != nil {
			return nil, err
		}
		if _, err := eval[chromedp.Void](tb, src); err != nil {
			return nil, fmt.Errorf("inject axe: %w", err)
		}
		if !tb.axeOnNew {
			ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
			defer cancel()
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
				return nil, fmt.Errorf("register axe: %w", err)
			}
			tb.axeOnNew = true
		}
	}
	return eval[[]violation](tb, axeRun, chromedp.EvalAwaitPromise)
}
