package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"guichet/internal/app"
	"guichet/internal/kernel/files"
)

// filesCmd moves uploaded files between stores:
// guichet files migrate --to local|database|s3://bucket?endpoint=…
func filesCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "migrate" {
		return errors.New("usage: guichet files migrate --to local|database|s3://bucket?endpoint=host:port")
	}
	var to string
	cfg, _, err := config("files migrate", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the store to copy every file to (required)")
	})
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("files migrate needs --to local, database or s3://bucket?endpoint=host:port")
	}
	a, err := app.New(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer a.Close()
	dst, err := files.OpenBackend(to, a.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	if s3, ok := dst.(*files.S3Backend); ok {
		if err := s3.EnsureBucket(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "copying the files of %s to %s\n", a.FileStore, dst)
	bar := &progress{out: stderr, what: "files"}
	m, err := files.Copy(ctx, a.FileStore, dst, a.Buckets(), func(done, total int) {
		if bar.bar == nil {
			bar.Total(total)
		}
		bar.Done(done)
	})
	bar.finish()
	if err != nil {
		return fmt.Errorf("%w (run the same command again to resume)", err)
	}
	fmt.Fprintf(stdout, "%d files copied (%d bytes), %d already there; the old copies are kept.\n", m.Copied, m.Bytes, m.Present)
	fmt.Fprintf(stdout, "Now restart every node with --files %s (GUICHET_FILES), then remove the old copies.\n", to)
	return nil
}
