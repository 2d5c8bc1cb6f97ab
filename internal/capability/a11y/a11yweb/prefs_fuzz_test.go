package a11yweb

import (
	"slices"
	"strings"
	"testing"
)

// FuzzDecodePrefs checks the display preferences read from the
// "affichage" cookie: only known classes reach the page's <html>, and
// what is read writes back to a cookie that reads the same.
func FuzzDecodePrefs(f *testing.F) {
	for _, s := range []string{"larger-wide-contrast", "large", "wide", "contrast", "", "huge-wide", "larger--contrast", "\" onload=x"} {
		f.Add(s)
	}
	classes := []string{"text-large", "text-larger", "spacing-wide", "contrast-high"}
	f.Fuzz(func(t *testing.T, cookie string) {
		p := decodePrefs(cookie)
		for _, c := range strings.Fields(htmlClass(p)) {
			if !slices.Contains(classes, c) {
				t.Fatalf("cookie %q gives class %q", cookie, c)
			}
		}
		again := encodePrefs(p)
		if decodePrefs(again) != p || strings.Trim(again, "abcdefghijklmnopqrstuvwxyz-") != "" {
			t.Fatalf("cookie %q read as %+v, written as %q", cookie, p, again)
		}
	})
}
