package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"guichet/internal/kernel/demo"
)

// TestCrawlGate is the acceptance gate: every page reachable from each
// collectivité's home page, from the platform directory and from each demo
// role's home after signing in, with its forms also submitted empty, has no
// axe violation, fits 320 px, and passes the Nu HTML Checker.
func TestCrawlGate(t *testing.T) {
	needBrowser(t)
	html := newHTMLStore(t)
	total, failing := 0, 0
	t.Run("anonyme", func(t *testing.T) {
		c := newCrawler(t, newTab(t, true), "anonyme", html)
		c.run(site.url(demo.Town, "/"), site.url(demo.Village, "/"), site.url("", "/"))
		c.report()
		total, failing = total+c.pages, failing+len(c.failed)
	})
	if len(site.signIns) == 0 {
		t.Log("the demo returns no sign-ins yet: back-office pages are not crawled")
	}
	seenHome, sharedPublic := map[string]bool{}, map[string]bool{}
	for _, s := range site.signIns {
		who := s.Role + "@" + hostOf(s)
		if hostOf(s) == "" {
			who += "plateforme"
		}
		if seenHome[who] {
			continue // one account per role and site is enough
		}
		seenHome[who] = true
		t.Run(who, func(t *testing.T) {
			tb := newTab(t, true)
			signInAs(t, tb, s)
			c := newCrawler(t, tb, who, html)
			c.shared = sharedPublic
			c.run(site.url(hostOf(s), homeOf(s)))
			c.report()
			total, failing = total+c.pages, failing+len(c.failed)
		})
	}
	nuFailing := 0
	t.Run("nu-html-checker", func(t *testing.T) {
		errs, err := nuErrors(html)
		if err != nil {
			t.Fatal(err)
		}
		labels := make([]string, 0, len(errs))
		for l := range errs {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			t.Errorf("%s: %d Nu HTML Checker errors:\n    %s", l, len(errs[l]), strings.Join(errs[l], "\n    "))
		}
		nuFailing = len(labels)
	})
	summary := fmt.Sprintf("browser gate: %d pages checked (axe-core %s, reflow at %d px, Nu HTML Checker); "+
		"%d with axe or reflow problems, %d with HTML errors\n", total, strings.Join(axeTags, "+"), reflowWidth, failing, nuFailing)
	fmt.Print(summary)
	// go test shows a passing package's output only with -v: keep the count
	// in a file too.
	if err := os.WriteFile(filepath.Join(here(), "gate-report.txt"), []byte(summary), 0o644); err != nil {
		t.Log(err)
	}
}

// TestEnglishPages checks the main public pages in the second language,
// which the crawl leaves aside (switching language changes the session).
func TestEnglishPages(t *testing.T) {
	needBrowser(t)
	tb := newTab(t, true)
	if _, err := tb.open(site.url(demo.Town, "/langue/en?suite=/")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/composants", "/accessibilite", "/preferences"} {
		if _, err := tb.open(site.url(demo.Town, p)); err != nil {
			t.Fatal(err)
		}
		if lang, _ := eval[string](tb, `document.documentElement.lang`); lang != "en" {
			t.Errorf("%s: lang=%q, want en", p, lang)
		}
		checkPage(t, tb, "en "+p)
	}
}
