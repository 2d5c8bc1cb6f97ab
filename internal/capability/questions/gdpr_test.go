package questions_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/questions"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// fixture is a questions store on a fresh database with a collectivité,
// on a clock the test moves.
type fixture struct {
	s    *questions.Store
	town *tenant.Tenant
	now  time.Time
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	sets := []db.Migrations{tenant.Migrations, mail.Migrations, search.Migrations, publishing.ContentTables, questions.Migrations}
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		town, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: "ville", Name: "Commune de ville",
			Kind: tenant.KindCommune, INSEE: "86990", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		f := &fixture{s: questions.NewStore(d, nil), town: town, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
		f.s.Now = func() time.Time { return f.now }
		fn(t, f)
	})
}

// TestQuestionsRetention: an unverified question goes a day past
// UnverifiedQuestionDays; QuestionDays after its answer a published
// question loses its asker and a rejected one goes, a day earlier
// neither changes; a question still waiting goes QuestionDays after it
// was asked.
func TestQuestionsRetention(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		day0 := f.now
		at := func(daysAgo int) { f.now = day0.AddDate(0, 0, -daysAgo) }
		ask := func(user, name, email string, daysAgo int) *questions.Question {
			at(daysAgo)
			q, err := f.s.Ask(ctx, f.town.ID, user, name, email, "Une question de "+name+" ?", "", "http://ville.localhost", "fr")
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		answer := func(q *questions.Question, publish bool, daysAgo int) {
			at(daysAgo)
			if _, err := f.s.Answer(ctx, f.town.ID, q.ID, "Réponse.", "Modération", publish, "http://ville.localhost"); err != nil {
				t.Fatal(err)
			}
		}
		unverifiedIn := ask("", "Ulysse", "ulysse@exemple.fr", questions.UnverifiedQuestionDays-1)
		unverifiedOut := ask("", "Ursule", "ursule@exemple.fr", questions.UnverifiedQuestionDays+1)
		publishedIn := ask("u1", "Paul", "paul@exemple.fr", 500)
		answer(publishedIn, true, questions.QuestionDays-1)
		publishedOut := ask("u2", "Pauline", "pauline@exemple.fr", 500)
		answer(publishedOut, true, questions.QuestionDays+1)
		rejectedIn := ask("u3", "Rémi", "remi@exemple.fr", 500)
		answer(rejectedIn, false, questions.QuestionDays-1)
		rejectedOut := ask("u4", "Rose", "rose@exemple.fr", 500)
		answer(rejectedOut, false, questions.QuestionDays+1)
		waitingIn := ask("u5", "Wanda", "wanda@exemple.fr", questions.QuestionDays-1)
		waitingOut := ask("u6", "Wilfried", "wilfried@exemple.fr", questions.QuestionDays+1)
		f.now = day0
		if n, err := f.s.PurgeQuestions(ctx); err != nil || n != 4 {
			t.Fatalf("retention changed %d questions, %v; want 4", n, err)
		}
		for _, q := range []*questions.Question{unverifiedOut, rejectedOut, waitingOut} {
			if _, err := f.s.QuestionByID(ctx, f.town.ID, q.ID); !errors.Is(err, questions.ErrNotFound) {
				t.Errorf("%q stayed: %v", q.Question, err)
			}
		}
		for _, q := range []*questions.Question{unverifiedIn, publishedIn, rejectedIn, waitingIn} {
			got, err := f.s.QuestionByID(ctx, f.town.ID, q.ID)
			if err != nil || got.AskerName == "" || got.AskerEmail == "" {
				t.Errorf("%q changed inside its period: %+v, %v", q.Question, got, err)
			}
		}
		got, err := f.s.QuestionByID(ctx, f.town.ID, publishedOut.ID)
		if err != nil || got.Status != questions.QPublished || got.AskerName != "" || got.AskerEmail != "" || got.UserID != "" ||
			got.Answer == "" {
			t.Errorf("published question past its period: %+v, %v; want it public without its asker", got, err)
		}
	})
}

// TestErasureKeepsPublishedAnswers: erasing a person deletes their
// unpublished question, keeps their published question without them, and
// their export finds none of them any more.
func TestErasureKeepsPublishedAnswers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		pending, err := f.s.Ask(ctx, f.town.ID, "compte-alice", "Alice", "", "Question en attente ?", "", "", "fr")
		if err != nil {
			t.Fatal(err)
		}
		public, err := f.s.Ask(ctx, f.town.ID, "compte-alice", "Alice", "", "Question publiée ?", "", "", "fr")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Answer(ctx, f.town.ID, public.ID, "Oui.", "Modération", true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Ask(ctx, f.town.ID, "compte-bob", "Bob", "bob@exemple.fr", "Question de Bob ?", "", "", "fr"); err != nil {
			t.Fatal(err)
		}
		alice := account.Person{TenantID: f.town.ID, UserID: "compte-alice", Email: "alice@exemple.fr", SiteURL: "http://ville.localhost"}
		export := func() string {
			data, err := f.s.Export(ctx, alice)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(data)
			return string(b)
		}
		before := export()
		for _, want := range []string{"Question en attente ?", "Question publiée ?"} {
			if !strings.Contains(before, want) {
				t.Errorf("the export lacks %q:\n%s", want, before)
			}
		}
		if strings.Contains(before, "Bob") {
			t.Errorf("the export holds another person's records:\n%s", before)
		}
		if err := f.s.Erase(ctx, alice); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.QuestionByID(ctx, f.town.ID, pending.ID); !errors.Is(err, questions.ErrNotFound) {
			t.Errorf("the unpublished question stayed: %v", err)
		}
		got, err := f.s.QuestionByID(ctx, f.town.ID, public.ID)
		if err != nil || got.Status != questions.QPublished || got.AskerName != "" || got.UserID != "" {
			t.Errorf("the published question: %+v, %v", got, err)
		}
		if after := export(); strings.Contains(after, "Question") {
			t.Errorf("the export still finds the erased person's records:\n%s", after)
		}
		var bob int
		if err := f.s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM content_questions WHERE user_id = ?`, "compte-bob").Scan(&bob); err != nil || bob != 1 {
			t.Errorf("Bob's question: %d, %v", bob, err)
		}
	})
}
