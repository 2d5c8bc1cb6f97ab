package newsletterweb_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/newsletter"
	"guichet/internal/capability/newsletter/newsletterweb"
	"guichet/internal/publishing"
)

var link = regexp.MustCompile(`http://montclair\.localhost(/\S+)`)

// TestNewsletterFromSubscriptionToUnsubscription walks the whole
// newsletter through the pages: an editor makes a list; a resident
// subscribes and confirms; the editor composes a campaign of blocks,
// sends it as a test to herself, then to the subscribers; the resident
// receives it with the RFC 8058 header fields; their mail client
// unsubscribes in one click without a session, twice; the archive shows
// the campaign.
func TestNewsletterFromSubscriptionToUnsubscription(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		const who = "lectrice@courriel.localhost"
		store := newsletterweb.Of(e.App.Kernel).Store
		staff := e.Browser(e.Town).SignInDemo(t, "communication@montclair.localhost")
		staff.Post("/gestion/lettre/listes", url.Values{"name": {""}, "kind": {"theme"}}).Want(t, http.StatusUnprocessableEntity)
		staff.Post("/gestion/lettre/listes", url.Values{"name": {"Chantier de la rue Haute"}, "kind": {"theme"}, "public": {"1"}}).Want(t, http.StatusSeeOther)
		all, err := store.Lists(ctx, e.Town.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		var lists []*newsletter.List
		for _, l := range all {
			if l.Name == "Chantier de la rue Haute" {
				lists = append(lists, l)
			}
		}
		if len(lists) != 1 {
			t.Fatalf("the new list is not among %d public lists", len(all))
		}

		b := e.Browser(e.Town)
		b.Get("/").Want(t, http.StatusOK).WantBody(t, `href="/lettre"`)
		b.Get("/lettre").Want(t, http.StatusOK).WantBody(t, "Chantier de la rue Haute (thème)", `name="measure"`)
		b.Post("/lettre/abonnement", url.Values{"email": {who}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-lists"`)
		b.Post("/lettre/abonnement", url.Values{"email": {who}, "lists": {lists[0].ID}}).Want(t, http.StatusOK)
		m := link.FindStringSubmatch(e.Mail.WaitFor(t, who, 10*time.Second).Text)
		if m == nil || !strings.HasPrefix(m[1], "/lettre/confirmer/") {
			t.Fatal("no confirmation link")
		}
		b.Get(m[1]).Want(t, http.StatusOK).WantBody(t, who, "Chantier de la rue Haute", `action="`+m[1]+`"`)
		b.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Abonnement confirmé</h1>")

		res := staff.Post("/gestion/lettre/campagnes", url.Values{"subject": {"Travaux de la rue Haute"}}).Want(t, http.StatusSeeOther)
		page := res.Header.Get("Location")
		id := strings.TrimPrefix(page, "/gestion/lettre/campagnes/")
		// A block is added, then the campaign saved with it.
		staff.Post(page, url.Values{"subject": {"Travaux de la rue Haute"}, "blocks": {"0"}, "action": {"add:text"}}).
			Want(t, http.StatusOK).WantBody(t, `name="block_text_0"`)
		staff.Post(page, url.Values{"subject": {"Travaux de la rue Haute"}, "blocks": {"1"}, "block_type_0": {"text"}, "block_text_0": {""}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-blocks.0"`)
		staff.Post(page, url.Values{"subject": {"Travaux de la rue Haute"}, "preheader": {"La rue rouvre lundi."}, "blocks": {"1"},
			"block_type_0": {"text"}, "block_text_0": {"La **rue Haute** rouvre lundi. [Le plan](https://montclair.example/plan)."},
			"lists": {lists[0].ID}, "rate": {"0"}, "archived": {"1"}}).Want(t, http.StatusSeeOther)
		staff.Get(page+"/apercu?largeur=320").Want(t, http.StatusOK).WantBody(t, `width="320"`, "<iframe")
		staff.Get(page+"/apercu/courriel").Want(t, http.StatusOK).WantBody(t, "<strong>rue Haute</strong>", `lang="fr"`)

		staff.Post(page+"/essai", url.Values{"to": {"communication@montclair.localhost"}, "lang": {"fr"}}).Want(t, http.StatusSeeOther)
		trial := e.Mail.WaitFor(t, "communication@montclair.localhost", 10*time.Second)
		if trial.Subject != "[Essai] Travaux de la rue Haute" || !strings.Contains(trial.HTML, "<strong>rue Haute</strong>") {
			t.Errorf("test send: %q", trial.Subject)
		}

		staff.Post(page+"/envoyer", nil).Want(t, http.StatusSeeOther)
		msg := e.Mail.WaitFor(t, who, 20*time.Second)
		unsub := strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
		if msg.Subject != "Travaux de la rue Haute" || msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" ||
			!strings.HasPrefix(unsub, "http://montclair.localhost/lettre/desabonnement/") || !strings.Contains(msg.Text, "rue Haute") {
			t.Fatalf("campaign message: %q, unsubscribe %q", msg.Subject, unsub)
		}
		c := waitSent(t, store, e.Town.ID, id)
		if c.Total != 1 || c.Sent != 1 {
			t.Errorf("campaign: total %d, sent %d", c.Total, c.Sent)
		}
		var st struct {
			Status  string
			Percent int
		}
		if err := json.Unmarshal([]byte(staff.Get(page+"/etat").Want(t, http.StatusOK).Body), &st); err != nil || st.Status != "sent" || st.Percent != 100 {
			t.Errorf("progress: %+v, %v", st, err)
		}
		staff.Get(page).Want(t, http.StatusOK).WantBody(t, "Envoyée", `<progress id="barre" max="1" value="1">`)

		// The mail client's one-click POST: no session, no cookie, twice.
		path := strings.TrimPrefix(unsub, "http://montclair.localhost")
		for range 2 {
			client := e.Browser(e.Town)
			client.Do(http.MethodPost, path, url.Values{"List-Unsubscribe": {"One-Click"}}, nil).Want(t, http.StatusOK).
				WantBody(t, "<h1>Désabonnement effectué</h1>")
		}
		if _, err := store.SubscriberByUnsubscribe(ctx, e.Town.ID, path[strings.LastIndex(path, "/")+1:]); err != newsletter.ErrNotFound {
			t.Errorf("still subscribed: %v", err)
		}
		b.Get(path).Want(t, http.StatusOK).WantBody(t, "ne reçoit plus")

		b.Get("/lettre").Want(t, http.StatusOK).WantBody(t, "Travaux de la rue Haute", "/lettre/numeros/"+c.Slug)
		b.Get("/lettre/numeros/"+c.Slug).Want(t, http.StatusOK).WantBody(t, "<strong>rue Haute</strong>")
		b.Get("/lettre/numeros/"+c.Slug+"/courriel").Want(t, http.StatusOK).WantBody(t, "Version en ligne", "/lettre")
	}, apptest.WithMail(), apptest.WithDemoData())
}

// waitSent waits for the campaign's job to finish sending.
func waitSent(t *testing.T, store *newsletter.Store, tenantID, id string) *newsletter.Campaign {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := store.Campaign(context.Background(), tenantID, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == newsletter.CampaignSent {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaign still %s after 20 s", c.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTestSendReadInTheConsole is the demo's newcomer: without an SMTP
// server, the editor sends the demo's draft as a test, and the operator
// reads it in the console's outbox, held there.
func TestTestSendReadInTheConsole(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := newsletterweb.Of(e.App.Kernel).Store
		drafts, err := store.Campaigns(ctx, e.Town.ID, newsletter.CampaignFilter{Status: newsletter.CampaignDraft})
		if err != nil || len(drafts) != 1 {
			t.Fatalf("the demo's drafts: %d, %v", len(drafts), err)
		}
		archive, _, err := store.Archive(ctx, e.Town.ID, publishing.Cursor{}, 10)
		if err != nil || len(archive) != 2 {
			t.Fatalf("the demo's archive: %d, %v", len(archive), err)
		}
		draft := drafts[0]
		staff := e.Browser(e.Town).SignInDemo(t, "communication@montclair.localhost")
		staff.Get("/gestion/lettre").Want(t, http.StatusOK).WantBody(t, html.EscapeString(draft.French.Subject), html.EscapeString(archive[0].French.Subject))
		staff.Get("/gestion/lettre/campagnes/"+draft.ID).Want(t, http.StatusOK).WantBody(t, "Envoyer l&#39;essai")
		staff.Post("/gestion/lettre/campagnes/"+draft.ID+"/essai", url.Values{"to": {"communication@montclair.localhost"}, "lang": {"fr"}}).
			Want(t, http.StatusSeeOther)
		list, _, err := e.App.Mail.ListAll(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var found string
		for _, m := range list {
			if m.To == "communication@montclair.localhost" && m.Subject == "[Essai] "+draft.French.Subject {
				found = "/console/courriels/" + m.TenantID + "/" + m.ID
			}
		}
		if found == "" {
			t.Fatal("the test send is not in the outbox")
		}
		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		op.Get(found).Want(t, http.StatusOK).WantBody(t, html.EscapeString("[Essai] "+draft.French.Subject), "fêtes de fin d&#39;année")
	}, apptest.WithDemoData())
}
