package app_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/web"
)

// The authorisation matrix: one row per route of the server, saying who may
// use it. TestAuthorisationMatrix lists the routes from the server itself,
// so that a route added without its row (or a row left for a removed
// route) fails the test; then it sends every route's request as every
// identity and checks that those the rule allows get through and the others
// are turned away. Each capability declares the rows of its routes
// (kernel.Guarded, in its web package's authz.go); the kernel's and
// identity's are in authz_foundation_test.go.

// rowsOf returns the kernel's rows and those of every capability
// installed in e.
func rowsOf(e *apptest.Env) []access.Row {
	rows := kernelRows()
	for _, c := range e.App.Installed() {
		if g, ok := c.(kernel.Guarded); ok {
			rows = append(rows, g.AccessRows()...)
		}
	}
	return rows
}

// identity is who sends a request: where their session lives, what it
// grants.
type identity struct {
	name string
	// home is the collectivité ("town", "village", "platform") whose
	// session cookie the identity sends, "" for none.
	home, email string
	roles       []account.Role
	services    []string
	pending     bool // signed in, second factor not passed
	owner       bool // the demo resident owning the rows' records
}

// has reports whether the identity holds role, as account.Identity does.
func (id identity) has(role account.Role) bool {
	return slices.Contains(id.roles, role) || (role != account.RoleOperator && slices.Contains(id.roles, account.RoleAdmin))
}

// siteIdentities send requests to the town's host.
var siteIdentities = []identity{
	{name: "anonymous"},
	{name: "resident", home: "town", email: townResident, owner: true},
	{name: "other resident", home: "town", email: "habitant@courriel.localhost"},
	{name: "admin", home: "town", email: "admin@montclair.localhost", roles: roles(account.RoleAdmin)},
	{name: "agent état civil", home: "town", email: townAgent, roles: roles(account.RoleAgent), services: []string{"etat-civil"}},
	{name: "agent urbanisme", home: "town", email: "urbanisme@montclair.localhost", roles: roles(account.RoleAgent),
		services: []string{"urbanisme"}},
	{name: "editor", home: "town", email: "communication@montclair.localhost", roles: roles(account.RoleEditor)},
	{name: "secretary", home: "town", email: "secretariat@montclair.localhost", roles: roles(account.RoleSecretary)},
	{name: "moderator", home: "town", email: "moderation@montclair.localhost", roles: roles(account.RoleModerator)},
	{name: "admin before second factor", home: "town", email: "admin@montclair.localhost", pending: true},
	{name: "village admin", home: "village", email: "mairie@sauvigny.localhost",
		roles: roles(account.RoleAdmin, account.RoleSecretary)},
	{name: "operator", home: "platform", email: "operateur@guichet.localhost", roles: roles(account.RoleOperator)},
}

// platformIdentities send requests to the operator's host.
var platformIdentities = []identity{
	{name: "anonymous"},
	{name: "operator", home: "platform", email: "operateur@guichet.localhost", roles: roles(account.RoleOperator)},
	{name: "operator before second factor", home: "platform", email: "operateur@guichet.localhost", pending: true},
	{name: "platform account without role", home: "platform", email: platformUser},
	{name: "town admin", home: "town", email: "admin@montclair.localhost", roles: roles(account.RoleAdmin)},
	{name: "town resident", home: "town", email: townResident},
}

func roles(r ...account.Role) []account.Role { return r }

// allows reports whether r lets id through on a host of home.
func allows(r access.Rule, id identity, home string) bool {
	local := id.home == home
	full := local && !id.pending
	switch r.Kind {
	case access.Anyone, access.TokenHolder:
		return true
	case access.PendingToo:
		return local
	case access.SignedIn:
		return full
	case access.RecordOwner:
		return full && id.owner
	case access.StaffRole:
		return full && slices.ContainsFunc(r.Roles, id.has)
	case access.ServiceStaff:
		return full && slices.ContainsFunc(r.Roles, id.has) &&
			(id.has(account.RoleAdmin) || slices.Contains(id.services, r.Service))
	case access.OperatorRole:
		return full && id.has(account.RoleOperator)
	case access.OneOf:
		return slices.ContainsFunc(r.Any, func(sub access.Rule) bool { return allows(sub, id, home) })
	}
	return false
}

// staffGuarded reports whether only staff may use the route: its pages
// are behind the staff guard, which sends staff owing the second factor
// to it.
func staffGuarded(r access.Rule) bool {
	switch r.Kind {
	case access.StaffRole, access.ServiceStaff, access.OperatorRole:
		return true
	}
	return false
}

// answer is what a request got.
type answer struct {
	status   int
	location string
}

func (a *answer) String() string {
	if a.location != "" {
		return fmt.Sprintf("%d to %s", a.status, a.location)
	}
	return fmt.Sprint(a.status)
}

// refused reports whether the answer turns the visitor away: 401, 403,
// 404, or a redirect to sign in or to the second factor.
func (a *answer) refused() bool {
	switch a.status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	if a.status < 300 || a.status > 399 {
		return false
	}
	u, err := url.Parse(a.location)
	if err != nil {
		return false
	}
	// A redirect to the sign-in page without "suite" follows a success
	// (a verified address).
	return (u.Path == "/connexion" && u.Query().Has("suite")) || a.toSecondFactor()
}

// toSecondFactor reports whether the answer sends to the second factor.
func (a *answer) toSecondFactor() bool {
	u, err := url.Parse(a.location)
	return a.status >= 300 && a.status <= 399 && err == nil && u.Path == account.SecondFactorPath
}

// served reports whether the answer is the route's own: not refused, no
// server error. The second factor's own pages send back to it.
func (a *answer) served(r access.Rule) bool {
	return (!a.refused() || (r.Kind == access.PendingToo && a.toSecondFactor())) && a.status < 500
}

// TestAuthorisationMatrix checks every route's row as every identity, on
// the whole demo of each database.
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		rows, problems := matchRows(e.App.Web.Routes(), rowsOf(e))
		for _, p := range problems {
			t.Error(p)
		}
		f := newFixtures(t, e)
		m := newMatrix(t, e, f)
		for _, r := range rows {
			t.Run(r.Route, func(t *testing.T) {
				f.t = t // a build's failure is its row's
				m.check(t, r)
			})
		}
		f.t = t
	}, apptest.WithDemoData())
}

// matchRows returns the row of every route, and names each route without
// a row, each row without a route and each route with two rows.
func matchRows(routes []web.Route, table []access.Row) (rows []access.Row, problems []string) {
	byRoute := map[string]access.Row{}
	for _, r := range table {
		if _, dup := byRoute[r.Route]; dup {
			problems = append(problems, "two rows for "+r.Route)
		}
		byRoute[r.Route] = r
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Host + " " + rt.Pattern
		seen[key] = true
		r, ok := byRoute[key]
		if !ok {
			problems = append(problems, "route "+key+" has no row in the authorisation matrix"+
				" (its capability's AccessRows, or kernelRows)")
			continue
		}
		rows = append(rows, r)
	}
	var stale []string
	for key := range byRoute {
		if !seen[key] {
			stale = append(stale, "the authorisation matrix has a row for "+key+", which the server no longer registers")
		}
	}
	sort.Strings(stale)
	return rows, append(problems, stale...)
}

// matrix sends the rows' requests as every identity.
type matrix struct {
	e       *apptest.Env
	f       *fixtures
	client  *http.Client
	cookies map[string]string // "name@home" of an identity → its session cookie
}

func newMatrix(t *testing.T, e *apptest.Env, f *fixtures) *matrix {
	client := *e.BrowserFor("localhost").Client
	client.Jar = nil // each request carries exactly its identity's cookie
	m := &matrix{e: e, f: f, client: &client, cookies: map[string]string{}}
	for _, set := range [][]identity{siteIdentities, platformIdentities} {
		for _, id := range set {
			f.checkGrant(t, id)
			m.cookies[id.name+"@"+id.home] = f.session(t, id)
		}
	}
	return m
}

// attempt is one request of a row, by one identity.
type attempt struct {
	who     string
	call    access.Call
	cookie  string
	allowed bool
	forged  bool // the secret in the request is made up
	pending bool // signed in on this host, second factor not passed
}

// check sends the row's request as each identity of its scope: first
// those the rule refuses, which must be turned away without any change to
// the database, then those it allows, which must be served.
func (m *matrix) check(t *testing.T, r access.Row) {
	scope, pattern, _ := strings.Cut(r.Route, " ")
	method, _, _ := strings.Cut(pattern, " ")
	host, home := m.e.Host(m.e.Town), "town"
	if scope == web.ScopePlatform {
		host, home = m.e.Host(m.e.Platform), "platform"
	}
	attempts := m.attempts(t, r, home)
	m.f.settle() // what earlier rows set going ends first
	before := m.f.fingerprint(t)
	for _, a := range attempts {
		if a.allowed {
			continue
		}
		res := m.send(t, method, host, pattern, a.call, a.cookie)
		if ok := res.refused() || (a.forged && res.status >= 400 && res.status < 500); !ok {
			t.Errorf("%s (%s): %s got %s, want a refusal", r.Route, r.Rule, a.who, res)
		}
		if a.pending && method == http.MethodGet && staffGuarded(r.Rule) && !strings.HasPrefix(pattern, "GET /api/") && !res.toSecondFactor() {
			t.Errorf("%s (%s): %s got %s, want sent to the second factor by the staff guard", r.Route, r.Rule, a.who, res)
		}
	}
	if changed := m.f.fingerprint(t).diff(before); len(changed) > 0 {
		t.Errorf("%s: refused requests changed %s", r.Route, strings.Join(changed, "; "))
	}
	for _, a := range attempts {
		if !a.allowed {
			continue
		}
		res := m.send(t, method, host, pattern, a.call, a.cookie)
		if !res.served(r.Rule) {
			t.Errorf("%s (%s): %s got %s, want it served", r.Route, r.Rule, a.who, res)
		}
	}
	if method == http.MethodGet && r.Rule.Kind == access.TokenHolder && !r.GETWrites {
		if changed := m.f.fingerprint(t).diff(before); len(changed) > 0 {
			t.Errorf("%s: opening the link changed %s; a mail scanner opens links: show a page, act on POST",
				r.Route, strings.Join(changed, "; "))
		}
	}
}

// attempts builds the row's requests, one per identity of the host of
// home, and one with a made-up secret when the row has one.
func (m *matrix) attempts(t *testing.T, r access.Row, home string) []attempt {
	ids := siteIdentities
	if home == "platform" {
		ids = platformIdentities
	}
	var shared *access.Call
	out := make([]attempt, 0, len(ids)+1)
	for _, id := range ids {
		var c access.Call
		switch {
		case r.Fresh:
			c = r.Build(m.f)
		case shared == nil:
			c = r.Build(m.f)
			shared = &c
		default:
			c = *shared
		}
		cookie := m.cookies[id.name+"@"+id.home]
		if r.NewSession {
			cookie = m.f.session(t, id)
		}
		out = append(out, attempt{who: id.name, call: c, cookie: cookie, allowed: allows(r.Rule, id, home),
			pending: id.pending && id.home == home})
	}
	if secret := r.WrongToken; secret != "" {
		c := r.Build(m.f)
		const madeUp = "jeton-invente-0123456789abcdefghijklmnop"
		switch {
		case c.Params[secret] != "":
			c.Params = maps.Clone(c.Params)
			c.Params[secret] = madeUp
		case c.Query.Get(secret) != "":
			c.Query = maps.Clone(c.Query)
			c.Query.Set(secret, madeUp)
		case c.Form.Get(secret) != "":
			c.Form = maps.Clone(c.Form)
			c.Form.Set(secret, madeUp)
		default:
			t.Fatalf("%s: no secret %q in the request", r.Route, secret)
		}
		out = append(out, attempt{who: "anonymous with a made-up secret", call: c, forged: true})
	}
	return out
}

// send makes one same-origin request for pattern with c's values.
func (m *matrix) send(t *testing.T, method, host, pattern string, c access.Call, cookie string) *answer {
	t.Helper()
	_, p, _ := strings.Cut(pattern, " ")
	p = expand(t, p, c.Params)
	if c.Path != "" {
		if !strings.HasPrefix(c.Path, p) {
			t.Fatalf("path %s is not under %s", c.Path, p)
		}
		p = c.Path
	}
	if len(c.Query) > 0 {
		p += "?" + c.Query.Encode()
	}
	var body io.Reader
	contentType := ""
	switch {
	case c.JSON != "":
		body, contentType = strings.NewReader(c.JSON), "application/json"
	case c.Form != nil || (method != http.MethodGet && method != http.MethodHead):
		body, contentType = strings.NewReader(c.Form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, "http://"+host+p, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", "http://"+host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: account.CookieName, Value: cookie})
	}
	for name, v := range c.Cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: v})
	}
	res, err := m.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, p, err)
	}
	defer res.Body.Close()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return &answer{status: res.StatusCode} // a stream does not end: its status is the answer
	}
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		t.Fatalf("%s %s: %v", method, p, err)
	}
	return &answer{status: res.StatusCode, location: res.Header.Get("Location")}
}

// expand fills the wildcards of a path pattern: "/a/{id}" → "/a/42".
func expand(t *testing.T, pattern string, params map[string]string) string {
	t.Helper()
	pattern = strings.TrimSuffix(pattern, "{$}")
	var b strings.Builder
	for {
		open := strings.IndexByte(pattern, '{')
		if open < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		end := strings.IndexByte(pattern[open:], '}')
		name := strings.TrimSuffix(pattern[open+1:open+end], "...")
		v, ok := params[name]
		if !ok {
			t.Fatalf("no value for {%s} in %s", name, pattern)
		}
		b.WriteString(pattern[:open])
		b.WriteString(url.PathEscape(v))
		pattern = pattern[open+end+1:]
	}
}

// ctx is the context of the fixtures' reads and writes.
var ctx = context.Background()

// The matrix names a route registered without its row, a row left for a
// route the server no longer registers, and a route with two rows.
func TestAuthorisationMatrixNamesMissingRows(t *testing.T) {
	t.Parallel()
	routes := []web.Route{{Host: web.ScopeSite, Pattern: "GET /compte"}, {Host: web.ScopeSite, Pattern: "POST /nouvelle"}}
	table := []access.Row{access.For("site GET /compte", access.SignedInOnly(), nil),
		access.For("platform GET /ancienne", access.Public(), nil), access.For("site GET /compte", access.Public(), nil)}
	rows, problems := matchRows(routes, table)
	if len(rows) != 1 || rows[0].Route != "site GET /compte" {
		t.Errorf("rows = %v, want the one of site GET /compte", rows)
	}
	want := []string{
		"two rows for site GET /compte",
		"route site POST /nouvelle has no row in the authorisation matrix (its capability's AccessRows, or kernelRows)",
		"the authorisation matrix has a row for platform GET /ancienne, which the server no longer registers",
	}
	if !slices.Equal(problems, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}
