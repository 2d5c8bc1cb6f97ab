package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/apptest"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

// The operator sees what a collectivité uses of its quotas and changes
// them; past its storage, an upload is refused with a clear message, and
// past its messages of the day, the next one waits for the next day.
func TestQuotasOfACollectivité(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		operator := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		operator.Get("/console").Want(t, http.StatusOK).WantBody(t, `href="/console/collectivites/`+e.Town.ID+`/quotas"`)
		page := operator.Get("/console/collectivites/"+e.Town.ID+"/quotas").Want(t, http.StatusOK)
		page.WantBody(t, "10240,0\u00a0Mo", `value="5000"`)
		operator.Post("/console/collectivites/"+e.Town.ID+"/quotas", url.Values{"storage_mb": {"0"}, "mail_per_day": {"beaucoup"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "entre 1 et 10 millions")
		operator.Post("/console/collectivites/"+e.Town.ID+"/quotas", url.Values{"storage_mb": {"1"}, "mail_per_day": {"2"}}).
			WantRedirect(t, "/console/collectivites/"+e.Town.ID+"/quotas?ok=quotas")
		if q, err := e.App.Tenants.Quotas(ctx, e.Town.ID); err != nil || q != (tenant.Quotas{StorageMB: 1, MailPerDay: 2}) {
			t.Fatalf("quotas saved: %+v, %v", q, err)
		}
		if q, _ := e.App.Tenants.Quotas(ctx, e.Village.ID); q != tenant.DefaultQuotas {
			t.Errorf("the village's quotas changed: %+v", q)
		}

		// Storage: the town's case files pass 1 MB, then the next is refused.
		store, c := filedTownCase(t, e)
		agent := procedure.Actor{ID: "agent", Name: "Service état civil", Staff: true}
		big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{7}, 1<<20)...)
		if _, err := store.AddMessage(ctx, c, agent, "Une grosse pièce.", []procedure.Upload{{Name: "gros.pdf", Body: bytes.NewReader(big)}}); err != nil {
			t.Fatalf("the upload that crosses the quota: %v", err)
		}
		_, err := store.AddMessage(ctx, c, agent, "Une autre.", []procedure.Upload{{Name: "autre.pdf", Body: bytes.NewReader(big[:100])}})
		if err != kernel.ErrStorageFull || guichet.ErrorCode(err) != guichet.ETooLarge {
			t.Fatalf("an upload past the quota: %v, want ErrStorageFull", err)
		}
		if _, err := store.AddMessage(ctx, c, agent, "Sans pièce jointe, le message passe.", nil); err != nil {
			t.Errorf("a message without a file: %v", err)
		}
		// Used: the case files and the demo's other files (the council's
		// PDFs), as the kernel sums them.
		used, err := e.App.StorageUsed(ctx, e.Town.ID)
		if err != nil || used < 1<<20 {
			t.Fatalf("storage used: %d, %v", used, err)
		}
		shown := strings.Replace(strconv.FormatFloat(float64(used)/(1<<20), 'f', 1, 64), ".", ",", 1)
		operator.Get("/console/collectivites/"+e.Town.ID+"/quotas").Want(t, http.StatusOK).WantBody(t, shown+"\u00a0Mo</td><td>1,0\u00a0Mo")

		// Mail: the town has sent its two messages of the day; the third
		// waits for the next day, when the village's goes at once.
		tomorrow := tenant.DayStart(e.App.Now(), e.Town.Location()).AddDate(0, 0, 1)
		// waiting counts a collectivité's messages held for tomorrow (the
		// demo's own mail may join the town's while the test runs).
		waiting := func(tn *tenant.Tenant) int {
			var n int
			if err := e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'mail_deliver' AND scheduled_at >= ?
				AND CAST(args AS TEXT) LIKE ?`, tomorrow.UTC().Add(-time.Second), "%"+tn.ID+"%").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		send := func(tn *tenant.Tenant) {
			t.Helper()
			if err := e.App.Mail.Enqueue(ctx, mail.Message{TenantID: tn.ID, To: "habitant@courriel.localhost", Template: mail.TestTemplate,
				Lang: "fr", Data: map[string]any{"Link": "http://" + tn.Slug + ".localhost/"}}); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			send(e.Town)
		}
		if n, _ := e.App.Mail.SentToday(ctx, e.Town.ID, e.Town.Location()); n < 3 || waiting(e.Town) < 1 {
			t.Errorf("%d messages of the town today, %d waiting for tomorrow (%s); want the third waiting", n, waiting(e.Town), tomorrow)
		}
		send(e.Village)
		if n := waiting(e.Village); n != 0 {
			t.Errorf("%d of the village's messages wait for tomorrow, under its own quota", n)
		}
		page = operator.Get("/console/collectivites/"+e.Town.ID+"/quotas").Want(t, http.StatusOK)
		if !strings.Contains(page.Body, "%</td>") {
			t.Errorf("the usage table shows no share:\n%s", page.Body)
		}
	}, apptest.WithMail(), apptest.WithDemoData())
}
