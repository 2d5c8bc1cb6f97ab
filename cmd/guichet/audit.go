package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"guichet/internal/app"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
)

const auditUsage = `usage: guichet audit verify [--tenant SLUG] [--file EXPORT.jsonl]
       guichet audit export --tenant SLUG [--format jsonl|csv]`

// errChainBroken makes "audit verify" exit non-zero.
var errChainBroken = errors.New("audit log tampered with")

// breakReasons says in words why a chain broke.
var breakReasons = map[string]string{
	staff.BreakAnchor:  "the signed anchor left by pruning was changed",
	staff.BreakMissing: "entries before it were deleted",
	staff.BreakLink:    "it does not follow the entry before it (moved or inserted)",
	staff.BreakChanged: "a field was changed after it was recorded",
	staff.BreakForged:  "its hash was recomputed without the server key",
	staff.BreakHead:    "the log does not end at the last entry recorded (entries deleted or added at the end)",
	staff.BreakCheck:   "the kept outcome of the last full verification was changed",
}

// auditCmd verifies the audit chains and exports a collectivité's log.
func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(auditUsage)
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return auditExport(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf("unknown audit command %q\n%s", args[0], auditUsage)
}

// auditVerify walks every chain (or one collectivité's, or an exported
// file) and reports the first broken entry of each.
func auditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var slug, file string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", `collectivité's identifier, or "platform" (default: all)`)
		fs.StringVar(&file, "file", "", "verify a JSON Lines export instead of the database")
	}
	cfg, _, err := config("audit verify", args, getenv, stderr, extra)
	if err != nil {
		return err
	}
	if file != "" {
		return verifyFile(file, cfg.SecretKey, stdout)
	}
	if cfg.SecretKey == "" {
		return errors.New("audit verify needs the server's secret key (--secret-key or GUICHET_SECRET_KEY): the chain is signed with it")
	}
	a, _, err := openApp(ctx, "audit verify", args, getenv, stderr, extra)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := auditTenants(ctx, a, slug)
	if err != nil {
		return err
	}
	broken := false
	for _, t := range list {
		st, err := a.Staff.CheckChain(ctx, t.ID)
		if err != nil {
			return err
		}
		broken = broken || !st.Intact()
		report(stdout, t.Slug, st)
	}
	if broken {
		return errChainBroken
	}
	return nil
}

func auditTenants(ctx context.Context, a *app.App, slug string) ([]*tenant.Tenant, error) {
	if slug != "" {
		t, err := a.Tenants.BySlug(ctx, slug)
		if err != nil {
			return nil, fmt.Errorf("no collectivité %q: %w", slug, err)
		}
		return []*tenant.Tenant{t}, nil
	}
	list, err := a.Tenants.List(ctx)
	if err != nil {
		return nil, err
	}
	p, err := a.Tenants.Get(ctx, tenant.PlatformID)
	if err != nil {
		return nil, err
	}
	return append([]*tenant.Tenant{p}, list...), nil
}

func report(w io.Writer, name string, st staff.ChainStatus) {
	if b := st.Break; b != nil {
		at := ""
		if !b.At.IsZero() {
			at = " (" + b.At.UTC().Format(staff.TimeLayout) + ", " + b.ID + ")"
		}
		fmt.Fprintf(w, "%s: BROKEN at entry %d%s: %s\n", name, b.Seq, at, breakReasons[b.Reason])
		return
	}
	fmt.Fprintf(w, "%s: intact, %d entries (%d to %d)", name, st.Entries, st.First, st.Last)
	if st.LastHash != "" {
		fmt.Fprintf(w, ", last hash %s", st.LastHash)
	}
	fmt.Fprintln(w)
}

// verifyFile checks an export: hashes and links always, MACs with the key.
func verifyFile(path, secretKey string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := staff.VerifyExport(f, secretKey)
	if err != nil {
		return err
	}
	report(stdout, path, st)
	if secretKey == "" && st.Intact() {
		fmt.Fprintln(stdout, "MACs not checked: give the server's secret key to check them")
	}
	if !st.Intact() {
		return errChainBroken
	}
	return nil
}

// auditExport writes a collectivité's log to stdout, with its hashes.
func auditExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var slug, format string
	a, _, err := openApp(ctx, "audit export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", `collectivité's identifier, or "platform" (required)`)
		fs.StringVar(&format, "format", "jsonl", "jsonl or csv")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if slug == "" {
		return errors.New("audit export needs --tenant")
	}
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	switch format {
	case "jsonl":
		return a.Staff.WriteJSONL(ctx, stdout, t.ID)
	case "csv":
		return a.Staff.WriteCSV(ctx, stdout, t.ID)
	}
	return fmt.Errorf("unknown format %q: jsonl or csv", format)
}
