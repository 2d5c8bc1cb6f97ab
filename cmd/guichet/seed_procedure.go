package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// seedCases files generated cases in one procedure for scale tests:
// guichet seed cases --tenant montclair --cases 100000 [--procedure inscription-scolaire]
func seedCases(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var slug, proc string
	var n int
	a, _, err := openApp(ctx, "seed cases", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "collectivité's identifier (required)")
		fs.StringVar(&proc, "procedure", "inscription-scolaire", "address of a published procedure")
		fs.IntVar(&n, "cases", 10000, "cases to file")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if slug == "" || n <= 0 {
		return errors.New("seed cases needs --tenant and a positive --cases")
	}
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("cases"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond))
	start, last := time.Now(), 0
	err = a.GenerateCases(ctx, t.ID, proc, n, func(done int) { _ = bar.Add(done - last); last = done })
	if err != nil {
		return err
	}
	_ = bar.Finish()
	fmt.Fprintf(stdout, "\n%d cases filed in %s/%s in %s\n", n, slug, proc, time.Since(start).Round(time.Second))
	return nil
}
