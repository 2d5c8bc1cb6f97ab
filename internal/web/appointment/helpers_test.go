package appointmentweb_test

import (
	"html"
	"net/url"
	"regexp"
)

func regexpFind(body, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

var inputRE = regexp.MustCompile(`<input id="[^"]*" name="([^"]+)" type="(?:text|number|time)"\s*value="([^"]*)"`)

// formValues reads the text inputs of a rendered form and its checked boxes.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="1" checked`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "1")
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}
