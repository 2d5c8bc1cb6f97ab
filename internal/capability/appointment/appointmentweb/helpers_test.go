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

var (
	selectRE   = regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formValues reads the text inputs of a rendered form, its checked boxes
// and its selected options.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="1" checked`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "1")
	}
	for _, m := range selectRE.FindAllStringSubmatch(body, -1) {
		if o := selectedRE.FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], html.UnescapeString(o[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}
