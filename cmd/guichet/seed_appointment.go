package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"guichet/internal/capability/appointment"
)

// seedAppointments creates agendas full of bookings for scale tests:
// guichet seed appointments --tenant montclair --agendas 20 --resources 10 --days 90 --bookings 100000
func seedAppointments(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var slug string
	var o appointment.GenerateOptions
	a, _, err := openApp(ctx, "seed appointments", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "collectivité's identifier (required)")
		fs.IntVar(&o.Agendas, "agendas", 5, "agendas to create")
		fs.IntVar(&o.Resources, "resources", 6, "resources (counters, agents, stations) per agenda, 64 at most")
		fs.IntVar(&o.Days, "days", 60, "days covered, half past and half to come")
		fs.IntVar(&o.Bookings, "bookings", 10000, "bookings to write, as many as the agendas hold at most")
		fs.Uint64Var(&o.Seed, "seed", 0, "seed of the random choices (0: a new one)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if slug == "" {
		return errors.New("seed appointments needs --tenant")
	}
	if err := o.Validate(); err != nil {
		return describe(err)
	}
	t, err := a.Tenants.BySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("no collectivité %q: %w", slug, err)
	}
	bar := progressbar.NewOptions(o.Bookings, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("bookings"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond))
	start, last := time.Now(), 0
	g, err := a.Appointments.Generate(ctx, t.ID, t.Location(), o, func(done int) { _ = bar.Add(done - last); last = done })
	if err != nil {
		return describe(err)
	}
	_ = bar.Finish()
	fmt.Fprintf(stdout, "\n%d agendas with %d resources and %d closures, %d bookings (%d cancelled) holding %d units, written to %s in %s\n",
		g.Agendas, g.Resources, g.Exceptions, g.Bookings, g.Cancelled, g.Units, slug, time.Since(start).Round(time.Millisecond))
	if g.Bookings < o.Bookings {
		fmt.Fprintf(stdout, "the agendas' hours held %d bookings at most: add agendas, resources or days for more\n", g.Room)
	}
	return nil
}
