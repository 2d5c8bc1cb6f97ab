package sharingweb_test

import (
	"context"
	"html"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/sharing"
	"guichet/internal/capability/sharing/sharingweb"
)

func TestQueueAndAccountsPagesNeverShowTheSecret(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		c := sharingweb.Of(e.App.Kernel)
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		q := admin.Get("/gestion/partage")
		if q.Status != 200 {
			t.Fatalf("queue: %d", q.Status)
		}
		for _, want := range []string{"En attente de validation", sharing.DemoRefusal, "https://" + sharingweb.DemoHost + "/@mairie/", "Valider et publier"} {
			if !strings.Contains(q.Body, html.EscapeString(want)) {
				t.Errorf("queue lacks %q", want)
			}
		}
		acc := admin.Get("/gestion/partage/comptes")
		if acc.Status != 200 || !strings.Contains(acc.Body, "enregistré le") || !strings.Contains(acc.Body, "Adresse de démonstration") {
			t.Fatalf("accounts: %d", acc.Status)
		}
		for _, page := range []string{q.Body, acc.Body} {
			if strings.Contains(page, "jeton-de-demonstration-sans-valeur") {
				t.Fatal("a page shows the account's secret")
			}
		}
		// Adding an account with a private host is refused; with a public one, saved.
		res := admin.Post("/gestion/partage/comptes", url.Values{"network": {"mastodon"}, "host": {"192.168.1.10"},
			"secret": {"jeton-tout-neuf"}, "kinds": {"news"}})
		if res.Status != 422 || !strings.Contains(res.Body, html.EscapeString("n'est pas un nom de serveur public")) {
			t.Fatalf("private host: %d", res.Status)
		}
		res = admin.Post("/gestion/partage/comptes", url.Values{"network": {"mastodon"}, "host": {"https://piaille.fr/"},
			"secret": {"jeton-tout-neuf"}, "kinds": {"news", "alert"}, "approval": {"1"}})
		if res.Status != 303 {
			t.Fatalf("add: %d %.300s", res.Status, res.Body)
		}
		if page := admin.Get("/gestion/partage/comptes").Body; strings.Contains(page, "jeton-tout-neuf") || !strings.Contains(page, "piaille.fr") {
			t.Error("the new account's secret shows, or the account does not")
		}
		// The periodic run twice queues nothing the second time.
		ctx := context.Background()
		if err := c.Collect(ctx); err != nil {
			t.Fatal(err)
		}
		before, _ := c.Store.Posts(ctx, e.Town.ID, 500, sharing.Pending, sharing.Queued)
		if err := c.Collect(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := c.Store.Posts(ctx, e.Town.ID, 500, sharing.Pending, sharing.Queued)
		if len(before) != len(after) {
			t.Errorf("a second run queued %d more", len(after)-len(before))
		}
	}, apptest.WithDemoData())
}

func TestShareOnTheReadersInstance(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		page := b.Get("/partager?url=" + url.QueryEscape("http://montclair.localhost/actualites/marche") + "&titre=Le+march%C3%A9")
		if page.Status != 200 || !strings.Contains(page.Body, `value="http://montclair.localhost/actualites/marche"`) {
			t.Fatalf("share page: %d", page.Status)
		}
		// Another site's address is not shared under the town's name.
		if p := b.Get("/partager?url=" + url.QueryEscape("https://arnaque.example/")); strings.Contains(p.Body, "arnaque") {
			t.Error("the page offers to share another site")
		}
		res := b.Post("/partager", url.Values{"url": {"http://montclair.localhost/actualites/marche"}, "titre": {"Le marché"},
			"instance": {"@alice@Piaille.fr"}})
		if res.Status != 303 {
			t.Fatalf("share: %d", res.Status)
		}
		loc, err := url.Parse(res.Location)
		if err != nil || loc.Scheme != "https" || loc.Host != "piaille.fr" || loc.Path != "/share" ||
			loc.Query().Get("text") != "Le marché\n\nhttp://montclair.localhost/actualites/marche" {
			t.Fatalf("redirected to %q", res.Location)
		}
		for _, bad := range []string{"https://evil.example/steal?x=", "127.0.0.1", "piaille.fr/share?text=x", "javascript:alert(1)", ""} {
			res := b.Post("/partager", url.Values{"url": {"/"}, "instance": {bad}})
			if res.Status != 422 || res.Location != "" {
				t.Errorf("instance %q: %d to %q", bad, res.Status, res.Location)
			}
		}
	})
}
