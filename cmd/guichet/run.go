package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"guichet/internal/app"
	"guichet/internal/kernel/tenant"
)

const usage = `Usage: guichet COMMAND [flags]

Commands:
  serve                       run the server
  demo                        run the server on a fresh demo dataset
  migrate                     apply database migrations and exit
  tenant create|list|suspend  manage collectivités
  tenant export|import        move one collectivité to another deployment (an archive with its files)
  backup --out FILE           archive every collectivité (or --tenant a,b), files included, from one snapshot
  restore --in FILE           put an archive's collectivités back, replacing them; checks every checksum
  user create                 create a collectivité's first administrator or a platform operator
  files migrate --to STORE    copy every uploaded file to another store (local, database, s3://…), resumable
  audit verify|export         check the audit log's hash chains (exit status 1 on a break); export one
  seed news|events|cases|appointments
                              generate news, events, cases, or agendas and bookings, for scale tests
  import cadastre|plu|adresses FILE --tenant SLUG
                              read a cadastre, an urban plan or an address list into a collectivité
  version                     print the version

Run "guichet COMMAND -h" for the flags of a command.
`

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "demo":
		return demo(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "tenant":
		return tenantCmd(ctx, rest, getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return auditCmd(ctx, rest, getenv, stdout, stderr)
	case "files":
		return filesCmd(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return backupCmd(ctx, "backup", rest, getenv, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, "restore", rest, getenv, stdout, stderr)
	case "seed":
		return seed(ctx, rest, getenv, stdout, stderr)
	case "import":
		return importCmd(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "guichet", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	rev, dirty := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return info.Main.Version
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return rev + dirty
}

// config parses a command's flags; extra declares the command's own.
func config(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*app.Config, *flag.FlagSet, error) {
	cfg, fs, _ := app.ParseConfig(name, args, getenv, stderr)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return cfg, fs, cfg.Finish()
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := config("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if cfg.SecretKey == "" {
		return errors.New("serve needs a secret key: --secret-key or GUICHET_SECRET_KEY; make one with: head -c 32 /dev/urandom | base64")
	}
	a, err := app.New(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	return listenAndServe(ctx, a, cfg.Addr, stdout)
}

func listenAndServe(ctx context.Context, a *app.App, addr string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Guichet listening on http://%s\n", ln.Addr())
	return a.Serve(ctx, ln)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := config("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

// openApp opens the database for an administrative command.
func openApp(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*app.App, *flag.FlagSet, error) {
	cfg, fs, err := config(name, args, getenv, stderr, extra)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.New(ctx, cfg, io.Discard)
	return a, fs, err
}

func tenantCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: guichet tenant create|list|suspend|activate|export|import [flags]")
	}
	switch args[0] {
	case "export":
		return backupCmd(ctx, "tenant export", args[1:], getenv, stdout, stderr)
	case "import":
		return restoreCmd(ctx, "tenant import", args[1:], getenv, stdout, stderr)
	case "list":
		a, _, err := openApp(ctx, "tenant list", args[1:], getenv, stderr, nil)
		if err != nil {
			return err
		}
		defer a.Close()
		list, err := a.Tenants.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SLUG\tNAME\tKIND\tINSEE\tSTATUS\tHOSTS")
		for _, t := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Slug, t.Name, t.Kind, t.INSEE, t.Status, strings.Join(t.Hosts, " "))
		}
		return tw.Flush()
	case "create":
		var t tenant.Tenant
		var hosts string
		a, _, err := openApp(ctx, "tenant create", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
			fs.StringVar(&t.Slug, "slug", "", "identifier used in the address (required)")
			fs.StringVar(&t.Name, "name", "", "name, e.g. \"Ville de Montclair\" (required)")
			fs.StringVar(&t.Kind, "kind", tenant.KindCommune, "commune, intercommunalite or departement")
			fs.StringVar(&t.INSEE, "insee", "", "INSEE code")
			fs.StringVar(&t.SIRET, "siret", "", "SIRET")
			fs.StringVar(&t.Email, "email", "", "contact email")
			fs.StringVar(&t.TimeZone, "time-zone", "Europe/Paris", "time zone")
			fs.StringVar(&hosts, "hosts", "", "extra host names, comma-separated")
		})
		if err != nil {
			return err
		}
		defer a.Close()
		if hosts != "" {
			t.Hosts = strings.Split(hosts, ",")
		}
		c, err := a.Tenants.Create(ctx, t)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "created %s (%s): http://%s.%s\n", c.Name, c.ID, c.Slug, a.Config.BaseDomain)
		return nil
	case "suspend", "activate":
		var slug string
		a, _, err := openApp(ctx, "tenant "+args[0], args[1:], getenv, stderr, func(fs *flag.FlagSet) {
			fs.StringVar(&slug, "slug", "", "identifier of the collectivité (required)")
		})
		if err != nil {
			return err
		}
		defer a.Close()
		t, err := a.Tenants.BySlug(ctx, slug)
		if err != nil {
			return describe(err)
		}
		status := tenant.StatusSuspended
		if args[0] == "activate" {
			status = tenant.StatusActive
		}
		if err := a.Tenants.SetStatus(ctx, t.ID, status); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s is now %s\n", t.Name, status)
		return nil
	}
	return fmt.Errorf("unknown tenant command %q", args[0])
}

func demo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := config("demo", args, func(k string) string {
		if k == "GUICHET_DATA_DIR" && getenv(k) == "" {
			return "guichet-demo"
		}
		return getenv(k)
	}, stderr, nil)
	if err != nil {
		return err
	}
	cfg.Demo = true
	if cfg.SecretKey == "" {
		cfg.SecretKey = randomKey()
	}
	fresh, err := freshDemoDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	cfg.DatabaseURL = fresh
	a, err := app.New(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	signIns, err := a.SeedDemo(ctx)
	if err != nil {
		return err
	}
	// Seeding hashed a dozen passwords with argon2id (19 MiB each): give
	// that burst back to the system before idling.
	debug.FreeOSMemory()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	printDemo(stdout, a, ln.Addr().String(), signIns)
	return a.Serve(ctx, ln)
}

// freshDemoDatabase empties the demo database: the SQLite file is removed;
// on PostgreSQL the demo lives in its own schema, dropped and recreated.
func freshDemoDatabase(ctx context.Context, cfg *app.Config) (string, error) {
	u := cfg.DatabaseURL
	if strings.HasPrefix(u, "sqlite:") {
		path := strings.TrimPrefix(u, "sqlite:")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", err
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return "", err
		}
		return u, nil
	}
	if !strings.Contains(u, "schema=") {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "schema=guichet_demo"
	}
	return u, app.DropSchema(ctx, u)
}

func printDemo(w io.Writer, a *app.App, addr string, signIns []app.SignIn) {
	_, port, _ := net.SplitHostPort(addr)
	base := a.Config.BaseDomain
	fmt.Fprintf(w, "Guichet demo is running.\n\n  Hosted collectivités: http://%s:%s/\n", base, port)
	list, _ := a.Tenants.List(context.Background())
	for _, t := range list {
		fmt.Fprintf(w, "  %-32s http://%s.%s:%s/\n", t.Name, t.Slug, base, port)
	}
	if len(signIns) > 0 {
		fmt.Fprintln(w, "\nDemo sign-ins:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		secrets := map[string]bool{}
		for _, s := range signIns {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.Where, s.Role, s.Email, s.Password)
			if s.TOTPSecret != "" {
				secrets[s.TOTPSecret] = true
			}
		}
		tw.Flush()
		for secret := range secrets {
			fmt.Fprintf(w, "\nStaff two-factor secret (add it to an authenticator app): %s\n", secret)
		}
	}
	if links, err := a.DemoLinks(context.Background()); err == nil && len(links) > 0 {
		fmt.Fprintln(w, "\nAlso open:")
		for _, l := range links {
			fmt.Fprintf(w, "  %-32s http://%s.%s:%s%s\n", l.Label, l.Slug, base, port, l.Path)
		}
	}
	fmt.Fprintln(w, "\nMail stays in the outbox: see it in the operator console. Stop with Ctrl+C.")
}
