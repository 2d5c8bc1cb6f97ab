package app_test

import (
	"fmt"
	"hash/maphash"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"testing"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
)

// fixtures are the records the matrix's requests name: the demo's, and
// throw-away ones for the requests that use theirs up. Each guarded
// capability makes its own (kernel.AccessFixtured), then the kernel's
// are made (foundationFixtures).
type fixtures struct {
	t                       *testing.T
	e                       *apptest.Env
	town, village, platform *tenant.Tenant
	seq                     int
	tables                  []string
	// values holds named demo ids and tokens ("news", "agenda", …).
	values map[string]string
	// pools hold throw-away records made up front, taken one per request.
	pools map[string][]string
}

var _ access.Fixtures = (*fixtures)(nil)

// platformUser is an account of the platform without any role.
const platformUser = "compte-sans-role@guichet.localhost"

func newFixtures(t *testing.T, e *apptest.Env) *fixtures {
	f := &fixtures{t: t, e: e, town: e.Town, village: e.Village, platform: e.Platform,
		values: map[string]string{}, pools: map[string][]string{}}
	f.verifiedAccount(e.Platform, platformUser)
	for _, c := range e.App.Installed() {
		if fx, ok := c.(kernel.AccessFixtured); ok {
			f.fatal(c.Name(), fx.AccessFixtures(ctx, e.Town, e.Village, f))
		}
	}
	foundationFixtures(f)
	f.tables = f.listTables()
	return f
}

// Get returns a named value, failing when the fixtures lack it.
func (f *fixtures) Get(name string) string {
	v, ok := f.values[name]
	if !ok {
		f.t.Fatalf("no fixture %q", name)
	}
	return v
}

// Set records a named value.
func (f *fixtures) Set(name, value string) { f.values[name] = value }

// Fill makes n throw-away records with mk, for Take to hand out.
func (f *fixtures) Fill(pool string, n int, mk func() (string, error)) error {
	for range n {
		v, err := mk()
		if err != nil {
			return err
		}
		f.pools[pool] = append(f.pools[pool], v)
	}
	return nil
}

// Take hands out the next throw-away record of pool.
func (f *fixtures) Take(pool string) string {
	list := f.pools[pool]
	if len(list) == 0 {
		f.t.Fatalf("the %q pool is empty: make more in its fixture setup", pool)
	}
	f.pools[pool] = list[1:]
	return list[0]
}

// uses is how many throw-away records a row may take: one per identity,
// and one more for the made-up token's request.
var uses = max(len(siteIdentities), len(platformIdentities)) + 1

// Uses implements access.Fixtures.
func (f *fixtures) Uses() int { return uses }

// Next returns a number that names a new throw-away record.
func (f *fixtures) Next() int {
	f.seq++
	return f.seq
}

// Owner is the email of the identity owning the rows' records.
func (f *fixtures) Owner() string {
	for _, id := range siteIdentities {
		if id.owner {
			return id.email
		}
	}
	f.t.Fatal("no identity owns the rows' records")
	return ""
}

// settle waits for the background work that earlier requests set going,
// before the matrix takes a row's fingerprint of the tables.
func (f *fixtures) settle() {
	for _, c := range f.e.App.Installed() {
		if s, ok := c.(kernel.AccessSettled); ok {
			f.fatal("settling "+c.Name(), s.SettleAccess(ctx))
		}
	}
}

func (f *fixtures) tenant(home string) *tenant.Tenant {
	switch home {
	case "town":
		return f.town
	case "village":
		return f.village
	case "platform":
		return f.platform
	}
	f.t.Fatalf("no collectivité %q", home)
	return nil
}

func (f *fixtures) fatal(what string, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("fixture %s: %v", what, err)
	}
}

// userID returns the id of the account email of t.
func (f *fixtures) userID(t *tenant.Tenant, email string) string {
	u, err := f.e.App.Accounts.ByEmail(ctx, t.ID, email)
	f.fatal("account "+email, err)
	return u.ID
}

// verifiedAccount creates an account of t with the demo password.
func (f *fixtures) verifiedAccount(t *tenant.Tenant, email string) string {
	u, err := f.e.App.Accounts.CreateVerified(ctx, t.ID, email, "Compte de test")
	f.fatal("account "+email, err)
	f.fatal("password of "+email, f.e.App.Accounts.SetPassword(ctx, t.ID, u.ID, app.DemoPassword))
	return u.ID
}

// staffMember creates an account of the town holding grant, without a
// password: nobody signs in with it.
func (f *fixtures) staffMember(email string, g staff.Grant) string {
	u, err := f.e.App.Accounts.CreateVerified(ctx, f.town.ID, email, "Membre de test")
	f.fatal("account "+email, err)
	f.fatal("roles of "+email, f.e.App.Staff.Add(ctx, f.town.ID, u.ID, g))
	return u.ID
}

// checkGrant fails unless id's roles and services are those the demo
// gave its account: the expectations are derived from them.
func (f *fixtures) checkGrant(t *testing.T, id identity) {
	if id.home == "" {
		return
	}
	tn := f.tenant(id.home)
	info, err := f.e.App.Staff.StaffOf(ctx, tn.ID, f.userID(tn, id.email))
	if err != nil {
		t.Fatal(err)
	}
	var got account.StaffInfo
	if info != nil {
		got = *info
	}
	same := func(a, b []account.Role) bool {
		return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
	}
	if !id.pending && (!same(got.Roles, id.roles) || !slices.Equal(slices.Sorted(slices.Values(got.Services)), id.services)) {
		t.Fatalf("%s holds %v %v in the demo, the matrix expects %v %v", id.name, got.Roles, got.Services, id.roles, id.services)
	}
	if id.pending && !got.SecondFactorRequired {
		t.Fatalf("%s owes no second factor in the demo", id.name)
	}
}

// session opens a session for id as signing in would, and returns its
// cookie ("" for the anonymous).
func (f *fixtures) session(t *testing.T, id identity) string {
	t.Helper()
	if id.home == "" {
		return ""
	}
	tn := f.tenant(id.home)
	u, err := f.e.App.Accounts.ByEmail(ctx, tn.ID, id.email)
	if err != nil {
		t.Fatalf("session of %s: %v", id.name, err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/connexion", nil).WithContext(tenant.NewContext(ctx, tn))
	if err := f.e.App.Sessions.SignIn(rec, req, u, account.SignInOptions{SecondFactor: !id.pending}); err != nil {
		t.Fatalf("session of %s: %v", id.name, err)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == account.CookieName {
			return c.Value
		}
	}
	t.Fatalf("session of %s: no cookie", id.name)
	return ""
}

// unchangedTables are left out of the fingerprint: a session's idle time
// moves on with any request.
var unchangedTables = []string{"sessions"}

func (f *fixtures) listTables() []string {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if f.e.App.DB.Dialect() == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := f.e.App.DB.Query(ctx, q)
	f.fatal("tables", err)
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		f.fatal("tables", rows.Scan(&n))
		if !slices.Contains(unchangedTables, n) {
			names = append(names, n)
		}
	}
	f.fatal("tables", rows.Err())
	sort.Strings(names)
	return names
}

// fingerprint is a digest of every table's rows, whatever their order.
type fingerprint map[string]string

func (f *fixtures) fingerprint(t *testing.T) fingerprint {
	t.Helper()
	out := fingerprint{}
	for _, table := range f.tables {
		out[table] = f.digest(t, table)
	}
	return out
}

// digestSeed keys the rows' hashes: digests are compared within one run.
var digestSeed = maphash.MakeSeed()

func (f *fixtures) digest(t *testing.T, table string) string {
	rows, err := f.e.App.DB.Query(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var sum uint64
	var row []byte
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		row = row[:0]
		for _, v := range vals {
			row = fmt.Appendf(row, "%v\x00", v)
		}
		sum += maphash.Bytes(digestSeed, row)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	return fmt.Sprintf("%d rows, %x", n, sum)
}

// diff names the tables whose digest differs from before's.
func (p fingerprint) diff(before fingerprint) []string {
	var changed []string
	for table, d := range p {
		if before[table] != d {
			changed = append(changed, fmt.Sprintf("%s (%s, was %s)", table, d, before[table]))
		}
	}
	sort.Strings(changed)
	return changed
}
