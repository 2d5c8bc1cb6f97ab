package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// redirectPayloads are return paths that a careless check lets through to
// another site, in the forms browsers accept.
var redirectPayloads = []string{
	"//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example",
	"/%09/evil.example", "/\t/evil.example", "/%0a/evil.example", "/\n/evil.example", "/%0d/evil.example",
	"/%2F/evil.example", "/%2f%2fevil.example", "/%5C/evil.example", "/%5c%5cevil.example", "\\/\\/evil.example",
	"/\\/evil.example", "https://evil.example", "http:evil.example", "javascript:alert(1)", "//evil.example/%2F..",
	"/.//evil.example", "/ /evil.example", "%2F%2Fevil.example", "/%E3%80%82evil.example", "//evil%E3%80%82example",
	"/\u3000/evil.example", "//%65vil.example", "/%252F%252Fevil.example",
}

// sameSite resolves location as a browser may (escapes decoded, tab and
// newlines dropped, backslashes read as slashes) and reports whether it
// stays on host.
func sameSite(host, location string) bool {
	clean := location
	if decoded, err := url.PathUnescape(location); err == nil {
		clean = decoded
	}
	clean = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(clean)
	base := &url.URL{Scheme: "http", Host: host, Path: "/"}
	u, err := base.Parse(clean)
	if err != nil {
		return false
	}
	return u.Scheme == "http" && u.Host == host && !strings.Contains(strings.ToLower(u.Host), "evil")
}

var suiteField = regexp.MustCompile(`name="suite" value="([^"]*)"`)

// redirects sends every payload through the language switch and through a
// real sign-in of the demo resident.
func (p *probe) redirects() {
	fmt.Println("== open redirects:", len(redirectPayloads), "payloads")
	c := client("127.0.0.1")
	for _, payload := range redirectPayloads {
		res, _, err := p.send(c, http.MethodGet, p.town(), "/langue/fr?suite="+url.QueryEscape(payload), nil, nil)
		if err != nil {
			p.check(false, "language switch with %q: %v", payload, err)
			continue
		}
		loc := res.Header.Get("Location")
		p.check(sameSite(p.town(), loc), "language switch with %q redirects to %q", payload, loc)

		// The sign-in form carries the return path, then a real sign-in uses it.
		_, body, err := p.send(c, http.MethodGet, p.town(), "/connexion?suite="+url.QueryEscape(payload), nil, nil)
		if err == nil {
			if m := suiteField.FindStringSubmatch(body); m != nil {
				p.check(sameSite(p.town(), htmlUnescape(m[1])), "sign-in form keeps %q as its return path", payload)
			}
		}
		status, _ := 0, ""
		resSignIn, _, err := p.send(client("127.0.0.2"), http.MethodPost, p.town(), "/connexion",
			strings.NewReader(url.Values{"email": {"habitante@courriel.localhost"}, "password": {"Guichet-Demo-2026!"},
				"suite": {payload}}.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		if err != nil {
			p.check(false, "sign-in with %q: %v", payload, err)
			continue
		}
		status = resSignIn.StatusCode
		loc = resSignIn.Header.Get("Location")
		p.check(status == http.StatusSeeOther && sameSite(p.town(), loc),
			"sign-in with return path %q answers %d to %q", payload, status, loc)
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
}
