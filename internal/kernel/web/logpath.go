package web

import (
	"net/http"
	"regexp"
	"strings"
)

// maskedSegment replaces a secret in a logged path.
const maskedSegment = "•••"

// secretWildcards are the wildcards of route patterns that hold the secret
// of an emailed link (manage links, confirmations, invitations, access).
var secretWildcards = map[string]bool{"{token}": true, "{code}": true}

var uuidSegment = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// LoggedPath is r's path as a log may keep it: the segments its route
// names {token} or {code} are masked; on a path no route matched, every
// segment long enough to be a secret (16 characters, a UUID excepted,
// which opens nothing alone). The query string is never logged.
func LoggedPath(r *http.Request) string {
	pattern := r.Pattern
	if ex := exchangeOf(r.Context()); pattern == "" && ex != nil {
		pattern = matched(ex.pattern)
	}
	return maskPath(pattern, r.URL.EscapedPath())
}

// matched is the pattern of an exchange's route, "" when none matched.
func matched(route string) string {
	if route == "unmatched" {
		return ""
	}
	return route
}

// maskPath masks the secrets of path, matched by pattern ("" for none).
func maskPath(pattern, path string) string {
	segments := strings.Split(path, "/")
	if pattern == "" {
		for i, s := range segments {
			if len(s) >= 16 && !uuidSegment.MatchString(s) {
				segments[i] = maskedSegment
			}
		}
		return strings.Join(segments, "/")
	}
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	wild := strings.Split(pattern, "/")
	for i := range segments {
		if i < len(wild) && secretWildcards[wild[i]] {
			segments[i] = maskedSegment
		}
	}
	return strings.Join(segments, "/")
}
