package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"guichet/internal/app"
	"guichet/internal/kernel"
)

// importCmd reads an outside file into a collectivité through a
// capability's importer: guichet import <name> FILE --tenant <slug>.
func importCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	caps := app.Capabilities()
	var usage []string
	var imp *kernel.Import
	for _, c := range caps {
		if i, ok := c.(kernel.Importer); ok {
			for _, found := range i.Imports() {
				usage = append(usage, fmt.Sprintf("  %-10s %s", found.Name, found.Usage))
				if len(args) > 0 && found.Name == args[0] {
					imp = &found
				}
			}
		}
	}
	if imp == nil {
		return errors.New("usage: guichet import <kind> FILE --tenant <slug> [--attribution TEXT]\n" + strings.Join(usage, "\n"))
	}
	// The file may come first, as the usage writes it, or after the flags.
	rest, path := args[1:], ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		path, rest = rest[0], rest[1:]
	}
	var slug, attribution string
	cfg, fs, err := config("import "+imp.Name, rest, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "collectivité's identifier (required)")
		fs.StringVar(&attribution, "attribution", "", "the producer to credit under the maps")
	})
	if err != nil {
		return err
	}
	switch {
	case path == "" && fs.NArg() == 1:
		path = fs.Arg(0)
	case fs.NArg() > 0:
		path = ""
	}
	if slug == "" || path == "" {
		return errors.New("import " + imp.Name + " needs one FILE and --tenant")
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	cfg.Capabilities = caps
	a, err := app.New(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	bar := &progress{out: stderr, what: filepath.Base(path)}
	bar.Total(int(info.Size()))
	start := time.Now()
	if err := imp.Run(ctx, t, filepath.Base(path), f, attribution, func(n int64) { bar.Done(int(n)) }, stdout); err != nil {
		return describe(err)
	}
	bar.finish()
	fmt.Fprintf(stdout, "in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
