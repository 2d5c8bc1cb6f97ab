package main

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
)

func TestUserCreate(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": t.TempDir()}
		if out, err := runCmd(t, env, "tenant", "create", "--slug", "lerouet", "--name", "Commune du Rouet",
			"--insee", "54084", "--siret", "21869900700017"); err != nil {
			t.Fatalf("tenant create: %q, %v", out, err)
		}
		if out, err := runCmd(t, env, "user", "create", "--tenant", "lerouet", "--email", "maire@lerouet.localhost",
			"--name", "Claude Mercier"); err == nil || !strings.Contains(err.Error(), "secret key") {
			t.Fatalf("user create without the secret key: %q, %v", out, err)
		}
		env["GUICHET_SECRET_KEY"] = testSecretKey
		out, err := runCmd(t, env, "user", "create", "--tenant", "lerouet", "--email", "maire@lerouet.localhost",
			"--name", "Claude Mercier", "--title", "Maire")
		if err != nil {
			t.Fatalf("user create: %q, %v", out, err)
		}
		m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
		if m == nil || !strings.Contains(out, "http://lerouet.localhost") {
			t.Fatalf("output %q lacks the address or the generated password", out)
		}
		if out, err := runCmd(t, env, "user", "create", "--tenant", "platform", "--email", "ops@guichet.localhost",
			"--name", "Exploitation", "--password", "Tr4in!Bleu#9-Vert"); err != nil || strings.Contains(out, "password:") {
			t.Fatalf("operator create: %q, %v", out, err)
		}

		for _, bad := range [][]string{
			{"--tenant", "lerouet", "--email", "x@lerouet.localhost"},                                               // no name
			{"--tenant", "absent", "--email", "x@lerouet.localhost", "--name", "X"},                                 // unknown tenant
			{"--tenant", "lerouet", "--email", "x@lerouet.localhost", "--name", "X", "--password", "faible"},        // weak password
			{"--tenant", "lerouet", "--email", "x@lerouet.localhost", "--name", "X", "--password", "Lerouet.2026!"}, // guessable
			{"--tenant", "lerouet", "--email", "x@lerouet.localhost", "--name", "X", "--role", "agent"},             // agent without service
			{"--tenant", "lerouet", "--email", "x@lerouet.localhost", "--name", "X", "--role", "operator"},          // operator off the platform
		} {
			if out, err := runCmd(t, env, append([]string{"user", "create"}, bad...)...); err == nil {
				t.Errorf("user create %v succeeded: %q", bad, out)
			}
		}

		_, err = runCmd(t, env, "user", "create", "--tenant", "lerouet", "--email", "x@lerouet.localhost", "--name", "X",
			"--password", "Password.1234!")
		if err == nil || !strings.Contains(err.Error(), "phrase de passe plus longue") {
			t.Errorf("user create with a guessable password: %v, want the message asking for a longer passphrase", err)
		}

		d, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		accounts, st, tenants := account.NewStore(d), staff.NewStore(d, ""), tenant.NewStore(d)
		town, _ := tenants.BySlug(ctx, "lerouet")
		u, err := accounts.Authenticate(ctx, town.ID, "maire@lerouet.localhost", m[1])
		if err != nil {
			t.Fatalf("the generated password does not sign in: %v", err)
		}
		info, _ := st.StaffOf(ctx, town.ID, u.ID)
		if info == nil || !slices.Equal(info.Roles, []account.Role{account.RoleAdmin}) || info.Title != "Maire" || !info.SecondFactorRequired {
			t.Fatalf("administrator = %+v", info)
		}
		op, err := accounts.Authenticate(ctx, tenant.PlatformID, "ops@guichet.localhost", "Tr4in!Bleu#9-Vert")
		if err != nil {
			t.Fatal(err)
		}
		if info, _ := st.StaffOf(ctx, tenant.PlatformID, op.ID); info == nil || !slices.Equal(info.Roles, []account.Role{account.RoleOperator}) {
			t.Fatalf("operator = %+v", info)
		}
		if _, err := accounts.ByEmail(ctx, town.ID, "x@lerouet.localhost"); err == nil {
			t.Fatal("a refused user create left an account behind")
		}
		entries, _, _ := st.Audit(ctx, town.ID, "", 10)
		if len(entries) != 1 || entries[0].Action != "staff.user_created" || entries[0].Actor != "cli" {
			t.Fatalf("audit = %+v", entries)
		}
	})
}

// The generated password always passes the password rules, guessability
// included, for any name.
func TestGeneratedPasswordsPass(t *testing.T) {
	t.Parallel()
	for i := range 2000 {
		p := generatePassword()
		if err := account.ValidatePassword(p, "claude.mercier@lerouet.localhost", "Claude Mercier", "Commune du Rouet"); err != nil {
			t.Fatalf("draw %d: %q refused: %v", i, p, err)
		}
	}
}
