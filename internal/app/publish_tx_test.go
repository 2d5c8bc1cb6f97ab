package app_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/alerts"
	"guichet/internal/capability/news"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// confirmations keeps the confirmation mails of subscriptions, whose links
// the test follows.
type confirmations struct{ msgs []mail.Message }

func (c *confirmations) Enqueue(_ context.Context, m mail.Message) error {
	c.msgs = append(c.msgs, m)
	return nil
}

// published counts, for one collectivité, what publishing a news item
// leaves behind.
type published struct{ items, docs, postings, mails, jobs int }

func countPublished(t *testing.T, q db.Querier, tenantID string) published {
	t.Helper()
	var p published
	for _, c := range []struct {
		n     *int
		query string
	}{
		{&p.items, `SELECT COUNT(*) FROM content_news WHERE tenant_id = ?`},
		{&p.docs, `SELECT COUNT(*) FROM search_docs WHERE tenant_id = ?`},
		{&p.postings, `SELECT COUNT(*) FROM search_postings WHERE tenant_id = ?`},
		{&p.mails, `SELECT COUNT(*) FROM outbox WHERE tenant_id = ?`},
		{&p.jobs, `SELECT COUNT(*) FROM river_job WHERE kind = 'mail_deliver' AND ` + jobTenant(q.Dialect()) + ` = ?`},
	} {
		if err := q.QueryRow(context.Background(), c.query, tenantID).Scan(c.n); err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
	}
	return p
}

// jobTenant reads the collectivité out of a job's JSON arguments.
func jobTenant(d db.Dialect) string {
	if d == db.Postgres {
		return "args->>'tenant_id'"
	}
	return "json_extract(args, '$.tenant_id')"
}

// TestPublishIndexAndMailCommitTogether publishes a news item, indexes it
// and queues the mail of the alerts' subscribers in one transaction, as
// council acts and the newsletter will (two capabilities' stores, one
// transaction): when the last step fails, no item, no index entry,
// no message and no job is left.
func TestPublishIndexAndMailCommitTogether(t *testing.T) {
	t.Parallel()
	sets := []db.Migrations{tenant.Migrations, search.Migrations, news.Migrations, alerts.Migrations, mail.Migrations}
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := dbtest.Start(t).Truncate(time.Second)
		tenants := tenant.NewStore(d)
		town, err := tenants.Create(ctx, tenant.Tenant{Slug: "ville", Name: "Commune de Ville", Kind: tenant.KindCommune,
			INSEE: "86990", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		queue, err := jobs.New(ctx, d, quiet, jobs.Options{Clock: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		// An SMTP server is configured, so that each message gets its
		// delivery job; the queue is never started, so none is sent.
		outbox, err := mail.NewOutbox(d, queue, mail.NewTemplates(), tenants,
			mail.Config{SMTPURL: "smtp://127.0.0.1:2525", From: "no-reply@guichet.example"}, quiet)
		if err != nil {
			t.Fatal(err)
		}
		outbox.Now = func() time.Time { return now }
		confirm := &confirmations{}
		store, subscribers := news.NewStore(d), alerts.NewStore(d, confirm)
		store.Now, subscribers.Now = func() time.Time { return now }, func() time.Time { return now }

		for _, addr := range []string{"alice@example.org", "bob@example.org"} {
			if err := subscribers.Subscribe(ctx, town.ID, addr, []string{"travaux"}, nil, "http://ville.localhost", "fr"); err != nil {
				t.Fatal(err)
			}
			link, _ := confirm.msgs[len(confirm.msgs)-1].Data["ConfirmURL"].(string)
			token := link[strings.LastIndex(link, "/")+1:]
			if err := subscribers.ConfirmSubscription(ctx, town.ID, token); err != nil {
				t.Fatalf("confirm %s: %v", addr, err)
			}
		}

		// publish runs the three steps in one transaction; a broken
		// template makes the last subscriber's mail, the last step, fail.
		// It returns what the transaction held just before that step.
		publish := func(title, lastTemplate string) (published, error) {
			var before published
			err := d.InTx(ctx, func(tx *db.Tx) error {
				n := &news.News{TenantID: town.ID, Category: "travaux", Title: title,
					Summary: "La rue des Écoles est fermée du 4 au 8 mai.", Body: "Une déviation passe par l'avenue du Parc.",
					Status: publishing.StatusPublished}
				if err := store.SaveTx(ctx, tx, n, "test", "published"); err != nil {
					return err
				}
				var to []string
				err := db.Each(ctx, tx, `SELECT email FROM content_subscribers
					WHERE tenant_id = ? AND confirmed_at IS NOT NULL ORDER BY email`, func(r db.Row) error {
					var addr string
					err := r.Scan(&addr)
					to = append(to, addr)
					return err
				}, town.ID)
				if err != nil {
					return err
				}
				for i, addr := range to {
					m := mail.Message{TenantID: town.ID, To: addr, Template: mail.TestTemplate, Lang: "fr",
						Data: map[string]any{"Link": "http://ville.localhost" + n.URL()}}
					if i == len(to)-1 {
						before = countPublished(t, tx, town.ID)
						m.Template = lastTemplate
					}
					if err := outbox.EnqueueTx(ctx, tx, m); err != nil {
						return err
					}
				}
				return nil
			})
			return before, err
		}

		before, err := publish("Travaux rue des Écoles", "mail/absent")
		if err == nil {
			t.Fatal("a mail with a missing template was queued")
		}
		if want := (published{items: 1, docs: 1, mails: 1, jobs: 1}); before.items != want.items ||
			before.docs != want.docs || before.postings == 0 || before.mails != want.mails || before.jobs != want.jobs {
			t.Fatalf("before the last step the transaction held %+v, want %+v and postings", before, want)
		}
		if after := countPublished(t, d, town.ID); after != (published{}) {
			t.Fatalf("after the failure: %+v, want nothing", after)
		}

		if _, err := publish("Travaux rue des Écoles", mail.TestTemplate); err != nil {
			t.Fatal(err)
		}
		after := countPublished(t, d, town.ID)
		if after.items != 1 || after.docs != 1 || after.postings == 0 || after.mails != 2 || after.jobs != 2 {
			t.Fatalf("after the commit: %+v, want the item indexed, 2 messages and 2 jobs", after)
		}
		hits, err := store.Search.Search(ctx, search.Query{TenantID: town.ID, Text: "travaux écoles"})
		if err != nil || len(hits.Hits) != 1 {
			t.Fatalf("search after the commit: %v, %v; want the item", hits, err)
		}
	})
}
