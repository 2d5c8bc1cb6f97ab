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
	"guichet/internal/kernel/web"
)

// The authorisation matrix: one row per route of the server, saying who may
// use it. TestAuthorisationMatrix lists the routes from the server itself,
// so that a route added without its row (or a row left for a removed
// route) fails the test; then it sends every route's request as every
// identity and checks that those the rule allows get through and the others
// are turned away. Rows live beside their module's in authz_<domain>_test.go.

// access is the kind of an access rule.
type access int

const (
	anyone       access = iota // public
	tokenHolder                // public, the secret in the path or query being the credential
	signedIn                   // a person signed in on this site, second factor passed when owed
	pendingToo                 // signed in, even before the second factor (its own pages)
	recordOwner                // the demo resident, whose records the row targets
	staffRole                  // staff holding one of roles (administrators hold every role)
	serviceStaff               // staff holding one of roles whose services include the record's
	operatorRole               // the platform's operator
	oneOf                      // any of several rules
)

// rule says who may use a route.
type rule struct {
	kind    access
	roles   []account.Role
	service string
	any     []rule
}

func public() rule                         { return rule{kind: anyone} }
func tokenHolders() rule                   { return rule{kind: tokenHolder} }
func signedInOnly() rule                   { return rule{kind: signedIn} }
func secondFactorPages() rule              { return rule{kind: pendingToo} }
func ownerOnly() rule                      { return rule{kind: recordOwner} }
func staffOnly(roles ...account.Role) rule { return rule{kind: staffRole, roles: roles} }
func operatorOnly() rule                   { return rule{kind: operatorRole} }

// anyStaff is staff of any role, the operator included on the platform.
func anyStaff() rule {
	return staffOnly(account.RoleAdmin, account.RoleAgent, account.RoleEditor, account.RoleSecretary,
		account.RoleModerator, account.RoleOperator)
}

// either lets through whoever one of rules lets through.
func either(rules ...rule) rule { return rule{kind: oneOf, any: rules} }

// ofService is staff of roles scoped to service (administrators: every service).
func ofService(service string, roles ...account.Role) rule {
	return rule{kind: serviceStaff, roles: roles, service: service}
}

func (r rule) String() string {
	switch r.kind {
	case anyone:
		return "public"
	case tokenHolder:
		return "token holder"
	case signedIn:
		return "signed in"
	case pendingToo:
		return "signed in, second factor pending or not"
	case recordOwner:
		return "the record's owner"
	case staffRole:
		return fmt.Sprintf("staff %v", r.roles)
	case serviceStaff:
		return fmt.Sprintf("staff %v of service %s", r.roles, r.service)
	case oneOf:
		names := make([]string, len(r.any))
		for i, sub := range r.any {
			names[i] = sub.String()
		}
		return strings.Join(names, " or ")
	default:
		return "operator"
	}
}

// call is one request of a row: the values of the pattern's wildcards,
// and a body (form or JSON).
type call struct {
	params map[string]string
	query  url.Values
	form   url.Values
	json   string
	// path replaces the pattern's, for a pattern ending in "/" (a prefix).
	path string
	// cookies are sent beside the identity's session cookie.
	cookies map[string]string
}

// authzRow is the access rule of one route and how to call it.
type authzRow struct {
	// route is "<scope> <pattern>": "site GET /compte".
	route string
	rule  rule
	// build returns the request: fixtures hold the demo's real ids and
	// tokens. With fresh set it runs once per identity, for rows whose
	// allowed request uses up its record (a cancellation, a token spent).
	build func(t *testing.T, f *fixtures) call
	fresh bool
	// newSession gives every identity a session of its own for the row,
	// which the request may end (sign-in, sign-out).
	newSession bool
	// wrongToken names the secret (a wildcard, or a query or form
	// parameter): a request with a made-up one must be refused (any 4xx).
	wrongToken string
	// getWrites marks a GET of a token's holder that may change the
	// database; every other such GET must not, since mail scanners and
	// link previewers open emailed links in their recipient's stead.
	getWrites bool
}

// authzRows is the table; each domain's file appends its rows.
var authzRows []authzRow

// row starts a row for route with a fixed request built by build.
func row(route string, r rule, build func(t *testing.T, f *fixtures) call) authzRow {
	if build == nil {
		build = func(*testing.T, *fixtures) call { return call{} }
	}
	return authzRow{route: route, rule: r, build: build}
}

func (r authzRow) renewed() authzRow            { r.fresh = true; return r }
func (r authzRow) ownSession() authzRow         { r.newSession = true; return r }
func (r authzRow) secret(param string) authzRow { r.wrongToken = param; return r }
func (r authzRow) writesOnGET() authzRow        { r.getWrites = true; return r }

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

// allows reports whether rule lets id through on a host of home.
func (r rule) allows(id identity, home string) bool {
	local := id.home == home
	full := local && !id.pending
	switch r.kind {
	case anyone, tokenHolder:
		return true
	case pendingToo:
		return local
	case signedIn:
		return full
	case recordOwner:
		return full && id.owner
	case staffRole:
		return full && slices.ContainsFunc(r.roles, id.has)
	case serviceStaff:
		return full && slices.ContainsFunc(r.roles, id.has) &&
			(id.has(account.RoleAdmin) || slices.Contains(id.services, r.service))
	case operatorRole:
		return full && id.has(account.RoleOperator)
	case oneOf:
		return slices.ContainsFunc(r.any, func(sub rule) bool { return sub.allows(id, home) })
	}
	return false
}

// staffOnly reports whether only staff may use the route: its pages are
// behind the staff guard, which sends staff owing the second factor to it.
func (r rule) staffOnly() bool {
	switch r.kind {
	case staffRole, serviceStaff, operatorRole:
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
func (a *answer) served(r rule) bool {
	return (!a.refused() || (r.kind == pendingToo && a.toSecondFactor())) && a.status < 500
}

// TestAuthorisationMatrix checks every route's row as every identity, on
// the whole demo of each database.
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		rows, problems := matchRows(e.App.Web.Routes(), authzRows)
		for _, p := range problems {
			t.Error(p)
		}
		f := newFixtures(t, e)
		m := newMatrix(t, e, f)
		for _, r := range rows {
			t.Run(r.route, func(t *testing.T) { m.check(t, r) })
		}
	}, apptest.WithDemoData())
}

// matchRows returns the row of every route, and names each route without
// a row, each row without a route and each route with two rows.
func matchRows(routes []web.Route, table []authzRow) (rows []authzRow, problems []string) {
	byRoute := map[string]authzRow{}
	for _, r := range table {
		if _, dup := byRoute[r.route]; dup {
			problems = append(problems, "two rows for "+r.route)
		}
		byRoute[r.route] = r
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Host + " " + rt.Pattern
		seen[key] = true
		r, ok := byRoute[key]
		if !ok {
			problems = append(problems, "route "+key+" has no row in the authorisation matrix (internal/app/authz_*_test.go)")
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
	call    call
	cookie  string
	allowed bool
	forged  bool // the secret in the request is made up
	pending bool // signed in on this host, second factor not passed
}

// check sends the row's request as each identity of its scope: first
// those the rule refuses, which must be turned away without any change to
// the database, then those it allows, which must be served.
func (m *matrix) check(t *testing.T, r authzRow) {
	scope, pattern, _ := strings.Cut(r.route, " ")
	method, _, _ := strings.Cut(pattern, " ")
	host, home := m.e.Host(m.e.Town), "town"
	if scope == web.ScopePlatform {
		host, home = m.e.Host(m.e.Platform), "platform"
	}
	attempts := m.attempts(t, r, home)
	for _, settle := range settlers { // what earlier rows set going ends first
		settle(m.f)
	}
	before := m.f.fingerprint(t)
	for _, a := range attempts {
		if a.allowed {
			continue
		}
		res := m.send(t, method, host, pattern, a.call, a.cookie)
		if ok := res.refused() || (a.forged && res.status >= 400 && res.status < 500); !ok {
			t.Errorf("%s (%s): %s got %s, want a refusal", r.route, r.rule, a.who, res)
		}
		if a.pending && method == http.MethodGet && r.rule.staffOnly() && !strings.HasPrefix(pattern, "GET /api/") && !res.toSecondFactor() {
			t.Errorf("%s (%s): %s got %s, want sent to the second factor by the staff guard", r.route, r.rule, a.who, res)
		}
	}
	if changed := m.f.fingerprint(t).diff(before); len(changed) > 0 {
		t.Errorf("%s: refused requests changed %s", r.route, strings.Join(changed, "; "))
	}
	for _, a := range attempts {
		if !a.allowed {
			continue
		}
		res := m.send(t, method, host, pattern, a.call, a.cookie)
		if !res.served(r.rule) {
			t.Errorf("%s (%s): %s got %s, want it served", r.route, r.rule, a.who, res)
		}
	}
	if method == http.MethodGet && r.rule.kind == tokenHolder && !r.getWrites {
		if changed := m.f.fingerprint(t).diff(before); len(changed) > 0 {
			t.Errorf("%s: opening the link changed %s; a mail scanner opens links: show a page, act on POST",
				r.route, strings.Join(changed, "; "))
		}
	}
}

// attempts builds the row's requests, one per identity of the host of
// home, and one with a made-up secret when the row has one.
func (m *matrix) attempts(t *testing.T, r authzRow, home string) []attempt {
	ids := siteIdentities
	if home == "platform" {
		ids = platformIdentities
	}
	var shared *call
	out := make([]attempt, 0, len(ids)+1)
	for _, id := range ids {
		var c call
		switch {
		case r.fresh:
			c = r.build(t, m.f)
		case shared == nil:
			c = r.build(t, m.f)
			shared = &c
		default:
			c = *shared
		}
		cookie := m.cookies[id.name+"@"+id.home]
		if r.newSession {
			cookie = m.f.session(t, id)
		}
		out = append(out, attempt{who: id.name, call: c, cookie: cookie, allowed: r.rule.allows(id, home),
			pending: id.pending && id.home == home})
	}
	if r.wrongToken != "" {
		c := r.build(t, m.f)
		const madeUp = "jeton-invente-0123456789abcdefghijklmnop"
		switch {
		case c.params[r.wrongToken] != "":
			c.params = maps.Clone(c.params)
			c.params[r.wrongToken] = madeUp
		case c.query.Get(r.wrongToken) != "":
			c.query = maps.Clone(c.query)
			c.query.Set(r.wrongToken, madeUp)
		case c.form.Get(r.wrongToken) != "":
			c.form = maps.Clone(c.form)
			c.form.Set(r.wrongToken, madeUp)
		default:
			t.Fatalf("%s: no secret %q in the request", r.route, r.wrongToken)
		}
		out = append(out, attempt{who: "anonymous with a made-up secret", call: c, forged: true})
	}
	return out
}

// send makes one same-origin request for pattern with c's values.
func (m *matrix) send(t *testing.T, method, host, pattern string, c call, cookie string) *answer {
	t.Helper()
	_, p, _ := strings.Cut(pattern, " ")
	p = expand(t, p, c.params)
	if c.path != "" {
		if !strings.HasPrefix(c.path, p) {
			t.Fatalf("path %s is not under %s", c.path, p)
		}
		p = c.path
	}
	if len(c.query) > 0 {
		p += "?" + c.query.Encode()
	}
	var body io.Reader
	contentType := ""
	switch {
	case c.json != "":
		body, contentType = strings.NewReader(c.json), "application/json"
	case c.form != nil || (method != http.MethodGet && method != http.MethodHead):
		body, contentType = strings.NewReader(c.form.Encode()), "application/x-www-form-urlencoded"
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
	for name, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: v})
	}
	res, err := m.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, p, err)
	}
	defer res.Body.Close()
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

// wild is a shorthand for a call's wildcard values.
type wild = map[string]string

// fixed returns a build with constant wildcard values from the fixtures.
func fixed(params func(f *fixtures) wild) func(*testing.T, *fixtures) call {
	return func(_ *testing.T, f *fixtures) call { return call{params: params(f)} }
}

// posting returns a build with wildcard values and a form.
func posting(params func(f *fixtures) wild, form url.Values) func(*testing.T, *fixtures) call {
	return func(_ *testing.T, f *fixtures) call {
		var ps wild
		if params != nil {
			ps = params(f)
		}
		return call{params: ps, form: form}
	}
}

// ctx is the context of the fixtures' reads and writes.
var ctx = context.Background()

// The matrix names a route registered without its row, a row left for a
// route the server no longer registers, and a route with two rows.
func TestAuthorisationMatrixNamesMissingRows(t *testing.T) {
	t.Parallel()
	routes := []web.Route{{Host: web.ScopeSite, Pattern: "GET /compte"}, {Host: web.ScopeSite, Pattern: "POST /nouvelle"}}
	table := []authzRow{row("site GET /compte", signedInOnly(), nil), row("platform GET /ancienne", public(), nil),
		row("site GET /compte", public(), nil)}
	rows, problems := matchRows(routes, table)
	if len(rows) != 1 || rows[0].route != "site GET /compte" {
		t.Errorf("rows = %v, want the one of site GET /compte", rows)
	}
	want := []string{
		"two rows for site GET /compte",
		"route site POST /nouvelle has no row in the authorisation matrix (internal/app/authz_*_test.go)",
		"the authorisation matrix has a row for platform GET /ancienne, which the server no longer registers",
	}
	if !slices.Equal(problems, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}
