package app

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
)

// purgeEvery is how often expired sessions and tokens are deleted.
const purgeEvery = 15 * time.Minute

// buildQueue creates the job queue and the email outbox. The queue runs as
// a worker of Serve and is stopped by Close at the latest.
func (a *App) buildQueue(ctx context.Context) error {
	var opts jobs.Options
	if a.Config.JobPoll != "" {
		d, err := time.ParseDuration(a.Config.JobPoll)
		if err != nil {
			return fmt.Errorf("job poll interval: %w", err)
		}
		opts.PollInterval = d
	}
	opts.Clock = a.Config.Clock
	q, err := jobs.New(ctx, a.DB, a.Log, opts)
	if err != nil {
		return err
	}
	a.Jobs = q
	a.workers = append(a.workers, q)
	a.closers = append(a.closers, func() error {
		stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		return q.Stop(stopCtx)
	})
	a.Registry.MustRegister(q.Collector())

	cfg := mail.Config{SMTPURL: a.Config.SMTPURL, From: a.Config.MailFrom, SecretKey: a.Config.SecretKey}
	if a.Config.Demo {
		cfg.SMTPURL = "" // demo mail stays in the outbox, readable in the console
	}
	if a.Mail, err = mail.NewOutbox(a.DB, q, mail.NewTemplates(), a.Tenants, cfg, a.Log); err != nil {
		return err
	}
	a.Mail.Now = a.Now
	a.Mail.Quota = func(ctx context.Context, tenantID string) (int, error) {
		q, err := a.Tenants.Quotas(ctx, tenantID)
		return q.MailPerDay, err
	}
	a.Registry.MustRegister(a.Mail.Collector())
	return q.Periodic("mail-erase-bodies", mail.EraseEvery, func(ctx context.Context) error {
		n, err := a.Mail.EraseBodies(ctx)
		if n > 0 {
			a.Log.Info("erased the bodies of old outbox messages", "messages", n)
		}
		return err
	})
}

// StartWorkers starts the background workers without serving HTTP, for
// tests and commands; Close stops them.
func (a *App) StartWorkers(ctx context.Context) error {
	for _, w := range a.workers {
		if err := w.Start(ctx); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
	}
	return nil
}

// schedulePurge deletes expired sessions and tokens periodically.
func (a *App) schedulePurge() error {
	return a.Jobs.Periodic("purge-expired", purgeEvery, func(ctx context.Context) error {
		n, err := a.Accounts.PurgeExpired(ctx, a.Now())
		if n > 0 {
			a.Log.Info("purged expired sessions and tokens", "rows", n)
		}
		return err
	})
}
