package questions_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"guichet/internal/capability/questions"
	"guichet/internal/publishing"
)

// TestPublicListsMatchEachKindsList checks the questions page's one
// statement against the list of each kind read alone: the same questions
// in the same order, the limit kept per kind, nothing unpublished, and
// nothing of who asked.
func TestPublicListsMatchEachKindsList(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		day0 := f.now
		for i := range 9 {
			f.now = day0.AddDate(0, 0, i)
			post := &questions.Question{TenantID: f.town.ID, Kind: questions.QuestionFAQ, Question: fmt.Sprintf("Question fréquente %d ?", i),
				Answer: "Réponse."}
			if i%2 == 0 {
				post.Kind, post.Verdict = questions.QuestionTrueFalse, questions.Verdicts[i%3]
			}
			if err := f.s.SavePost(ctx, post, "Modération"); err != nil {
				t.Fatal(err)
			}
			asked, err := f.s.Ask(ctx, f.town.ID, "u1", "Camille", "camille@exemple.fr", fmt.Sprintf("Une question %d ?", i), "", "http://ville.localhost", "fr")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Answer(ctx, f.town.ID, asked.ID, "Réponse.", "Modération", i != 4, "http://ville.localhost"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.Ask(ctx, f.town.ID, "u2", "Dominique", "dominique@exemple.fr", "Pas encore répondue ?", "", "http://ville.localhost", "fr"); err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{3, 20} {
			lists, err := f.s.PublicLists(ctx, f.town.ID, limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range questions.PublicKinds {
				want, _, err := f.s.ListQuestions(ctx, f.town.ID, questions.QPublished, kind, publishing.Cursor{}, limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(want) == 0 {
					t.Fatalf("no %s to compare", kind)
				}
				got := lists[kind]
				if !slices.EqualFunc(got, want, func(a, b *questions.Question) bool {
					return a.ID == b.ID && a.Question == b.Question && a.Verdict == b.Verdict && a.Kind == kind && a.AnsweredAt.Equal(*b.AnsweredAt)
				}) {
					t.Errorf("limit %d, %s: %d questions, want the %d of its own list", limit, kind, len(got), len(want))
				}
				for _, q := range got {
					if q.AskerEmail != "" || q.AskerName != "" || q.UserID != "" {
						t.Errorf("%s lists who asked %q", kind, q.Question)
					}
				}
			}
		}
	})
}
