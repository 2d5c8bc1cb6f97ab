package newsletter_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mailtest"
)

// held returns the messages the outbox holds for addr, newest first.
func held(t *testing.T, e *env, addr string) []*mail.Entry {
	t.Helper()
	list, _, err := e.outbox.List(context.Background(), e.town.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []*mail.Entry
	for _, m := range list {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// linkIn returns the link of the newest message held for addr that
// contains part.
func linkIn(t *testing.T, e *env, addr, part string) string {
	t.Helper()
	for _, m := range held(t, e, addr) {
		r, err := e.outbox.Preview(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(r.Text) {
			if strings.Contains(f, part) {
				return f
			}
		}
	}
	t.Fatalf("no link with %q mailed to %s", part, addr)
	return ""
}

// TestDoubleOptInAndOneClickUnsubscribe: the form's address receives a
// link and nothing else until it confirms; the consent is recorded with
// its date and source; unsubscribing works without a session, twice
// without harm, and keeps the address out of later imports.
func TestDoubleOptInAndOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, "", nil)
		travaux := e.list(t, "Travaux", newsletter.KindTopic)
		hidden := &newsletter.List{TenantID: e.town.ID, Name: "Conseil des sages", Kind: newsletter.KindCommunity}
		if err := e.s.SaveList(ctx, hidden); err != nil {
			t.Fatal(err)
		}
		err := e.s.Subscribe(ctx, e.town.ID, newsletter.Subscription{Email: "Alice@Exemple.fr", Lists: []string{hidden.ID}}, site)
		if guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("a list not offered to the public was accepted: %v", err)
		}
		if err := e.s.Subscribe(ctx, e.town.ID, newsletter.Subscription{Email: "Alice@Exemple.fr", Name: "Alice",
			Lists: []string{travaux.ID}, Measure: true}, site); err != nil {
			t.Fatal(err)
		}
		confirm := token(linkIn(t, e, "alice@exemple.fr", "/lettre/confirmer/"))
		sub, err := e.s.SubscriberByLink(ctx, e.town.ID, confirm)
		if err != nil || sub.Status != newsletter.SubscriberPending || sub.ConsentAt != nil {
			t.Fatalf("before confirming: %+v, %v", sub, err)
		}
		if err := e.s.Confirm(ctx, e.town.ID, confirm); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Confirm(ctx, e.town.ID, confirm); !errors.Is(err, newsletter.ErrAlreadyConfirmed) {
			t.Errorf("second confirmation: %v", err)
		}
		sub, _ = e.s.Subscriber(ctx, e.town.ID, sub.ID)
		if sub.Status != newsletter.SubscriberActive || sub.ConsentAt == nil || !sub.ConsentAt.Equal(e.clock()) ||
			sub.ConsentSource != newsletter.SourceForm || !sub.Measure || len(sub.Lists) != 1 {
			t.Fatalf("confirmed: %+v", sub)
		}
		// Subscribing again only tells the address it is already in.
		if err := e.s.Subscribe(ctx, e.town.ID, newsletter.Subscription{Email: "alice@exemple.fr", Lists: []string{travaux.ID}}, site); err != nil {
			t.Fatal(err)
		}
		if got := held(t, e, "alice@exemple.fr"); len(got) != 2 || !strings.Contains(got[0].Subject+got[1].Subject, "déjà") {
			t.Fatalf("messages after a second subscription: %d", len(got))
		}
		for range 2 {
			if err := e.s.Unsubscribe(ctx, e.town.ID, sub.UnsubscribeToken); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.s.Subscriber(ctx, e.town.ID, sub.ID); !errors.Is(err, newsletter.ErrNotFound) {
			t.Fatalf("still subscribed: %v", err)
		}
		imp, err := e.s.StartImport(ctx, newsletter.ImportRequest{TenantID: e.town.ID, Name: "accueil.csv",
			Body: strings.NewReader("email;nom\nalice@exemple.fr;Alice\nbob@exemple.fr;Bob\n"), ConsentSource: "registre de l'accueil, 2025",
			BaseURL: site})
		if err != nil {
			t.Fatal(err)
		}
		runImports(t, e, imp.ID)
		imp, _ = e.s.Import(ctx, e.town.ID, imp.ID)
		if imp.Added != 1 || imp.Skipped != 1 || !strings.Contains(strings.Join(imp.Problems, "\n"), "Ligne 2") {
			t.Fatalf("import after unsubscription: %+v", imp)
		}
	})
}

// runImports runs the import's job by hand.
func runImports(t *testing.T, e *env, id string) {
	t.Helper()
	if err := e.s.RunImport(context.Background(), e.town.ID, id); err != nil {
		t.Fatal(err)
	}
}

// TestCampaignReachesEachSubscriberOnce sends a campaign to one list of
// 120 subscribers through a real SMTP server: each receives it once, in
// their language, with the one-click unsubscribe header fields, an HTML
// part and a text part; one address the server refuses is suspended; a
// temporary refusal is retried later; subscribers of another list, or
// suspended, receive nothing.
func TestCampaignReachesEachSubscriberOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		smtp := mailtest.Start(t)
		e := newEnv(t, d, smtp.URL, nil)
		quartier, autre := e.list(t, "Quartier des Tilleuls", newsletter.KindNeighbourhood), e.list(t, "Sport", newsletter.KindTopic)
		if err := e.s.GenerateSubscribers(ctx, e.town.ID, "exemple.fr", 240, []string{quartier.ID, autre.ID}, nil); err != nil {
			t.Fatal(err)
		}
		// abonne-3 is on the neighbourhood's list (odd numbers are) and refused by the server.
		smtp.Reject("abonne-3@exemple.fr")
		smtp.FailNext(1)
		c := e.campaign(t, "Le marché de Noël", quartier.ID)
		if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); err != nil {
			t.Fatal(err)
		}
		e.runAll(t, c)
		c, _ = e.s.Campaign(ctx, e.town.ID, c.ID)
		if c.Status != newsletter.CampaignSent || c.Total != 120 || c.Sent != 119 || c.Failed != 1 {
			t.Fatalf("campaign: status %s, total %d, sent %d, failed %d", c.Status, c.Total, c.Sent, c.Failed)
		}
		got := map[string]int{}
		for _, m := range smtp.Messages() {
			for _, to := range m.To {
				got[to]++
			}
		}
		if len(got) != 119 {
			t.Fatalf("%d addresses received the campaign, want 119", len(got))
		}
		for addr, n := range got {
			var i int
			fmt.Sscanf(addr, "abonne-%d@", &i)
			if n != 1 || i%2 == 0 || i == 3 {
				t.Errorf("%s received %d messages", addr, n)
			}
		}
		m := smtp.WaitFor(t, "abonne-1@exemple.fr", time.Second)
		unsub := m.Header.Get("List-Unsubscribe")
		if m.Subject != "Le marché de Noël" || !strings.HasPrefix(unsub, "<"+site+"/lettre/desabonnement/") ||
			m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || m.Header.Get("List-Id") != "<lettre.montclair.localhost>" ||
			!strings.Contains(m.HTML, `lang="fr"`) || !strings.Contains(m.HTML, site+"/actualites/travaux-rue-haute") ||
			!strings.Contains(m.Text, "Travaux rue Haute") || strings.Contains(m.HTML, "__GUICHET") {
			t.Errorf("French message: subject %q, unsubscribe %q\n%s", m.Subject, unsub, m.HTML)
		}
		sub, err := e.s.SubscriberByUnsubscribe(ctx, e.town.ID, token(strings.Trim(unsub, "<>")))
		if err != nil || sub.Email != "abonne-1@exemple.fr" {
			t.Errorf("the unsubscribe link is not abonne-1's: %+v, %v", sub, err)
		}
		en := smtp.WaitFor(t, "abonne-15@exemple.fr", time.Second) // every tenth reads English
		if en.Subject != "The Christmas market" || !strings.Contains(en.HTML, `lang="en"`) {
			t.Errorf("English message: %q", en.Subject)
		}
		refused, _, _ := e.s.Subscribers(ctx, e.town.ID, newsletter.Filter{Status: newsletter.SubscriberSuspended})
		if len(refused) != 1 || refused[0].Email != "abonne-3@exemple.fr" {
			t.Errorf("suspended: %+v", refused)
		}
	})
}

// TestCampaignKeepsToTheDailyQuota: with the operator's quota of 50
// messages a day, a campaign to 120 sends 50, waits for the next day in
// the collectivité's time zone, and ends on the third day, nobody twice.
func TestCampaignKeepsToTheDailyQuota(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		smtp := mailtest.Start(t, mailtest.WithCountOnly())
		e := newEnv(t, d, smtp.URL, nil)
		e.outbox.Quota = func(context.Context, string) (int, error) { return 50, nil }
		if err := e.s.GenerateSubscribers(ctx, e.town.ID, "exemple.fr", 120, nil, nil); err != nil {
			t.Fatal(err)
		}
		c := e.campaign(t, "Lettre du quota")
		if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); err != nil {
			t.Fatal(err)
		}
		args := newsletter.SendArgs{TenantID: e.town.ID, CampaignID: c.ID, BaseURL: site}
		wait, err := e.s.Run(ctx, args)
		if err != nil {
			t.Fatal(err)
		}
		if wait, err = e.s.Run(ctx, args); err != nil || wait <= 0 || wait > 24*time.Hour {
			t.Fatalf("after the day's 50: wait %s, %v", wait, err)
		}
		if _, n := smtp.Counts(); n != 50 {
			t.Fatalf("%d messages on the first day, want 50", n)
		}
		next := e.clock().Add(wait)
		if h, m, _ := next.In(e.town.Location()).Clock(); h != 0 || m != 0 {
			t.Errorf("resumes at %s, not at the start of the next day", next.In(e.town.Location()))
		}
		e.runAll(t, c)
		counts, n := smtp.Counts()
		if n != 120 || len(counts) != 120 {
			t.Errorf("%d messages to %d addresses, want 120 to 120", n, len(counts))
		}
		loc := e.town.Location()
		first, last := dbtest.Start(t).In(loc), e.clock().In(loc)
		if last.YearDay()-first.YearDay() != 2 {
			t.Errorf("the campaign started on %s and ended on %s, not on the third day", first, last)
		}
	})
}

// TestPauseResumeAndCancel: a campaign under way stops at a pause and
// goes on where it stopped when resumed; cancelling a paused one skips
// the rest; each action refused in a state that does not allow it.
func TestPauseResumeAndCancel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		smtp := mailtest.Start(t, mailtest.WithCountOnly())
		// A run's budget of a nanosecond starts the sending and sends nothing.
		e := newEnvWith(t, d, smtp.URL, nil, time.Nanosecond, 10)
		if err := e.s.GenerateSubscribers(ctx, e.town.ID, "exemple.fr", 60, nil, nil); err != nil {
			t.Fatal(err)
		}
		run := func(c *newsletter.Campaign) time.Duration {
			wait, err := e.s.Run(ctx, newsletter.SendArgs{TenantID: e.town.ID, CampaignID: c.ID, BaseURL: site})
			if err != nil {
				t.Fatal(err)
			}
			return wait
		}
		c := e.campaign(t, "Lettre à suspendre")
		if err := e.s.Pause(ctx, e.town.ID, c.ID); !errors.Is(err, newsletter.ErrWrongState) {
			t.Errorf("pausing a draft: %v", err)
		}
		if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); !errors.Is(err, newsletter.ErrWrongState) {
			t.Errorf("scheduling twice: %v", err)
		}
		if wait := run(c); wait != 0 {
			t.Fatalf("a run out of budget asks to run again at once, not in %s", wait)
		}
		if err := e.s.Pause(ctx, e.town.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if wait := run(c); wait >= 0 {
			t.Errorf("a paused campaign's run asks to run again in %s", wait)
		}
		if _, n := smtp.Counts(); n != 0 {
			t.Errorf("%d messages sent while paused", n)
		}
		cur, _ := e.s.Campaign(ctx, e.town.ID, c.ID)
		if cur.Status != newsletter.CampaignPaused || cur.Total != 60 {
			t.Fatalf("paused: %s, total %d", cur.Status, cur.Total)
		}
		// Cancelling a paused campaign skips everyone left.
		if err := e.s.Cancel(ctx, e.town.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		cur, _ = e.s.Campaign(ctx, e.town.ID, c.ID)
		if cur.Status != newsletter.CampaignCancelled || cur.Skipped != 60 || cur.FinishedAt == nil {
			t.Errorf("cancelled: %s, skipped %d", cur.Status, cur.Skipped)
		}
		if err := e.s.Resume(ctx, e.town.ID, c.ID, site); !errors.Is(err, newsletter.ErrWrongState) {
			t.Errorf("resuming a cancelled campaign: %v", err)
		}

		// Another one, paused then resumed, reaches everybody once.
		c2 := e.campaign(t, "Lettre reprise")
		if err := e.s.Schedule(ctx, e.town.ID, c2.ID, nil, site); err != nil {
			t.Fatal(err)
		}
		run(c2)
		if err := e.s.Pause(ctx, e.town.ID, c2.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Resume(ctx, e.town.ID, c2.ID, site); err != nil {
			t.Fatal(err)
		}
		full := newEnvWith(t, d, smtp.URL, e.town, time.Minute, 10)
		full.runAll(t, c2)
		counts, n := smtp.Counts()
		if n != 60 || len(counts) != 60 {
			t.Errorf("resumed campaign: %d messages to %d addresses, want 60", n, len(counts))
		}
		if err := e.s.Sweep(ctx); err != nil {
			t.Errorf("sweep: %v", err)
		}
	})
}

// TestMeasureOnlyWithConsent: a measuring campaign counts the opens and
// clicks of those who agreed, and only theirs; the others' messages carry
// neither the counting picture nor counted links; a forged token counts
// nothing; the click counter follows only the campaign's own links.
func TestMeasureOnlyWithConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		smtp := mailtest.Start(t)
		e := newEnv(t, d, smtp.URL, nil)
		// abonne-1 and abonne-5 agreed to the measure (one in four, from the first).
		if err := e.s.GenerateSubscribers(ctx, e.town.ID, "exemple.fr", 6, nil, nil); err != nil {
			t.Fatal(err)
		}
		c := e.campaign(t, "Lettre mesurée")
		c.Measure = true
		if err := e.s.SaveCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); err != nil {
			t.Fatal(err)
		}
		e.runAll(t, c)
		agreed, refused := smtp.WaitFor(t, "abonne-1@exemple.fr", time.Second), smtp.WaitFor(t, "abonne-2@exemple.fr", time.Second)
		if strings.Contains(refused.HTML, "/lettre/o/") || strings.Contains(refused.HTML, "/lettre/c/") ||
			!strings.Contains(refused.HTML, `href="https://montclair.example/noel"`) {
			t.Errorf("the message of someone who did not agree is measured:\n%s", refused.HTML)
		}
		pixel := regexp.MustCompile(site + `/lettre/o/([^"]+)`).FindStringSubmatch(agreed.HTML)
		click := regexp.MustCompile(site + `/lettre/c/([^/"]+)/(\d+)`).FindStringSubmatch(agreed.HTML)
		if pixel == nil || click == nil {
			t.Fatalf("the message of someone who agreed is not measured:\n%s", agreed.HTML)
		}
		for range 2 {
			if err := e.s.Opened(ctx, e.town.ID, pixel[1]); err != nil {
				t.Fatal(err)
			}
		}
		n, _ := strconv.Atoi(click[2])
		target, err := e.s.Clicked(ctx, e.town.ID, click[1], n)
		if err != nil || !strings.HasPrefix(target, "https://montclair.example/noel") && !strings.HasPrefix(target, site) {
			t.Fatalf("click: %q, %v", target, err)
		}
		if _, err := e.s.Clicked(ctx, e.town.ID, click[1], 99); !errors.Is(err, newsletter.ErrNotFound) {
			t.Errorf("a link the campaign does not have was followed: %v", err)
		}
		// Forged, and someone who did not agree: nothing counts.
		if err := e.s.Opened(ctx, e.town.ID, c.ID+".x.forged"); err != nil {
			t.Fatal(err)
		}
		page, _, _ := e.s.Subscribers(ctx, e.town.ID, newsletter.Filter{Query: "abonne-2@"})
		if err := e.s.Opened(ctx, e.town.ID, e.s.MeasureTokenFor(c.ID, page[0].ID)); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Opened(ctx, "autre-collectivite", pixel[1]); err != nil {
			t.Fatal(err)
		}
		c, _ = e.s.Campaign(ctx, e.town.ID, c.ID)
		if c.Opens != 1 || c.Clicks != 1 {
			t.Errorf("opens %d, clicks %d; want 1 and 1", c.Opens, c.Clicks)
		}
		links, err := e.s.Links(ctx, e.town.ID, c.ID)
		if err != nil || len(links) == 0 || links[0].Clicks != 1 {
			t.Errorf("links: %+v, %v", links, err)
		}
	})
}
