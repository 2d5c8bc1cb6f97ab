package newsweb_test

import (
	"context"
	"guichet/internal/apptest"
	"guichet/internal/capability/news"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/publishing"
	"strings"
	"testing"
	"time"
)

// TestNewsFeedReadByAnIndependentParser publishes a news item whose title
// and text need escaping, and reads the news' Atom feed with
// @rowanmanning/feed-parser: every field comes back, the script does not.
func TestNewsFeedReadByAnIndependentParser(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		checkAtom(t, e, e.Browser(e.Town))
	})
}

func checkAtom(t *testing.T, e *apptest.Env, b *apptest.Browser) {
	ctx := context.Background()
	n := &news.News{TenantID: e.Town.ID, Category: "travaux", Title: "Travaux & déviation <rue Haute>",
		Summary: "Résumé", Body: "Texte avec **gras** et <script>alert(1)</script>", Status: publishing.StatusPublished}
	if err := newsweb.Of(e.App.Kernel).Store.Save(ctx, n, "test", "published"); err != nil {
		t.Fatal(err)
	}
	type atomOut struct {
		Title, URL, Self string
		Entries          []struct {
			ID, Title, URL, Content, Published, Updated string
			Categories                                  []string
		}
	}
	var feed atomOut
	res := b.Get("/actualites/flux.atom").Want(t, 200)
	apptest.ParseFeed(t, "atom", res.Body, &feed)
	if len(feed.Entries) != 1 {
		t.Fatalf("news feed: %+v", feed)
	}
	got := feed.Entries[0]
	if got.ID != "urn:uuid:"+n.ID || got.Title != n.Title || got.URL != "http://montclair.localhost"+n.URL() ||
		!strings.Contains(got.Content, "<strong>gras</strong>") || strings.Contains(got.Content, "<script") ||
		len(got.Categories) != 1 || got.Categories[0] != "travaux" {
		t.Errorf("news entry: %+v", got)
	}
	if p, err := time.Parse(time.RFC3339, got.Published); err != nil || !p.Equal(*n.PublishAt) {
		t.Errorf("published %q, want %s", got.Published, n.PublishAt)
	}
	if feed.Self != "http://montclair.localhost/actualites/flux.atom" {
		t.Errorf("self link %q", feed.Self)
	}
}
