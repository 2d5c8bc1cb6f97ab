package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"guichet/internal/app"
	"guichet/internal/kernel/demo"
)

// crawlLanes is how many crawls run at once, each in its own tab: two keep
// both cores of a small machine busy (axe runs in the page's renderer).
const crawlLanes = 2

// crawlGroup is a sequence of crawls that must run one after the other:
// the signed-in crawls of one host share its public pages, and which crawl
// checks a shared page depends on their order. Groups share nothing (a
// crawl follows links of its own host only), so they may run at once.
type crawlGroup struct {
	name   string
	crawls []crawlSpec
}

// crawlSpec is one crawl: anonymous from its start pages, or signed in as s.
type crawlSpec struct {
	who    string
	signIn *app.SignIn
	starts []string
}

// crawlGroups lists the anonymous crawl, then one group per host of the
// signed-in crawls (one account per role and host), largest group first so
// that the lanes finish close together.
func crawlGroups() []crawlGroup {
	groups := []crawlGroup{{name: "anonyme", crawls: []crawlSpec{{who: "anonyme",
		starts: []string{site.url(demo.Town, "/"), site.url(demo.Village, "/"), site.url("", "/")}}}}}
	byHost, seen := map[string]int{}, map[string]bool{}
	for _, s := range site.signIns {
		host := hostOf(s)
		who := s.Role + "@" + host
		if host == "" {
			who += "plateforme"
		}
		if seen[who] {
			continue // one account per role and site is enough
		}
		seen[who] = true
		i, ok := byHost[host]
		if !ok {
			name := host
			if name == "" {
				name = "plateforme"
			}
			i = len(groups)
			byHost[host] = i
			groups = append(groups, crawlGroup{name: name})
		}
		groups[i].crawls = append(groups[i].crawls, crawlSpec{who: who, signIn: &s,
			starts: []string{site.url(host, homeOf(s))}})
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].crawls) > len(groups[j].crawls) })
	return groups
}

// TestCrawlGate is the acceptance gate: every page reachable from each
// collectivité's home page, from the platform directory and from each demo
// role's home after signing in, with its forms also submitted empty, has no
// axe violation, fits 320 px, and passes the Nu HTML Checker.
func TestCrawlGate(t *testing.T) {
	needBrowser(t)
	html := newHTMLStore(t)
	if len(site.signIns) == 0 {
		t.Log("the demo returns no sign-ins yet: back-office pages are not crawled")
	}
	var mu sync.Mutex
	total, failing := 0, 0
	groups := make(chan crawlGroup, 64)
	for _, g := range crawlGroups() {
		groups <- g
	}
	close(groups)
	t.Run("crawls", func(t *testing.T) {
		for lane := 1; lane <= crawlLanes; lane++ {
			t.Run(fmt.Sprintf("voie-%d", lane), func(t *testing.T) {
				t.Parallel()
				for g := range groups {
					shared := map[string]bool{}
					for _, spec := range g.crawls {
						t.Run(spec.who, func(t *testing.T) {
							tb := newTab(t, true)
							if spec.signIn != nil {
								signInAs(t, tb, *spec.signIn)
							}
							c := newCrawler(t, tb, spec.who, html)
							if spec.signIn != nil {
								c.shared = shared
							}
							c.run(spec.starts...)
							c.report()
							mu.Lock()
							total, failing = total+c.pages, failing+len(c.failed)
							mu.Unlock()
						})
					}
				}
			})
		}
	})
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
