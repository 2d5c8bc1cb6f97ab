package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

const secretToken = "Zq3vXk9wT2mB7pLr4sYc8nHd6fJa1eGu5oIy0tRbQx"

func (e *env) enqueueSecret(t *testing.T, to string) *mail.Entry {
	t.Helper()
	err := e.o.Enqueue(context.Background(), mail.Message{TenantID: e.tenant.ID, To: to, Template: mail.TestTemplate,
		Data:        map[string]any{"Link": "http://montclair.localhost/mot-de-passe/nouveau?jeton=" + secretToken},
		Attachments: []mail.Attachment{{Name: "rdv.ics", ContentType: "text/calendar", Data: []byte("URL:http://x/gerer/" + secretToken)}}})
	if err != nil {
		t.Fatal(err)
	}
	return e.entry(t, to)
}

// rawRow returns every text column of a message as stored.
func rawRow(t *testing.T, d *db.DB, id string) string {
	t.Helper()
	var data, files, subject, lastError string
	err := d.QueryRow(context.Background(), `SELECT data, attachments, subject, last_error FROM outbox WHERE id = ?`, id).
		Scan(&data, &files, &subject, &lastError)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{data, files, subject, lastError}, "\n")
}

// A message's data and attachments are sealed: the row holds no link a
// database reader could use, while the message still renders and sends.
func TestBodiesAreSealedAtRest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL)
		m := e.enqueueSecret(t, "camille@example.org")
		if row := rawRow(t, d, m.ID); strings.Contains(row, secretToken) || strings.Contains(row, "jeton") {
			t.Fatalf("the stored row shows the link:\n%s", row)
		}
		r, err := e.o.Preview(context.Background(), m)
		if err != nil || !strings.Contains(r.Text, "jeton="+secretToken) || len(r.Attachments) != 1 {
			t.Fatalf("preview: %v\n%+v", err, r)
		}
		e.start(t)
		got := srv.WaitFor(t, "camille@example.org", wait)
		if !strings.Contains(got.Text, "jeton="+secretToken) || len(got.Attachments) != 1 ||
			!strings.Contains(string(got.Attachments[0].Data), secretToken) {
			t.Fatalf("delivered without its link or attachment:\n%s", got.Text)
		}
		// Another server key opens nothing.
		q, err := jobs.New(context.Background(), d, quiet, fast)
		if err != nil {
			t.Fatal(err)
		}
		other, err := mail.NewOutbox(d, q, mail.NewTemplates(), tenant.NewStore(d), mail.Config{From: "x@example.org", SecretKey: "another key"}, quiet)
		if err != nil {
			t.Fatal(err)
		}
		list, _, _ := other.List(context.Background(), e.tenant.ID, 0, 1)
		if _, err := other.Preview(context.Background(), list[0]); err == nil {
			t.Fatal("a body opened with another server key")
		}
	})
}

// Bodies are erased a day after sending, and a week after creation when
// they did not leave; plain bodies of older versions get sealed.
func TestOldBodiesAreErased(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL)
		ctx := context.Background()
		start := time.Now()
		clock := start
		e.o.Now = func() time.Time { return clock }
		sent := e.enqueueSecret(t, "sent@example.org")
		if err := e.o.DeliverNow(ctx, e.tenant.ID, sent.ID); err != nil {
			t.Fatal(err)
		}
		failed := e.enqueueSecret(t, "failed@example.org")
		if _, err := d.Exec(ctx, `UPDATE outbox SET status = 'failed' WHERE id = ?`, failed.ID); err != nil {
			t.Fatal(err)
		}
		plain := e.enqueueSecret(t, "plain@example.org")
		if _, err := d.Exec(ctx, `UPDATE outbox SET data = ?, status = 'held' WHERE id = ?`,
			`{"Link":"http://montclair.localhost/mot-de-passe/nouveau?jeton=`+secretToken+`"}`, plain.ID); err != nil {
			t.Fatal(err)
		}
		erased := func(id string) bool {
			var data string
			_ = d.QueryRow(ctx, `SELECT data FROM outbox WHERE id = ?`, id).Scan(&data)
			return data == ""
		}
		clock = start.Add(23 * time.Hour)
		if n, err := e.o.EraseBodies(ctx); err != nil || n != 0 || erased(sent.ID) {
			t.Fatalf("within a day: erased %d, %v", n, err)
		}
		if row := rawRow(t, d, plain.ID); strings.Contains(row, secretToken) {
			t.Fatal("a plain body was not sealed")
		}
		if r, err := e.o.Preview(ctx, e.entry(t, "plain@example.org")); err != nil || !strings.Contains(r.Text, secretToken) {
			t.Fatalf("sealed plain body: %v", err)
		}
		clock = start.Add(25 * time.Hour)
		if n, err := e.o.EraseBodies(ctx); err != nil || n != 1 || !erased(sent.ID) || erased(failed.ID) {
			t.Fatalf("after a day: erased %d, %v", n, err)
		}
		if _, err := e.o.Preview(ctx, e.entry(t, "sent@example.org")); !errors.Is(err, mail.ErrErased) {
			t.Fatalf("preview of an erased body: %v", err)
		}
		clock = start.Add(7*24*time.Hour - time.Hour)
		if n, _ := e.o.EraseBodies(ctx); n != 0 {
			t.Fatalf("erased %d unsent bodies before a week", n)
		}
		clock = start.Add(7*24*time.Hour + time.Hour)
		if n, err := e.o.EraseBodies(ctx); err != nil || n != 2 || !erased(failed.ID) || !erased(plain.ID) {
			t.Fatalf("after a week: erased %d, %v", n, err)
		}
		if m := e.entry(t, "sent@example.org"); m.Subject == "" || m.Status != mail.StatusSent {
			t.Fatalf("erasure lost the summary: %+v", m)
		}
	})
}

func TestMaskLinks(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Ouvrez http://montclair.localhost/mot-de-passe/nouveau?jeton=" + secretToken + " vite":      "Ouvrez http://montclair.localhost/mot-de-passe/nouveau?jeton=••• vite",
		"https://montclair.example/rendez-vous/gerer/" + secretToken + "\n":                          "https://montclair.example/rendez-vous/gerer/•••\n",
		"http://m.localhost:8080/dossiers/0b6f9a5e-3c1d-4f7a-9e2b-1a2b3c4d5e6f/acces/" + secretToken: "http://m.localhost:8080/dossiers/0b6f9a5e-3c1d-4f7a-9e2b-1a2b3c4d5e6f/acces/•••",
		"http://m.localhost/alertes/confirmer/" + secretToken + ".":                                  "http://m.localhost/alertes/confirmer/•••",
		"http://m.localhost/questions/0b6f9a5e-3c1d-4f7a-9e2b-1a2b3c4d5e6f":                          "http://m.localhost/questions/0b6f9a5e-3c1d-4f7a-9e2b-1a2b3c4d5e6f",
		"http://m.localhost/lien?" + secretToken:                                                     "http://m.localhost/lien?•••=•••",
		"http://m.localhost/p#" + secretToken:                                                        "http://m.localhost/p#•••",
		"Aucun lien, http://m.localhost/ seulement.":                                                 "Aucun lien, http://m.localhost/ seulement.",
	} {
		if got := mail.MaskLinks(in); got != want {
			t.Errorf("MaskLinks(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}
