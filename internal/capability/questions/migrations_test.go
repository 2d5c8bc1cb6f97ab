package questions_test

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/questions"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// TestDatabaseOfLocalInformationMigrates starts from a database migrated
// when questions were part of local information: the "content" set
// applied, a question asked and its check mail still in the outbox under
// the old template's name. The questions' own set then names the new
// template, the question reads as before, and migrating again changes
// nothing.
func TestDatabaseOfLocalInformationMigrates(t *testing.T) {
	t.Parallel()
	// The shared set begins with the one applied before the split, file
	// for file (later files change other capabilities' tables).
	names, err := fs.Glob(publishing.ContentTables.Files, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0001_content.sql", "0002_event_dates_upcoming.sql", "0003_registration_dates.sql", "0004_personal_data.sql"}
	if publishing.ContentTables.Domain != "content" || len(names) < len(want) || !slices.Equal(names[:len(want)], want) {
		t.Fatalf("the shared set is %s %v, want content %v", publishing.ContentTables.Domain, names, want)
	}
	before := []db.Migrations{tenant.Migrations, mail.Migrations, search.Migrations, publishing.ContentTables}
	dbtest.Each(t, before, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
		if _, err := d.Exec(ctx, `INSERT INTO content_questions (id, tenant_id, kind, question, details, asker_name, asker_email,
			user_id, status, verify_hash, created_at, lang) VALUES ('q1', ?, 'question', 'Quand ouvre la piscine ?', '', 'Camille',
			'camille@exemple.fr', '', 'unverified', 'empreinte', ?, 'fr')`, tn.ID, now); err != nil {
			t.Fatal(err)
		}
		for id, template := range map[string]string{"m1": "content/question_verify", "m2": "content/question_answered",
			"m3": "content/registration"} {
			if _, err := d.Exec(ctx, `INSERT INTO outbox (id, tenant_id, recipient, template, lang, data, status, created_at)
				VALUES (?, ?, 'camille@exemple.fr', ?, 'fr', '{}', 'queued', ?)`, id, tn.ID, template, now); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if err := d.Migrate(ctx, append(before, questions.Migrations)); err != nil {
				t.Fatal(err)
			}
		}
		for id, want := range map[string]string{"m1": "questions/question_verify", "m2": "questions/question_answered",
			"m3": "content/registration"} {
			var got string
			if err := d.QueryRow(ctx, `SELECT template FROM outbox WHERE id = ?`, id).Scan(&got); err != nil || got != want {
				t.Errorf("mail %s names %q (%v), want %q", id, got, err, want)
			}
			if name, ok := strings.CutPrefix(want, "questions/"); ok {
				if _, err := fs.Stat(questions.MailFiles(), "mail/"+name+".fr.txt"); err != nil {
					t.Errorf("mail %s: %v", id, err)
				}
			}
		}
		q, err := questions.NewStore(d, nil).QuestionByID(ctx, tn.ID, "q1")
		if err != nil || q.Question != "Quand ouvre la piscine ?" || q.Status != questions.QUnverified || q.AskerEmail != "camille@exemple.fr" {
			t.Errorf("the question after the migration: %+v, %v", q, err)
		}
	})
}
