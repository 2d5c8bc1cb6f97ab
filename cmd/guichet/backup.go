package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"guichet/internal/kernel/backup"
)

// backupCmd writes an archive of every collectivité, or of those named:
// guichet backup --out FILE [--tenant slug,slug]. "guichet tenant export"
// is the same for one.
func backupCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var out, slugs string
	a, _, err := openApp(ctx, name, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "archive to write (.tar.gz; required)")
		fs.StringVar(&slugs, "tenant", "", "collectivités to include, comma-separated (default: every one)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if out == "" {
		return errors.New(name + " needs --out FILE")
	}
	if name == "tenant export" && (slugs == "" || strings.Contains(slugs, ",")) {
		return errors.New("tenant export needs --tenant with one collectivité's identifier")
	}
	var list []string
	if slugs != "" {
		list = strings.Split(slugs, ",")
	}
	start := time.Now()
	bar := &progress{out: stderr, what: "backup"}
	m, err := backup.Write(ctx, a.Backups(), out, list, bar.step)
	bar.finish()
	if err != nil {
		return describe(err)
	}
	rows := 0
	for _, t := range m.Tables {
		rows += t.Count
	}
	fmt.Fprintf(stdout, "%s: %d collectivités, %d rows in %d tables, %d files, %d pending jobs, in %s\n",
		out, len(m.Tenants), rows, len(m.Tables), m.Files.Count, m.Jobs, time.Since(start).Round(time.Millisecond))
	return nil
}

// restoreCmd writes an archive's collectivités into this deployment:
// "guichet restore --in FILE" replaces them, "guichet tenant import --in
// FILE" refuses one already here. Both check every checksum after.
func restoreCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var in string
	a, _, err := openApp(ctx, name, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&in, "in", "", "archive to read (required)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if in == "" {
		return errors.New(name + " needs --in FILE")
	}
	bar := &progress{out: stderr, what: "restore"}
	m, err := a.Restore(ctx, in, name == "restore", bar.step)
	bar.finish()
	if err != nil {
		return describe(err)
	}
	slugs := make([]string, len(m.Tenants))
	for i, t := range m.Tenants {
		slugs[i] = t.Slug
	}
	fmt.Fprintf(stdout, "%s restored from %s (made %s): every table and file matches the archive's checksums\n",
		strings.Join(slugs, ", "), in, m.CreatedAt.Format(time.RFC3339))
	return nil
}
