package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel/invalidate"
)

// TestKeptPagesShowWhatAnotherProcessWrote checks that the pages kept by
// their data (web.Renderer.PageData) are never staler than a fresh
// render: a change written straight into the database, as another
// process sharing it would write it, without any announcement to this
// one, shows on the very next visit of each page. A news item's and the
// agenda's pages read their data from a memo (news-home, events-lists):
// for them the other process's announcement is delivered as the relay
// between processes delivers it (Bus.Receive), and the change must show
// on the next visit after it.
func TestKeptPagesShowWhatAnotherProcessWrote(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		b := e.Browser(e.Town)
		question := regexp.MustCompile(`/questions/[0-9a-f-]{36}`).FindString(b.Get("/questions").Want(t, http.StatusOK).Body)
		if question == "" {
			t.Fatal("no question on /questions")
		}
		id := strings.TrimPrefix(question, "/questions/")
		cases := []struct {
			path, sql, shows string
			args             []any
			relayed          bool
		}{
			{"/actualites", `UPDATE content_news SET title = ? WHERE tenant_id = ? AND slug = ?`, "Titre changé ailleurs",
				[]any{e.Town.ID, "travaux-rue-victor-hugo-circulation-alternee"}, false},
			{"/actualites/compte-rendu-du-conseil-municipal", `UPDATE content_news SET body = ? WHERE tenant_id = ? AND slug = ?`,
				"Texte changé ailleurs", []any{e.Town.ID, "compte-rendu-du-conseil-municipal"}, true},
			{"/agenda", `UPDATE content_events SET title = ? WHERE tenant_id = ? AND slug = ?`, "Marché changé ailleurs",
				[]any{e.Town.ID, "marche-hebdomadaire"}, true},
			{"/agenda/fete-de-l-ete", `UPDATE content_events SET place = ? WHERE tenant_id = ? AND slug = ?`, "Lieu changé ailleurs",
				[]any{e.Town.ID, "fete-de-l-ete"}, true},
			{"/questions", `UPDATE content_questions SET question = ? WHERE tenant_id = ? AND id = ?`, "Question changée ailleurs ?",
				[]any{e.Town.ID, id}, false},
			{question, `UPDATE content_questions SET answer = ? WHERE tenant_id = ? AND id = ?`, "Réponse changée ailleurs",
				[]any{e.Town.ID, id}, false},
			{"/vie-pratique", `UPDATE content_pages SET summary = ? WHERE tenant_id = ? AND slug = ?`, "Résumé changé ailleurs",
				[]any{e.Town.ID, "piscine-municipale"}, false},
			{"/vie-pratique/collecte-des-dechets", `UPDATE content_pages SET body = ? WHERE tenant_id = ? AND slug = ?`,
				"Collecte changée ailleurs", []any{e.Town.ID, "collecte-des-dechets"}, false},
			{"/demarches", `UPDATE procedures SET summary = ? WHERE tenant_id = ? AND slug = ?`, "Démarche changée ailleurs",
				[]any{e.Town.ID, "acte-de-naissance"}, false},
			{"/demarches/inscription-scolaire", `UPDATE procedures SET title = ? WHERE tenant_id = ? AND slug = ?`,
				"Inscription changée ailleurs", []any{e.Town.ID, "inscription-scolaire"}, false},
		}
		for _, c := range cases {
			first := b.Get(c.path).Want(t, http.StatusOK).Body
			if again := b.Get(c.path).Want(t, http.StatusOK).Body; again != first {
				t.Fatalf("%s: two visits with the same data differ", c.path)
			}
			if strings.Contains(first, c.shows) {
				t.Fatalf("%s shows %q before the change", c.path, c.shows)
			}
			res, err := e.App.DB.Exec(ctx, c.sql, append([]any{c.shows}, c.args...)...)
			if n, _ := res.RowsAffected(); err != nil || n != 1 {
				t.Fatalf("%s: %d rows changed, %v", c.path, n, err)
			}
			if c.relayed {
				e.App.Changes.Receive(invalidate.Change{Kind: invalidate.Content, TenantID: e.Town.ID})
			}
			b.Get(c.path).WantBody(t, c.shows)
		}
	}, apptest.WithDemoData())
}
