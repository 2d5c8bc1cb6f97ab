package fediverseweb_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/fediverse"
	"guichet/internal/capability/fediverse/fediverseweb"
)

// TestRepliesUnderTheNewsItem: the demo's approved replies show under
// their news item, sanitised, with a report link; the one waiting for
// moderation does not, until a moderator approves it.
func TestRepliesUnderTheNewsItem(t *testing.T) {
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		c := fediverseweb.Of(e.App.Kernel)
		items, _, err := c.Store.OutboxPage(ctx, e.Town.ID, 1, 1)
		if err != nil || len(items) != 1 {
			t.Fatalf("demo item: %v %v", items, err)
		}
		path := items[0].URL[strings.Index(items[0].URL, "/actualites/"):]
		b := e.Browser(e.Town)
		page := b.Get(path).Want(t, http.StatusOK).WantBody(t, "Claire M.", "Association des Tilleuls", "Signaler cette réponse")
		if strings.Contains(page.Body, "vacances scolaires") {
			t.Fatal("a reply waiting for moderation is shown")
		}
		pending, _ := c.Store.Replies(ctx, e.Town.ID, fediverse.Pending, 10)
		if len(pending) != 1 {
			t.Fatalf("pending: %d", len(pending))
		}
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Get("/gestion/fediverse").Want(t, http.StatusOK).WantBody(t, "@montclair@", "vacances scolaires")
		admin.Post("/gestion/fediverse/reponses/"+pending[0].ID+"/approuver", nil).WantRedirect(t, "/gestion/fediverse")
		b.Get(path).Want(t, http.StatusOK).WantBody(t, "vacances scolaires")
		b.Get(fediverse.ActorPath).Want(t, http.StatusOK).WantBody(t, "@montclair@")
	}, apptest.WithDemoData())
}
