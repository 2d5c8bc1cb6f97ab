package mail

import (
	"net/url"
	"regexp"
	"strings"
)

var (
	linkRE = regexp.MustCompile(`https?://[^\s<>"']+`)
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// masked replaces what a link must not show.
const masked = "•••"

// MaskLinks hides the secret parts of the links in a message's text, for
// the operator console: every query value, the fragment, and every path
// segment long enough to be a token (16 characters or more) unless it is
// a record's identifier (a UUID, which opens nothing by itself). A long
// slug is hidden too: better an unreadable path than a usable link.
func MaskLinks(text string) string {
	return linkRE.ReplaceAllStringFunc(text, maskLink)
}

func maskLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return masked
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://" + u.Host)
	segments := strings.Split(u.EscapedPath(), "/")
	for i, s := range segments {
		if len(s) >= 16 && !uuidRE.MatchString(s) {
			segments[i] = masked
		}
	}
	b.WriteString(strings.Join(segments, "/"))
	if u.RawQuery != "" {
		var pairs []string
		for _, p := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(p, "=")
			if len(name) >= 16 {
				name = masked
			}
			pairs = append(pairs, name+"="+masked)
		}
		b.WriteString("?" + strings.Join(pairs, "&"))
	}
	if u.Fragment != "" {
		b.WriteString("#" + masked)
	}
	return b.String()
}
