package participation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

// modMail is a mail the moderation queued, rendered in its reader's
// language.
type modMail struct {
	mail.Message
	Subject, Text string
}

// modOutbox renders each mail from its data as the outbox stores it
// (JSON), in both languages: a template naming a missing key fails the
// transaction, as it would for real.
type modOutbox struct {
	mu   sync.Mutex
	tpl  *mail.Templates
	sent []modMail
}

func newModOutbox(t testing.TB) *modOutbox {
	tpl := mail.NewTemplates()
	if err := tpl.Add("participation", participation.MailFiles()); err != nil {
		t.Fatal(err)
	}
	return &modOutbox{tpl: tpl}
}

func (o *modOutbox) EnqueueTx(_ context.Context, tx *db.Tx, m mail.Message) error {
	if tx == nil {
		return fmt.Errorf("a mail outside a transaction")
	}
	mine, err := renderMail(o.tpl, m)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, modMail{Message: m, Subject: mine.Subject, Text: mine.Text})
	return nil
}

func (o *modOutbox) take() []modMail {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.sent
	o.sent = nil
	return out
}

// modEnv is the shared env with the outbox and the site's address the
// moderation's mails need.
func modEnv(t *testing.T, d *db.DB) (*env, *modOutbox) {
	e := newEnv(t, d)
	out := newModOutbox(t)
	e.s.Mail = out
	e.s.Links = func(context.Context, string) (string, *time.Location, error) {
		return "https://montclair.example", time.UTC, nil
	}
	return e, out
}

func (e *env) email(userID string) string {
	e.t.Helper()
	u, err := e.users.Get(e.ctx, e.town.ID, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Email
}

func (e *env) replies(th *participation.Thread) int {
	e.t.Helper()
	got, err := e.s.Thread(e.ctx, e.town.ID, th.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got.Replies
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if guichet.ErrorCode(err) != code {
		t.Fatalf("want a %s error, got %v", code, err)
	}
}

func TestModerationReports(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e, _ := modEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, julien, nadia := e.author("Claire Martin", 400*24*time.Hour), e.author("Julien Petit", 300*24*time.Hour),
			e.author("Nadia Benali", 200*24*time.Hour)
		th, _ := e.start(sp, claire, "Le marché du samedi", "Le marché pourrait-il ouvrir plus tôt en été ?")
		m := e.reply(sp, th, julien, "Je trouve que c'est une idée inutile.")

		if err := e.s.Report(e.ctx, e.town.ID, m.ID, julien.ID, participation.ReasonInsult, ""); !errors.Is(err, participation.ErrOwnMessage) {
			t.Fatalf("reporting one's own message: %v", err)
		}
		err := e.s.Report(e.ctx, e.town.ID, m.ID, claire.ID, "nimporte", "")
		if guichet.FieldErrors(err)["reason"] == "" {
			t.Fatalf("an unknown reason: %v", err)
		}
		if err := e.s.Report(e.ctx, e.town.ID, m.ID, claire.ID, participation.ReasonInsult, "Ton méprisant."); err != nil {
			t.Fatal(err)
		}
		err = e.s.Report(e.ctx, e.town.ID, m.ID, claire.ID, participation.ReasonSpam, "")
		wantCode(t, err, guichet.EConflict)
		if !strings.Contains(err.Error(), "déjà signalé") {
			t.Fatalf("the second report's error: %v", err)
		}
		if err := e.s.Report(e.ctx, e.town.ID, m.ID, nadia.ID, participation.ReasonOffTopic, ""); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.HasReported(e.ctx, e.town.ID, m.ID, nadia.ID); !ok {
			t.Fatal("HasReported does not see the report")
		}

		q, err := e.s.Queue(e.ctx, e.town.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.ReportedCount != 1 || len(q.Reported) != 1 || len(q.Reported[0].Reports) != 2 {
			t.Fatalf("the queue's reported: %d %+v", q.ReportedCount, q.Reported)
		}
		it := q.Reported[0]
		if it.Thread.Title != "Le marché du samedi" || it.Message.ID != m.ID {
			t.Fatalf("the reported item: %+v", it)
		}
		if rs := it.Reasons(); len(rs) != 2 || rs[0].Reason != participation.ReasonInsult || rs[1].Reason != participation.ReasonOffTopic {
			t.Fatalf("the reasons: %+v", rs)
		}

		if err := e.s.Dismiss(e.ctx, e.town.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if q, _ = e.s.Queue(e.ctx, e.town.ID); q.ReportedCount != 0 || len(q.Reported) != 0 {
			t.Fatalf("a dismissed message stays in the queue: %+v", q.Reported)
		}

		// A hidden message cannot be reported.
		if _, err := e.s.Hide(e.ctx, e.town.ID, m.ID, "Hors charte.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Report(e.ctx, e.town.ID, m.ID, e.author("Paul Renaud", 90*24*time.Hour).ID, participation.ReasonSpam, ""); !errors.Is(err, participation.ErrNotFound) {
			t.Fatalf("reporting a hidden message: %v", err)
		}
	})
}

func TestModerationHideRestore(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e, out := modEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, julien := e.author("Claire Martin", 400*24*time.Hour), e.author("Julien Petit", 300*24*time.Hour)
		th, opener := e.start(sp, claire, "Le parc des Tilleuls", "Qui vient nettoyer le parc dimanche ?")
		m := e.reply(sp, th, julien, "Vous êtes tous des fainéants.")
		if err := e.s.Report(e.ctx, e.town.ID, m.ID, claire.ID, participation.ReasonInsult, ""); err != nil {
			t.Fatal(err)
		}
		if e.replies(th) != 1 {
			t.Fatalf("replies before: %d", e.replies(th))
		}
		_, err := e.s.Hide(e.ctx, e.town.ID, m.ID, "  ", "moderateur")
		if guichet.FieldErrors(err)["reason"] == "" {
			t.Fatalf("hiding without a reason: %v", err)
		}
		_, err = e.s.Hide(e.ctx, e.town.ID, m.ID, strings.Repeat("x", participation.MaxReason+1), "moderateur")
		if guichet.FieldErrors(err)["reason"] == "" {
			t.Fatalf("a too long reason: %v", err)
		}
		reason := "Propos injurieux envers les voisins, contraires à la charte."
		if _, err := e.s.Hide(e.ctx, e.town.ID, m.ID, reason, "moderateur"); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Message(e.ctx, e.town.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != participation.Hidden || got.Reason != reason || got.ModeratedAt == nil {
			t.Fatalf("the hidden message: %+v", got)
		}
		if e.replies(th) != 0 {
			t.Fatalf("a hidden reply still counts: %d", e.replies(th))
		}
		sent := out.take()
		if len(sent) != 1 || sent[0].To != e.email(julien.ID) || sent[0].Template != "participation/message_hidden" {
			t.Fatalf("the author's mail: %+v", sent)
		}
		for _, want := range []string{reason, "Le parc des Tilleuls", "https://montclair.example/participer/messages/" + m.ID + "/appel",
			"https://montclair.example/participer/charte"} {
			if !strings.Contains(sent[0].Text, want) {
				t.Fatalf("the mail lacks %q:\n%s", want, sent[0].Text)
			}
		}
		if q, _ := e.s.Queue(e.ctx, e.town.ID); q.ReportedCount != 0 {
			t.Fatal("the hidden message's reports stay open")
		}
		// Readers still see it in the thread, with its reason.
		list, err := e.s.Messages(e.ctx, e.town.ID, th.ID, claire.ID)
		shown := false
		for _, l := range list {
			shown = shown || (l.ID == m.ID && l.Reason == reason)
		}
		if err != nil || len(list) != 2 || !shown {
			t.Fatalf("the thread's messages: %v %+v", err, list)
		}
		if _, err := e.s.Hide(e.ctx, e.town.ID, m.ID, reason, "moderateur"); !errors.Is(err, participation.ErrNotModerable) {
			t.Fatalf("hiding twice: %v", err)
		}

		if _, err := e.s.Restore(e.ctx, e.town.ID, m.ID, "moderateur"); err != nil {
			t.Fatal(err)
		}
		if got, _ = e.s.Message(e.ctx, e.town.ID, m.ID); got.State != participation.Visible || got.Reason != "" {
			t.Fatalf("the restored message: %+v", got)
		}
		if e.replies(th) != 1 {
			t.Fatalf("a restored reply does not count: %d", e.replies(th))
		}

		// Hiding an opening message hides its thread.
		if _, err := e.s.Hide(e.ctx, e.town.ID, opener.ID, "Publicité.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Thread(e.ctx, e.town.ID, th.ID); got.State != participation.Hidden {
			t.Fatalf("the thread of a hidden opening message: %s", got.State)
		}
		if _, err := e.s.Restore(e.ctx, e.town.ID, opener.ID, "moderateur"); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Thread(e.ctx, e.town.ID, th.ID); got.State != participation.Visible || got.Replies != 1 {
			t.Fatalf("the restored thread: %s %d", got.State, got.Replies)
		}
	})
}

func TestModerationApprove(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e, _ := modEnv(t, d)
		sp := e.space("debats", participation.Rules{PremoderateNew: true})
		claire, emma := e.author("Claire Martin", 400*24*time.Hour), e.author("Emma Lefebvre", 2*24*time.Hour)
		th, _ := e.start(sp, claire, "Faut-il piétonniser la place ?", "La place du marché sans voitures le samedi.")
		m := e.reply(sp, th, emma, "Je suis pour, les enfants pourraient y jouer.")
		if m.State != participation.Pending {
			t.Fatalf("a new account's message in a premoderated space: %s", m.State)
		}
		e.advance(time.Minute)
		th2, opener := e.start(sp, emma, "Les horaires de la piscine", "Pourquoi la piscine ferme-t-elle à 19 heures ?")
		q, err := e.s.Queue(e.ctx, e.town.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.HeldCount != 2 || len(q.Held) != 2 || q.Held[0].Message.ID != m.ID || q.Held[0].Thread.Title != th.Title {
			t.Fatalf("the held messages: %d %+v", q.HeldCount, q.Held)
		}
		e.advance(time.Hour)
		if _, err := e.s.Approve(e.ctx, e.town.ID, m.ID, "moderateur"); err != nil {
			t.Fatal(err)
		}
		got, _ := e.s.Thread(e.ctx, e.town.ID, th.ID)
		if got.Replies != 1 || !got.LastActivity.Equal(e.clock()) {
			t.Fatalf("the approved reply's thread: %d %v", got.Replies, got.LastActivity)
		}
		if msg, _ := e.s.Message(e.ctx, e.town.ID, m.ID); msg.State != participation.Visible {
			t.Fatalf("the approved message: %s", msg.State)
		}
		if _, err := e.s.Approve(e.ctx, e.town.ID, m.ID, "moderateur"); !errors.Is(err, participation.ErrNotModerable) {
			t.Fatalf("approving twice: %v", err)
		}
		if _, err := e.s.Approve(e.ctx, e.town.ID, opener.ID, "moderateur"); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Thread(e.ctx, e.town.ID, th2.ID); got.State != participation.Visible || got.Replies != 0 {
			t.Fatalf("the approved opening message's thread: %s %d", got.State, got.Replies)
		}
		if q, _ = e.s.Queue(e.ctx, e.town.ID); q.HeldCount != 0 {
			t.Fatalf("held after approving: %d", q.HeldCount)
		}
	})
}

func TestModerationAppeals(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e, out := modEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, julien := e.author("Claire Martin", 400*24*time.Hour), e.author("Julien Petit", 300*24*time.Hour)
		th, _ := e.start(sp, claire, "Le parc des Tilleuls", "Qui vient nettoyer le parc dimanche ?")
		m := e.reply(sp, th, julien, "Je viendrai avec des gants.")
		if _, err := e.s.Appeal(e.ctx, e.town.ID, m.ID, julien.ID, "Rien à redire."); !errors.Is(err, participation.ErrNotFound) {
			t.Fatalf("appealing a visible message: %v", err)
		}
		if _, err := e.s.Hide(e.ctx, e.town.ID, m.ID, "Hors sujet.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		out.take()
		if _, err := e.s.Appeal(e.ctx, e.town.ID, m.ID, claire.ID, "Je le défends."); !errors.Is(err, participation.ErrNotFound) {
			t.Fatalf("appealing another's message: %v", err)
		}
		if _, err := e.s.Appeal(e.ctx, e.town.ID, m.ID, julien.ID, " "); guichet.FieldErrors(err)["text"] == "" {
			t.Fatalf("an empty appeal: %v", err)
		}
		a, err := e.s.Appeal(e.ctx, e.town.ID, m.ID, julien.ID, "Je proposais seulement mon aide.")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Appeal(e.ctx, e.town.ID, m.ID, julien.ID, "Encore."); !errors.Is(err, participation.ErrAppealed) {
			t.Fatalf("a second appeal: %v", err)
		}
		q, _ := e.s.Queue(e.ctx, e.town.ID)
		if q.Open != 1 || len(q.Appeals) != 1 || q.Appeals[0].Message.ID != m.ID || q.Appeals[0].Thread.ID != th.ID {
			t.Fatalf("the queue's appeals: %+v", q.Appeals)
		}
		if _, err := e.s.DecideAppeal(e.ctx, e.town.ID, a.ID, true, "", "moderateur"); guichet.FieldErrors(err)["answer"] == "" {
			t.Fatalf("a decision without an answer: %v", err)
		}
		if _, err := e.s.DecideAppeal(e.ctx, e.town.ID, a.ID, true, "Vous avez raison, le message est utile.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Message(e.ctx, e.town.ID, m.ID); got.State != participation.Visible {
			t.Fatalf("the restored message: %s", got.State)
		}
		if e.replies(th) != 1 {
			t.Fatalf("the restored reply does not count: %d", e.replies(th))
		}
		sent := out.take()
		if len(sent) != 1 || sent[0].To != e.email(julien.ID) || !strings.Contains(sent[0].Text, "Vous avez raison") ||
			!strings.Contains(sent[0].Subject, "rétabli") {
			t.Fatalf("the decision's mail: %+v", sent)
		}
		if _, err := e.s.DecideAppeal(e.ctx, e.town.ID, a.ID, false, "Non.", "moderateur"); !errors.Is(err, participation.ErrNotModerable) {
			t.Fatalf("deciding twice: %v", err)
		}

		// An upheld hiding keeps the message hidden, and says so.
		m2 := e.reply(sp, th, julien, "Bande d'incapables.")
		if _, err := e.s.Hide(e.ctx, e.town.ID, m2.ID, "Propos injurieux.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		a2, err := e.s.Appeal(e.ctx, e.town.ID, m2.ID, julien.ID, "C'était de l'humour.")
		if err != nil {
			t.Fatal(err)
		}
		out.take()
		got, err := e.s.DecideAppeal(e.ctx, e.town.ID, a2.ID, false, "Le propos reste injurieux.", "moderateur")
		if err != nil || got.Decision != participation.Upheld {
			t.Fatal(err, got)
		}
		if msg, _ := e.s.Message(e.ctx, e.town.ID, m2.ID); msg.State != participation.Hidden {
			t.Fatalf("an upheld message: %s", msg.State)
		}
		if sent := out.take(); len(sent) != 1 || !strings.Contains(sent[0].Text, "reste masqué") {
			t.Fatalf("the upheld decision's mail: %+v", sent)
		}
		if a, err := e.s.AppealOf(e.ctx, e.town.ID, m2.ID); err != nil || a.Open() || a.Answer != "Le propos reste injurieux." {
			t.Fatal(err, a)
		}
	})
}

func TestModerationBlocks(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e, _ := modEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, marc := e.author("Claire Martin", 400*24*time.Hour), e.author("Marc Dupuis", 300*24*time.Hour)
		th, _ := e.start(sp, claire, "Le parc des Tilleuls", "Qui vient nettoyer le parc dimanche ?")
		if err := e.s.Block(e.ctx, e.town.ID, marc.ID, "", e.clock().Add(24*time.Hour), "moderateur"); guichet.FieldErrors(err)["reason"] == "" {
			t.Fatalf("a block without a reason: %v", err)
		}
		if err := e.s.Block(e.ctx, e.town.ID, marc.ID, "Insultes répétées.", e.clock().Add(7*24*time.Hour), "moderateur"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Reply(e.ctx, sp, th, marc, "", "Je reviens."); !errors.Is(err, participation.ErrBlocked) {
			t.Fatalf("a blocked resident's reply: %v", err)
		}
		list, err := e.s.Blocks(e.ctx, e.town.ID)
		if err != nil || len(list) != 1 || list[0].UserID != marc.ID || list[0].Name != "Marc Dupuis" || list[0].Reason != "Insultes répétées." {
			t.Fatalf("the blocks: %v %+v", err, list)
		}
		if err := e.s.Unblock(e.ctx, e.town.ID, marc.ID); err != nil {
			t.Fatal(err)
		}
		e.reply(sp, th, marc, "Je viendrai.")
		if list, _ := e.s.Blocks(e.ctx, e.town.ID); len(list) != 0 {
			t.Fatalf("blocks after unblocking: %+v", list)
		}
		// A block ends by itself.
		if err := e.s.Block(e.ctx, e.town.ID, marc.ID, "Insultes.", e.clock().Add(24*time.Hour), "moderateur"); err != nil {
			t.Fatal(err)
		}
		e.advance(25 * time.Hour)
		e.reply(sp, th, marc, "Me revoilà.")
	})
}
