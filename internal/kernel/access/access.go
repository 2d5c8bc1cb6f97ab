// Package access is the vocabulary of the authorisation matrix: each route
// of the server has one Row saying who may use it (its Rule) and how to
// call it (its Call, built from Fixtures). The kernel and each capability
// declare the rows of their own routes; internal/app's
// TestAuthorisationMatrix sends every row's request as every kind of
// visitor and checks the answers.
package access

import (
	"fmt"
	"net/url"
	"strings"

	"guichet/internal/identity/account"
)

// Kind is the kind of an access rule.
type Kind int

// The kinds of rules.
const (
	Anyone       Kind = iota // public
	TokenHolder              // public, the secret in the path or query being the credential
	SignedIn                 // a person signed in on this site, second factor passed when owed
	PendingToo               // signed in, even before the second factor (its own pages)
	RecordOwner              // the demo resident, whose records the row targets (Fixtures.Owner)
	StaffRole                // staff holding one of Roles (administrators hold every role)
	ServiceStaff             // staff holding one of Roles whose services include Service
	OperatorRole             // the platform's operator
	OneOf                    // any of Any
)

// Rule says who may use a route.
type Rule struct {
	Kind    Kind
	Roles   []account.Role
	Service string
	Any     []Rule
}

// Public lets anyone through.
func Public() Rule { return Rule{Kind: Anyone} }

// TokenHolders lets anyone through: the secret of an emailed link (see
// Row.Secret) is the credential.
func TokenHolders() Rule { return Rule{Kind: TokenHolder} }

// SignedInOnly is anyone signed in on the site, second factor passed.
func SignedInOnly() Rule { return Rule{Kind: SignedIn} }

// SecondFactorPages is anyone signed in, second factor passed or not.
func SecondFactorPages() Rule { return Rule{Kind: PendingToo} }

// OwnerOnly is the owner of the record the row targets.
func OwnerOnly() Rule { return Rule{Kind: RecordOwner} }

// StaffOnly is staff holding one of roles (administrators: every role).
func StaffOnly(roles ...account.Role) Rule { return Rule{Kind: StaffRole, Roles: roles} }

// OperatorOnly is the platform's operator.
func OperatorOnly() Rule { return Rule{Kind: OperatorRole} }

// AnyStaff is staff of any role, the operator included on the platform.
func AnyStaff() Rule {
	return StaffOnly(account.RoleAdmin, account.RoleAgent, account.RoleEditor, account.RoleSecretary,
		account.RoleModerator, account.RoleOperator)
}

// Either lets through whoever one of rules lets through.
func Either(rules ...Rule) Rule { return Rule{Kind: OneOf, Any: rules} }

// OfService is staff of roles scoped to service (administrators: every service).
func OfService(service string, roles ...account.Role) Rule {
	return Rule{Kind: ServiceStaff, Roles: roles, Service: service}
}

func (r Rule) String() string {
	switch r.Kind {
	case Anyone:
		return "public"
	case TokenHolder:
		return "token holder"
	case SignedIn:
		return "signed in"
	case PendingToo:
		return "signed in, second factor pending or not"
	case RecordOwner:
		return "the record's owner"
	case StaffRole:
		return fmt.Sprintf("staff %v", r.Roles)
	case ServiceStaff:
		return fmt.Sprintf("staff %v of service %s", r.Roles, r.Service)
	case OneOf:
		names := make([]string, len(r.Any))
		for i, sub := range r.Any {
			names[i] = sub.String()
		}
		return strings.Join(names, " or ")
	default:
		return "operator"
	}
}

// Call is one request of a row: the values of the pattern's wildcards,
// and a body (form or JSON).
type Call struct {
	Params Params
	Query  url.Values
	Form   url.Values
	JSON   string
	// Path replaces the pattern's, for a pattern ending in "/" (a prefix).
	Path string
	// Cookies are sent beside the visitor's session cookie.
	Cookies map[string]string
}

// Params are the values of a pattern's wildcards: {"id": "42"}.
type Params = map[string]string

// Build returns a row's request, reading the records it names from f.
type Build func(f Fixtures) Call

// Row is the access rule of one route and how to call it.
type Row struct {
	// Route is "<scope> <pattern>": "site GET /compte".
	Route string
	Rule  Rule
	// Build returns the request. With Fresh set it runs once per visitor,
	// for rows whose allowed request uses up its record (a cancellation,
	// a token spent).
	Build Build
	Fresh bool
	// NewSession gives every visitor a session of its own for the row,
	// which the request may end (sign-in, sign-out).
	NewSession bool
	// WrongToken names the secret (a wildcard, or a query or form
	// parameter): a request with a made-up one must be refused (any 4xx).
	WrongToken string
	// GETWrites marks a GET of a token's holder that may change the
	// database; every other such GET must not, since mail scanners and
	// link previewers open emailed links in their recipient's stead.
	GETWrites bool
}

// For starts the row of route, whose request build returns (nil: the
// pattern as it is, no body).
func For(route string, r Rule, build Build) Row {
	if build == nil {
		build = func(Fixtures) Call { return Call{} }
	}
	return Row{Route: route, Rule: r, Build: build}
}

// Renewed builds the request again for every visitor.
func (r Row) Renewed() Row { r.Fresh = true; return r }

// OwnSession gives every visitor a new session for the row.
func (r Row) OwnSession() Row { r.NewSession = true; return r }

// Secret names the request's secret, which a made-up value must not pass.
func (r Row) Secret(param string) Row { r.WrongToken = param; return r }

// WritesOnGET lets a token holder's GET change the database.
func (r Row) WritesOnGET() Row { r.GETWrites = true; return r }

// Fixed returns a build with wildcard values read from the fixtures.
func Fixed(params func(f Fixtures) Params) Build {
	return func(f Fixtures) Call { return Call{Params: params(f)} }
}

// Posting returns a build with wildcard values (params may be nil) and a
// form.
func Posting(params func(f Fixtures) Params, form url.Values) Build {
	return func(f Fixtures) Call {
		var ps Params
		if params != nil {
			ps = params(f)
		}
		return Call{Params: ps, Form: form}
	}
}

// Named returns the wildcard param set to the fixture's value name.
func Named(param, name string) func(Fixtures) Params {
	return func(f Fixtures) Params { return Params{param: f.Get(name)} }
}

// Taken returns a build whose wildcard param takes the next record of
// pool, for a row whose request uses its record up.
func Taken(param, pool string) Build {
	return func(f Fixtures) Call { return Call{Params: Params{param: f.Take(pool)}} }
}

// Fixtures are the records the rows' requests name, made before the
// matrix runs: named values (ids, tokens) and pools of throw-away records
// that a request uses up. Get and Take stop the test when the value is
// missing.
type Fixtures interface {
	// Get returns the value name.
	Get(name string) string
	// Set names a value.
	Set(name, value string)
	// Take hands out the next record of pool.
	Take(pool string) string
	// Fill adds n records made by mk to pool.
	Fill(pool string, n int, mk func() (string, error)) error
	// Next returns a number no other throw-away record was named with.
	Next() int
	// Uses is how many records a renewed row may take: one per visitor
	// and one for the made-up secret.
	Uses() int
	// Owner is the email of the town's demo resident, the owner of the
	// records OwnerOnly rows target.
	Owner() string
}
