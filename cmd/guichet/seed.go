package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"guichet/internal/app"
	"guichet/internal/kernel"
)

// seed runs a capability's generator, which fills a collectivité with
// made-up records for scale tests: guichet seed <name> --tenant <slug> [flags].
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	caps := app.Capabilities()
	var names []string
	var gen *kernel.Generate
	for _, c := range caps {
		if g, ok := c.(kernel.Generator); ok {
			found := g.Generator()
			names = append(names, found.Name)
			if len(args) > 0 && found.Name == args[0] {
				gen = &found
			}
		}
	}
	if gen == nil {
		return errors.New("usage: guichet seed " + strings.Join(names, "|") + " --tenant <slug> [flags]")
	}
	var slug string
	cfg, _, err := config("seed "+gen.Name, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "collectivité's identifier (required)")
		gen.Flags(fs)
	})
	if err != nil {
		return err
	}
	if slug == "" {
		return errors.New("seed " + gen.Name + " needs --tenant")
	}
	cfg.Capabilities = caps // the instances whose flags were just parsed
	a, err := app.New(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	bar := &progress{out: stderr, what: gen.Name}
	start := time.Now()
	if err := gen.Run(ctx, t, bar, stdout); err != nil {
		return describe(err)
	}
	bar.finish()
	fmt.Fprintf(stdout, "in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// progress is a progress bar on the terminal for a seed run.
type progress struct {
	out  io.Writer
	what string
	bar  *progressbar.ProgressBar
	last int
}

func (p *progress) Total(n int) {
	p.bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(p.out), progressbar.OptionSetDescription(p.what),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond))
}

func (p *progress) Done(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n - p.last)
		p.last = n
	}
}

// step is a backup.Progress: the total on the first call.
func (p *progress) step(done, total int) {
	if p.bar == nil {
		p.Total(total)
	}
	p.Done(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.out)
	}
}
