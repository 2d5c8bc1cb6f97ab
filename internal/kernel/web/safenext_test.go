package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/kernel/web"
)

var siteBase, _ = url.Parse("http://montclair.localhost/compte")

// browserResolve resolves ref against base the way a browser's URL parser
// does for an http URL: C0 controls and spaces around it trimmed, tabs and
// newlines removed anywhere, backslashes read as slashes before the query.
func browserResolve(base *url.URL, ref string) (*url.URL, error) {
	ref = strings.TrimFunc(ref, func(r rune) bool { return r <= ' ' })
	ref = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(ref)
	head, tail := ref, ""
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		head, tail = ref[:i], ref[i:]
	}
	return base.Parse(strings.ReplaceAll(head, `\`, "/") + tail)
}

// redirectTarget is where a browser goes when a handler redirects to next:
// the Location header http.Redirect writes, resolved as a browser would.
func redirectTarget(t *testing.T, next string) *url.URL {
	t.Helper()
	rec := httptest.NewRecorder()
	http.Redirect(rec, httptest.NewRequest(http.MethodGet, siteBase.String(), nil), next, http.StatusSeeOther)
	u, err := browserResolve(siteBase, rec.Header().Get("Location"))
	if err != nil {
		t.Fatalf("%q: the browser cannot read the redirect: %v", next, err)
	}
	return u
}

func TestSafeNextRefusesOtherSites(t *testing.T) {
	t.Parallel()
	attacks := []string{
		"/%09/evil.example", "/\t/evil.example", "/%0a/evil.example", "/\n/evil.example", "/\r/evil.example",
		"/%0d/evil.example", "//evil.example", "///evil.example", "/\\evil.example", "\\/\\/evil.example",
		"/%5C/evil.example", "/%5c/evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "https://evil.example",
		"http:evil.example", "javascript:alert(1)", "data:text/html,x", " //evil.example", "\t//evil.example",
		"\\\\evil.example", "/\\/evil.example", "/%00/evil.example", "/\x7f/evil.example", "evil.example", "",
		"/%", "/%zz", "/0#%0",
	}
	for _, next := range attacks {
		if got := web.SafeNext(next, "/compte"); got != "/compte" {
			t.Errorf("SafeNext(%q) = %q, want the fallback", next, got)
		}
	}
	local := []string{"/compte", "/compte/donnees?onglet=1#haut", "/recherche?q=%2F%2Fevil.example",
		"/rendez-vous/état-civil", "/agenda?suite=//evil.example", "/"}
	for _, next := range local {
		if got := web.SafeNext(next, "/compte"); got != next {
			t.Errorf("SafeNext(%q) = %q, want it kept", next, got)
		}
	}
	for _, next := range append(attacks, local...) {
		if u := redirectTarget(t, web.SafeNext(next, "/compte")); u.Host != siteBase.Host {
			t.Errorf("SafeNext(%q) sends the browser to %s", next, u)
		}
	}
}

// Whatever SafeNext keeps, a browser following the redirect stays on the site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/compte", "/%09/evil", "//evil", "/\\evil", "/a?b#c", "https://evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := web.SafeNext(next, "/")
		if u := redirectTarget(t, got); u.Host != siteBase.Host {
			t.Fatalf("SafeNext(%q) = %q leads to %s", next, got, u)
		}
	})
}
