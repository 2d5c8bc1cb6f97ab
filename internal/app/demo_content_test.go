package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/publishing"
)

// TestDemoCollectivitesHaveTheirOwnContent: the village's news are not the
// town's, and each demo alert names one of its own collectivité's
// neighbourhoods.
func TestDemoCollectivitesHaveTheirOwnContent(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		titles := map[string][]string{}
		for _, tn := range []struct{ name, id string }{{"town", e.Town.ID}, {"village", e.Village.ID}} {
			list, _, err := newsweb.Of(e.App.Kernel).Store.ListPublic(ctx, tn.id, publishing.ListFilter{Limit: 50})
			if err != nil || len(list) == 0 {
				t.Fatalf("%s's news: %d, %v", tn.name, len(list), err)
			}
			for _, n := range list {
				titles[tn.name] = append(titles[tn.name], n.Title)
			}
			areas, err := alertsweb.Of(e.App.Kernel).Store.Areas(ctx, tn.id)
			if err != nil {
				t.Fatal(err)
			}
			active, err := alertsweb.Of(e.App.Kernel).Store.Active(ctx, tn.id)
			if err != nil || len(active) == 0 {
				t.Fatalf("%s's alerts: %d, %v", tn.name, len(active), err)
			}
			for _, a := range active {
				if !slices.Contains(areas, a.Area) || !strings.Contains(a.Title, a.Area) {
					t.Errorf("%s's alert %q is for %q, not one of %v", tn.name, a.Title, a.Area, areas)
				}
			}
		}
		for _, title := range titles["village"] {
			if slices.Contains(titles["town"], title) {
				t.Errorf("the village repeats the town's news %q", title)
			}
		}
	}, apptest.WithDemoData())
}
