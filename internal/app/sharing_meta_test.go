package app_test

import (
	"encoding/json"
	"encoding/xml"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

var (
	metaProperty = regexp.MustCompile(`<meta property="(og:[a-z:_]+)" content="([^"]*)">`)
	jsonLDBlock  = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
)

// ogOf returns the page's Open Graph properties (the first of each).
func ogOf(body string) map[string]string {
	og := map[string]string{}
	for _, m := range metaProperty.FindAllStringSubmatch(body, -1) {
		if _, ok := og[m[1]]; !ok {
			og[m[1]] = html.UnescapeString(m[2])
		}
	}
	return og
}

// Every public page of the demo site, as its site map lists them, says
// what it is to the sites that show a link to it (Open Graph) and to
// search engines (one schema.org block); staff and private pages say
// nothing and ask not to be indexed.
func TestEveryPublicPageDescribesItself(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		res := b.Get("/sitemap.xml")
		if res.Status != 200 {
			t.Fatalf("sitemap.xml: %d", res.Status)
		}
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(res.Body), &set); err != nil {
			t.Fatal(err)
		}
		if len(set.URLs) < 20 {
			t.Fatalf("the demo's site map lists %d pages", len(set.URLs))
		}
		var locs []*url.URL
		for _, u := range set.URLs {
			loc, err := url.Parse(u.Loc)
			if err != nil {
				t.Fatal(err)
			}
			locs = append(locs, loc)
		}
		// The site map lists sections; a news item and an event are the
		// pages people share most.
		for _, list := range []string{"/actualites", "/agenda"} {
			var item string
			for _, m := range regexp.MustCompile(`href="(`+list+`/[a-z0-9-]+)"`).FindAllStringSubmatch(b.Get(list).Body, -1) {
				if !strings.HasSuffix(m[1], "/archives") {
					item = m[1]
					break
				}
			}
			if item == "" {
				t.Fatalf("%s links to no item", list)
			}
			locs = append(locs, &url.URL{Path: item})
			// The pages people share carry plain share links: no
			// third-party script or image, no tracking parameter.
			body := b.Get(item).Body
			for _, want := range []string{`href="/partager?url=http%3a%2f%2fmontclair.localhost` + strings.ReplaceAll(item, "/", "%2f"),
				`href="https://www.facebook.com/sharer/sharer.php?u=`, `href="https://bsky.app/intent/compose?text=`,
				`href="https://www.linkedin.com/sharing/share-offsite/?url=`, `href="mailto:?subject=`, `readonly value="http://montclair.localhost` + item + `"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: no share link %s", item, want)
				}
			}
			if regexp.MustCompile(`<(script|img)[^>]+src="(https?:)?//`).MatchString(body) || strings.Contains(body, "utm_") {
				t.Errorf("%s: a script, an image from elsewhere or a tracking parameter", item)
			}
		}
		types := map[string]bool{}
		for _, loc := range locs {
			res := b.Get(loc.RequestURI())
			if res.Status != 200 {
				t.Errorf("%s: %d", loc.Path, res.Status)
				continue
			}
			og := ogOf(res.Body)
			for _, p := range []string{"og:title", "og:url", "og:site_name", "og:type", "og:locale", "og:description"} {
				if og[p] == "" {
					t.Errorf("%s: no %s", loc.Path, p)
				}
			}
			if got, err := url.Parse(og["og:url"]); err != nil || !got.IsAbs() || got.Host != b.Host || got.Path != loc.Path {
				t.Errorf("%s: og:url %q, want an absolute address on %s", loc.Path, og["og:url"], b.Host)
			}
			if og["og:site_name"] != e.Town.Name {
				t.Errorf("%s: og:site_name %q", loc.Path, og["og:site_name"])
			}
			if !strings.Contains(res.Body, `<link rel="canonical" href="`+og["og:url"]+`">`) {
				t.Errorf("%s: no canonical link to %s", loc.Path, og["og:url"])
			}
			if strings.Contains(res.Body, `name="robots"`) {
				t.Errorf("%s: a public page asks not to be indexed", loc.Path)
			}
			blocks := jsonLDBlock.FindAllStringSubmatch(res.Body, -1)
			if len(blocks) != 1 {
				t.Errorf("%s: %d JSON-LD blocks, want 1", loc.Path, len(blocks))
				continue
			}
			var ld map[string]any
			if err := json.Unmarshal([]byte(blocks[0][1]), &ld); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v", loc.Path, err)
				continue
			}
			if ctx, _ := ld["@context"].(string); !strings.Contains(ctx, "schema.org") {
				t.Errorf("%s: @context %v", loc.Path, ld["@context"])
			}
			typ, _ := ld["@type"].(string)
			if typ == "" {
				t.Errorf("%s: no @type", loc.Path)
			}
			types[typ] = true
			if loc.Path == "/" && typ != "GovernmentOrganization" {
				t.Errorf("home page: @type %q", typ)
			}
		}
		for _, typ := range []string{"GovernmentOrganization", "WebPage", "NewsArticle", "Event"} {
			if !types[typ] {
				t.Errorf("no page of the demo is described as %s (%v)", typ, types)
			}
		}

		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		for _, p := range []string{"/gestion", "/compte"} {
			res := admin.Get(p)
			if res.Status != 200 {
				t.Fatalf("%s: %d", p, res.Status)
			}
			if len(ogOf(res.Body)) > 0 || jsonLDBlock.MatchString(res.Body) || strings.Contains(res.Body, `rel="canonical"`) {
				t.Errorf("%s: a private page describes itself", p)
			}
			if !strings.Contains(res.Body, `<meta name="robots" content="noindex">`) {
				t.Errorf("%s: no noindex", p)
			}
		}
	}, apptest.WithDemoData())
}
