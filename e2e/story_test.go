package e2e

import (
	"sort"
	"strings"
	"testing"
)

// story checks each page a capability's browser story visits on one
// collectivité: no axe violation, no horizontal scroll at 320 px, and its
// HTML kept for one Nu HTML Checker run at the end (finish).
type story struct {
	t    *testing.T
	host string
	html *htmlStore
}

func newStory(t *testing.T, host string) *story {
	return &story{t: t, host: host, html: newHTMLStore(t)}
}

// check inspects the page tb shows and keeps its HTML under label.
func (s *story) check(tb *tab, label string) {
	s.t.Helper()
	checkPage(s.t, tb, label)
	src, err := tb.source()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.html.add(label, src); err != nil {
		s.t.Fatal(err)
	}
}

// open loads path on the story's collectivité, wants 200, and checks it.
func (s *story) open(tb *tab, path, label string) {
	s.t.Helper()
	status, err := tb.open(site.url(s.host, path))
	if err != nil || status != 200 {
		s.t.Fatalf("%s: status %d, %v", path, status, err)
	}
	s.check(tb, label)
}

// finish runs the Nu HTML Checker on every page kept and fails the test
// for each page with errors.
func (s *story) finish() {
	s.t.Helper()
	errs, err := nuErrors(s.html)
	if err != nil {
		s.t.Fatal(err)
	}
	labels := make([]string, 0, len(errs))
	for l := range errs {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		s.t.Errorf("%s: %d Nu HTML Checker errors:\n    %s", l, len(errs[l]), strings.Join(errs[l], "\n    "))
	}
}
