package e2e

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// maxPages bounds one crawl, as a guard against a link generator gone
// wild; the largest, the town administrator's, visits about 610.
const maxPages = 800

// maxVariants bounds the query-string variants of one path (pagination,
// filters): a few show the page's states, more only cost time.
const maxVariants = 3

// manyOfOne matches the pages that exist by the thousand with one
// template (the parcel sheets of a cadastre, the address look-ups): a
// few of each show the template's states, all of them only cost time.
var manyOfOne = regexp.MustCompile(`^/urbanisme/(parcelles|adresses)/`)

// maxOfOne is how many pages of one such template a crawl visits.
const maxOfOne = 6

// idSegment matches a path segment that names one record (a UUID or a
// number): pages that differ only there share a template.
var idSegment = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]+)$`)

// maxOfRecord is how many pages of one record template (a case, an
// organisation, a council session) a crawl visits: enough to meet the
// template's usual states, while the stories of each capability walk the
// rest.
const maxOfRecord = 8

// recordTemplate returns the path with each record segment replaced by
// "{}", and whether it had one.
func recordTemplate(path string) (string, bool) {
	parts := strings.Split(path, "/")
	found := false
	for i, p := range parts {
		if idSegment.MatchString(p) {
			parts[i], found = "{}", true
		}
	}
	return strings.Join(parts, "/"), found
}

// skipLink matches links the crawler never follows: signing out, language
// switches (they change the whole session's language), static files and
// other non-HTML resources.
var skipLink = regexp.MustCompile(`^/(deconnexion|logout|langue/|static/)|\.(css|js|txt|xml|ics|pdf|csv|jsonl?|png|jpe?g|svg|ico|zip|odt|ods)$`)

// safeEmptyPost lists the POST forms the crawler may submit empty to check
// their error state: sign-in, sign-up and validation-only forms, never a
// form that deletes, signs out or changes someone else's access. A form
// field's edit page is submitted only inside a block ("enfants.prenom"):
// the dot keeps it apart from the builder's champs/supprimer and deplacer.
var safeEmptyPost = regexp.MustCompile(`^/(connexion|inscription|mot-de-passe-oublie|preferences|compte|compte/profil|gestion/accessibilite|gestion/equipe/inviter|console/collectivites|demarches/[a-z0-9-]+/commencer|dossiers/[0-9a-f-]{36}/messages|gestion/reponses-types|gestion/dossiers/lot|gestion/dossiers/[0-9a-f-]{36}/(messages|etat|etiquettes)|gestion/demarches|gestion/demarches/[0-9a-f-]{36}/(champs|pages|parametres)|gestion/demarches/[0-9a-f-]{36}/champs/[a-z0-9_]+\.[a-z0-9_]+|alertes/abonnement|questions/poser|agenda/[a-z0-9-]+/inscription|gestion/questions/[0-9a-f-]{36}|gestion/actualites/nouvelle|gestion/agenda/nouveau|gestion/pages/nouvelle|gestion/alertes|gestion/questions/publication|rendez-vous/[a-z0-9-]+/[a-z0-9-]+/(coordonnees|liste-attente)|gestion/rendez-vous/[a-z0-9-]+/(reserver|blocages|reglages)|actes/suivre|gestion/conseil/(elus|seances)|gestion/conseil/seances/[0-9a-f-]{36}(/points)?|gestion/actes/nouveau|gestion/urbanisme/import|gestion/urbanisme/zones/[0-9A-Z]{5}/[^/]+/reglement)$`)

// crawler visits every same-host page reachable from its start pages in
// one tab, checking each and storing its HTML for the Nu run.
type crawler struct {
	t        *testing.T
	tb       *tab
	who      string // "anonyme" or the signed-in role, for labels
	html     *htmlStore
	seen     map[string]bool
	variants map[string]int
	queue    []string
	pages    int
	failed   map[string]int // label → problems
	posted   map[string]bool
	unposted map[string]bool
	// shared, when set, is the set of public pages already checked by
	// another signed-in crawl: the header differs from the anonymous one,
	// but once per signed-in visitor is enough to keep the gate fast.
	shared map[string]bool
}

// privatePath matches the pages that differ from one role to another.
var privatePath = regexp.MustCompile(`^/(gestion|compte|console)(/|$)`)

func newCrawler(t *testing.T, tb *tab, who string, html *htmlStore) *crawler {
	return &crawler{t: t, tb: tb, who: who, html: html, seen: map[string]bool{}, variants: map[string]int{},
		failed: map[string]int{}, posted: map[string]bool{}, unposted: map[string]bool{}}
}

// enqueue adds u unless it was seen, is skipped, or its path has enough variants.
func (c *crawler) enqueue(raw string) {
	u, err := url.Parse(raw)
	if err != nil || skipLink.MatchString(u.Path) {
		return
	}
	u.Fragment = ""
	key := u.String()
	if c.seen[key] {
		return
	}
	if m := manyOfOne.FindString(u.Path); m != "" {
		if c.variants[u.Host+m] >= maxOfOne {
			return
		}
		c.variants[u.Host+m]++
	} else if tpl, ok := recordTemplate(u.Path); ok && u.RawQuery == "" {
		if c.variants[u.Host+tpl] >= maxOfRecord {
			return
		}
		c.variants[u.Host+tpl]++
	}
	if u.RawQuery != "" {
		base := u.Host + u.Path
		if c.variants[base] >= maxVariants {
			return
		}
		c.variants[base]++
	}
	c.seen[key] = true
	if c.shared != nil && !privatePath.MatchString(u.Path) {
		if c.shared[key] {
			return
		}
		c.shared[key] = true
	}
	c.queue = append(c.queue, key)
}

// run crawls from the start URLs until nothing new is linked.
func (c *crawler) run(starts ...string) {
	for _, s := range starts {
		c.enqueue(s)
	}
	for len(c.queue) > 0 && c.pages < maxPages {
		u := c.queue[0]
		c.queue = c.queue[1:]
		c.visit(u)
	}
	if len(c.queue) > 0 {
		c.t.Errorf("crawl stopped at %d pages with %d still queued: raise maxPages or find the link loop", maxPages, len(c.queue))
	}
}

func (c *crawler) label(u string) string {
	return c.who + " " + strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
}

func (c *crawler) visit(u string) {
	start, _ := url.Parse(u)
	status, err := c.tb.open(u)
	label := c.label(u)
	if err != nil {
		if strings.Contains(err.Error(), "net::ERR") {
			c.t.Logf("%s: not followed, it leaves the site (%v)", label, err)
			return
		}
		c.t.Errorf("%s: %v", label, err)
		return
	}
	if here, err := url.Parse(c.tb.location()); err == nil && here.Host != start.Host {
		c.t.Logf("%s: not checked, it redirects to %s", label, here.Host)
		return
	}
	if status >= 400 {
		c.t.Errorf("%s: linked page answers %d\n    screenshot %s", label, status, c.tb.screenshot(label))
	}
	// Feeds and calendars are linked for their readers, not for people: an
	// HTML check does not apply to them.
	if ct, err := eval[string](c.tb, "document.contentType"); err == nil && ct != "text/html" {
		c.t.Logf("%s: not checked, it is %s", label, ct)
		return
	}
	c.check(label)
	links, err := eval[[]string](c.tb, linksJS)
	if err != nil {
		c.t.Errorf("%s: links: %v", label, err)
	}
	for _, l := range links {
		c.enqueue(l)
	}
	c.forms(u, label)
}

// check inspects the current page and stores its source.
func (c *crawler) check(label string) {
	c.pages++
	if n := checkPage(c.t, c.tb, label); n > 0 {
		c.failed[label] = n
	}
	src, err := c.tb.source()
	if err != nil {
		c.t.Errorf("%s: %v", label, err)
		return
	}
	if err := c.html.add(label, src); err != nil {
		c.t.Fatal(err)
	}
}

// form describes one form of a page.
type form struct {
	Index  int    `json:"index"`
	Method string `json:"method"`
	Action string `json:"action"`
	Empty  string `json:"empty"` // the query of an empty GET submission
}

// forms follows GET forms as links and submits safe POST forms empty,
// once per action, then checks the page that answers.
func (c *crawler) forms(pageURL, pageLabel string) {
	list, err := eval[[]form](c.tb, formsJS)
	if err != nil {
		c.t.Errorf("%s: forms: %v", pageLabel, err)
		return
	}
	for _, f := range list {
		action, err := url.Parse(f.Action)
		if err != nil {
			continue
		}
		if f.Method != "post" {
			action.RawQuery = f.Empty
			c.enqueue(action.String())
			continue
		}
		key := action.Host + action.Path
		if c.posted[key] || skipLink.MatchString(action.Path) {
			continue
		}
		if !safeEmptyPost.MatchString(action.Path) {
			c.unposted[key] = true
			continue
		}
		c.posted[key] = true
		if cur := c.tb.location(); cur != pageURL {
			if _, err := c.tb.open(pageURL); err != nil {
				c.t.Errorf("%s: reopen: %v", pageLabel, err)
				return
			}
		}
		label := c.who + " POST " + key + " (vide, depuis " + pageURL + ")"
		status, err := c.tb.navigateBy(fmt.Sprintf(submitEmptyJS, f.Index))
		if err != nil {
			c.t.Errorf("%s: %v", label, err)
			continue
		}
		if status >= 500 {
			c.t.Errorf("%s: answers %d\n    screenshot %s", label, status, c.tb.screenshot(label))
		}
		c.check(label)
	}
}

// report logs what the crawl saw.
func (c *crawler) report() {
	var unposted []string
	for k := range c.unposted {
		unposted = append(unposted, k)
	}
	sort.Strings(unposted)
	c.t.Logf("%s: %d pages checked, %d forms submitted empty, %d with problems", c.who, c.pages, len(c.posted), len(c.failed))
	if len(unposted) > 0 {
		c.t.Logf("%s: POST forms not submitted (not marked safe): %s", c.who, strings.Join(unposted, ", "))
	}
}

const linksJS = `(() => {
	const out = new Set();
	for (const a of document.querySelectorAll('a[href]')) {
		const u = new URL(a.getAttribute('href'), location.href);
		if (u.host !== location.host || !/^https?:$/.test(u.protocol)) continue;
		u.hash = '';
		out.add(u.href);
	}
	return [...out];
})()`

const formsJS = `[...document.forms].map((f, i) => {
	const skip = ['submit', 'button', 'reset', 'image', 'file'];
	const empty = [...f.elements].filter(e => e.name && !skip.includes(e.type) && !((e.type === 'checkbox' || e.type === 'radio')))
		.map(e => encodeURIComponent(e.name) + '=' + (e.type === 'hidden' ? encodeURIComponent(e.value) : '')).join('&');
	return {index: i, method: (f.getAttribute('method') || 'get').toLowerCase(),
		action: new URL(f.getAttribute('action') || location.href, location.href).href, empty};
})`

// submitEmptyJS clears every visible field of form %d and submits it
// without the browser's own validation, so the server's error state shows.
const submitEmptyJS = `(() => {
	const f = document.forms[%d];
	for (const e of f.elements) {
		if (['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type)) continue;
		if (e.type === 'checkbox' || e.type === 'radio') e.checked = false;
		else if (e.tagName === 'SELECT') e.selectedIndex = -1;
		else e.value = '';
	}
	f.noValidate = true;
	f.requestSubmit();
})()`
