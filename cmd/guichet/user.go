package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"strings"

	"guichet/internal/app"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
)

// userCmd creates staff accounts from the command line: the first
// administrator of a collectivité, or a platform operator.
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: guichet user create --tenant SLUG --email EMAIL --name NAME [--role admin] [--password P]")
	}
	var slug, email, name, roles, services, title, password string
	a, _, err := openApp(ctx, "user create", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", `collectivité's identifier, or "platform" for an operator (required)`)
		fs.StringVar(&email, "email", "", "email address (required)")
		fs.StringVar(&name, "name", "", "full name (required)")
		fs.StringVar(&roles, "role", "", `roles, comma-separated (default "admin", or "operator" on the platform)`)
		fs.StringVar(&services, "services", "", "an agent's services, comma-separated (e.g. etat-civil,urbanisme)")
		fs.StringVar(&title, "title", "", `an elected official's title (e.g. "Maire")`)
		fs.StringVar(&password, "password", "", "password; when empty one is generated and printed")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if slug == "" || email == "" || name == "" {
		return errors.New("user create needs --tenant, --email and --name")
	}
	if a.Config.SecretKey == "" {
		return errors.New("user create needs the server's secret key (--secret-key or GUICHET_SECRET_KEY): its audit entry is signed with it")
	}
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	g := grantFlags(t, roles, services, title)
	if err := g.Normalize(t.ID); err != nil {
		return describe(err)
	}
	u, generated, err := createStaffUser(ctx, a, t, email, name, password, g)
	if err != nil {
		return describe(err)
	}
	if err := a.Staff.RecordEntry(ctx, staff.Entry{TenantID: t.ID, Actor: "cli", Action: "staff.user_created",
		Target: u.Email + " (" + joinRoleNames(g.Roles) + ")"}); err != nil {
		return err
	}
	where := a.Resolver.URL(t, a.Web.Scheme(), portOf(a.Config.Addr))
	fmt.Fprintf(stdout, "%s (%s) can sign in at %s/connexion\n", u.Email, joinRoleNames(g.Roles), where)
	if generated != "" {
		fmt.Fprintf(stdout, "password: %s\n", generated)
	}
	fmt.Fprintln(stdout, "Two-factor authentication is set up at the first sign-in.")
	return nil
}

func grantFlags(t *tenant.Tenant, roles, services, title string) staff.Grant {
	if roles == "" {
		roles = string(account.RoleAdmin)
		if t.IsPlatform() {
			roles = string(account.RoleOperator)
		}
	}
	var g staff.Grant
	for _, r := range strings.Split(roles, ",") {
		g.Roles = append(g.Roles, account.Role(strings.TrimSpace(r)))
	}
	if services != "" {
		g.Services = strings.Split(services, ",")
	}
	g.Title = title
	return g
}

// createStaffUser creates (or finds) the account, sets its password and
// grants g. It returns the generated password, if any.
func createStaffUser(ctx context.Context, a *app.App, t *tenant.Tenant, email, name, password string, g staff.Grant) (*account.User, string, error) {
	generated := ""
	if password == "" {
		// 16 random characters fail the check only by a freak of chance
		// (a long run, the person's name): draw again then.
		for try := 0; try < 10 && (generated == "" ||
			a.Accounts.ValidateNewPassword(ctx, t.ID, generated, email, name) != nil); try++ {
			generated = generatePassword()
		}
		password = generated
	}
	if err := a.Accounts.ValidateNewPassword(ctx, t.ID, password, email, name); err != nil {
		return nil, "", err
	}
	u, err := a.Accounts.ByEmail(ctx, t.ID, email)
	if errors.Is(err, account.ErrNotFound) {
		u, err = a.Accounts.CreateVerified(ctx, t.ID, email, name)
	}
	if err != nil {
		return nil, "", err
	}
	if err := a.Accounts.SetPassword(ctx, t.ID, u.ID, password); err != nil {
		return nil, "", err
	}
	if err := a.Accounts.MarkEmailVerified(ctx, t.ID, u.ID); err != nil {
		return nil, "", err
	}
	if err := a.Staff.Add(ctx, t.ID, u.ID, g); err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

// generatePassword returns 16 random characters from every class, well
// above the CNIL's 80 bits.
func generatePassword() string {
	const (
		lower   = "abcdefghijkmnopqrstuvwxyz"
		upper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits  = "23456789"
		special = "!#%+-=?@_"
	)
	pick := func(set string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		return set[n.Int64()]
	}
	all := lower + upper + digits + special
	b := []byte{pick(lower), pick(upper), pick(digits), pick(special)}
	for len(b) < 16 {
		b = append(b, pick(all))
	}
	for i := len(b) - 1; i > 0; i-- { // shuffle so the classes are not in a fixed order
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		j := int(n.Int64())
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func joinRoleNames(roles []account.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func portOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}
