package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"guichet/internal/apptest"
)

// pageForm is one form found on the demo site, as a visitor sees it.
type pageForm struct {
	b      *apptest.Browser
	who    string
	method string
	action string
	values url.Values // what the form sends untouched
	names  []string   // its fields a person types or picks, in order
}

func (f pageForm) String() string { return f.who + " " + f.method + " " + f.action }

// leaves are forms a fuzzer must not send: they end the session it
// explores with, or the account.
var leaves = []string{"/deconnexion", "/compte/supprimer", "/connexion/deuxieme-facteur"}

// ids are the random identifiers of records in addresses.
var ids = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]{4}-[0-9]{2}-[0-9]{2}`)

// shape is an address with its identifiers and dates left out: the pages
// and forms of one kind share it.
func shape(path string) string { return ids.ReplaceAllString(path, "…") }

// crawl visits the pages reachable from start by links, as b, a few of
// each shape, and returns the forms they hold, one of each shape.
func crawl(t testing.TB, b *apptest.Browser, who string, start []string, limit int) []pageForm {
	seen, shapes := map[string]bool{}, map[string]int{}
	queue := slices.Clone(start)
	var forms []pageForm
	formSeen := map[string]bool{}
	for len(queue) > 0 && len(seen) < limit {
		path := queue[0]
		queue = queue[1:]
		if seen[path] || shapes[shape(path)] >= 2 {
			continue
		}
		seen[path] = true
		shapes[shape(path)]++
		res := b.Get(path)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		links, found := parsePage(path, res.Body)
		for _, l := range links {
			if !seen[l] {
				queue = append(queue, l)
			}
		}
		for _, f := range found {
			f.b, f.who = b, who
			key := f.method + " " + shape(f.action) + " " + strings.Join(f.names, ",")
			if !formSeen[key] && !slices.ContainsFunc(leaves, func(l string) bool { return strings.HasPrefix(f.action, l) }) {
				formSeen[key] = true
				forms = append(forms, f)
			}
		}
	}
	return forms
}

// parsePage returns a page's local links and its forms.
func parsePage(path, body string) ([]string, []pageForm) {
	var links []string
	var forms []pageForm
	var cur *pageForm
	var textarea string
	var selectName string
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return links, forms
		}
		tok := z.Token()
		attr := func(k string) string {
			for _, a := range tok.Attr {
				if a.Key == k {
					return a.Val
				}
			}
			return ""
		}
		switch {
		case tt == html.StartTagToken && tok.Data == "a":
			if h := attr("href"); strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//") && !strings.HasPrefix(h, "/static/") {
				h, _, _ = strings.Cut(h, "#")
				links = append(links, h)
			}
		case tt == html.StartTagToken && tok.Data == "form":
			action := attr("action")
			if action == "" {
				action = path
			}
			cur = &pageForm{method: strings.ToUpper(cmpOr(attr("method"), "GET")), action: action, values: url.Values{}}
		case tt == html.EndTagToken && tok.Data == "form" && cur != nil:
			if strings.HasPrefix(cur.action, "/") {
				forms = append(forms, *cur)
			}
			cur = nil
		case cur == nil:
		case (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && tok.Data == "input":
			name, typ := attr("name"), attr("type")
			switch {
			case name == "" || typ == "submit" || typ == "button" || typ == "file":
			case typ == "hidden":
				cur.values.Add(name, attr("value"))
			case typ == "checkbox" || typ == "radio":
				if !slices.Contains(cur.names, name) {
					cur.names = append(cur.names, name)
					cur.values.Set(name, attr("value"))
				}
			default:
				cur.names = append(cur.names, name)
				cur.values.Set(name, attr("value"))
			}
		case tt == html.StartTagToken && tok.Data == "select":
			selectName = attr("name")
			if selectName != "" {
				cur.names = append(cur.names, selectName)
			}
		case tt == html.StartTagToken && tok.Data == "option" && selectName != "":
			if _, set := cur.values[selectName]; !set || attr("selected") != "" {
				cur.values.Set(selectName, attr("value"))
			}
		case tt == html.EndTagToken && tok.Data == "select":
			selectName = ""
		case tt == html.StartTagToken && tok.Data == "textarea":
			textarea = attr("name")
			if textarea != "" {
				cur.names = append(cur.names, textarea)
				cur.values.Set(textarea, "")
			}
		case tt == html.TextToken && textarea != "":
			cur.values.Set(textarea, tok.Data)
		case tt == html.EndTagToken && tok.Data == "textarea":
			textarea = ""
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// demoForms signs in the demo's visitors, crawls the town's site as each
// and returns every form found, in a stable order.
func demoForms(f *testing.F) []pageForm {
	e := apptest.New(f, "sqlite:"+filepath.Join(f.TempDir(), "forms.db"), apptest.WithDemoData())
	visitors := []struct {
		who, email string
		start      []string
	}{
		{"anonymous", "", []string{"/", "/inscription", "/connexion", "/mot-de-passe-oublie", "/questions", "/alertes"}},
		{"resident", "habitante@courriel.localhost", []string{"/", "/compte", "/demarches", "/rendez-vous"}},
		{"admin", "admin@montclair.localhost", []string{"/gestion", "/compte"}},
		{"operator", "operateur@guichet.localhost", []string{"/", "/gestion"}},
	}
	var forms []pageForm
	for _, v := range visitors {
		b := e.Browser(e.Town)
		if v.who == "operator" {
			b = e.Browser(e.Platform)
		}
		if v.email != "" {
			b.SignInDemo(f, v.email)
		}
		forms = append(forms, crawl(f, b, v.who, v.start, 150)...)
	}
	// The same order in every fuzzing process, whose demo records have
	// other identifiers.
	key := func(f pageForm) string {
		return f.who + " " + f.method + " " + shape(f.action) + " " + strings.Join(f.names, ",")
	}
	sort.SliceStable(forms, func(i, j int) bool { return key(forms[i]) < key(forms[j]) })
	if len(forms) < 20 {
		f.Fatalf("only %d forms found on the demo site", len(forms))
	}
	return forms
}

// FuzzForms sends every form of the demo site, as the visitor who sees it
// (anonymous, resident, administrator), with one field or all of them
// holding what the fuzzer makes: whatever a form receives, the answer is a
// page, a redirect or a refusal, never a server error.
//
//fuzz:time 15s
func FuzzForms(f *testing.F) {
	forms := demoForms(f)
	for i := range forms {
		f.Add(uint16(i), uint8(0), "", false)
	}
	for _, v := range []string{"Léa Dubois", "2026-02-30", "24:00", "NaN", "-1", "99999999999999999999", "\xff\xfe", "a\x00b",
		"<script>alert(1)</script>", "' OR 1=1 --", strings.Repeat("é", 5000), "/%09/evil.example", "1e308", " "} {
		f.Add(uint16(len(v)), uint8(len(v)/3), v, len(v)%2 == 0)
	}
	f.Fuzz(func(t *testing.T, which uint16, field uint8, value string, every bool) {
		form := forms[int(which)%len(forms)]
		values := url.Values{}
		for k, v := range form.values {
			values[k] = slices.Clone(v)
		}
		if len(form.names) > 0 {
			if every {
				for _, n := range form.names {
					values.Set(n, value)
				}
			} else {
				values.Set(form.names[int(field)%len(form.names)], value)
			}
		}
		status, body, err := send(form, values)
		if err != nil {
			t.Fatalf("%s: %v", form, err)
		}
		if status >= 500 && status != http.StatusServiceUnavailable {
			t.Fatalf("%s with %q: %d\n%.300s", form, values.Encode(), status, body)
		}
	})
}

// send submits values to form as its browser would.
func send(form pageForm, values url.Values) (int, string, error) {
	target := "http://" + form.b.Host + form.action
	var req *http.Request
	var err error
	if form.method == http.MethodPost {
		req, err = http.NewRequest(http.MethodPost, target, strings.NewReader(values.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		u, perr := url.Parse(target)
		if perr != nil {
			return 0, "", perr
		}
		u.RawQuery = values.Encode()
		req, err = http.NewRequest(http.MethodGet, u.String(), nil)
	}
	if err != nil {
		return 0, "", fmt.Errorf("request: %w", err)
	}
	res, err := form.b.Client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res.StatusCode, string(body), err
}
