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

// seedContent fills a collectivité with generated content for scale tests:
// guichet seed content --tenant montclair --news 10000 --events 2000
func seedContent(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var slug string
	var news, events int
	a, _, err := openApp(ctx, "seed content", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "collectivité's identifier (required)")
		fs.IntVar(&news, "news", 1000, "news items to write")
		fs.IntVar(&events, "events", 200, "events to write")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if slug == "" || news < 0 || events < 0 {
		return errors.New("seed content needs --tenant and non-negative counts")
	}
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	bar := progressbar.NewOptions(news+events, progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("content"), progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond))
	start := time.Now()
	if err := a.Content.Generate(ctx, t.ID, t.Location(), news, events, func() { _ = bar.Add(1) }); err != nil {
		return err
	}
	_ = bar.Finish()
	fmt.Fprintf(stdout, "\n%d news and %d events written to %s in %s\n", news, events, slug, time.Since(start).Round(time.Second))
	return nil
}
