package participation_test

import (
	"errors"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

const old = 400 * 24 * time.Hour

// A thread started and answered shows both messages, counts its reply,
// comes up in its space and is followed by both writers.
func TestStartAndReply(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, julien := e.author("Claire Martin", old), e.author("Julien Petit", old)
		th, opener := e.start(sp, claire, "Fête des voisins", "Qui serait partant pour une fête des voisins en juin ?")
		if th.State != participation.Visible || opener.State != participation.Visible || !opener.Opener {
			t.Fatalf("thread %s, opener %s", th.State, opener.State)
		}
		e.advance(time.Hour)
		r := e.reply(sp, th, julien, "Oui, je peux prêter des tables.")
		if r.State != participation.Visible {
			t.Fatalf("reply %s", r.State)
		}
		got, err := e.s.Thread(e.ctx, e.town.ID, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Replies != 1 || !got.LastActivity.Equal(e.clock()) {
			t.Errorf("replies %d, last activity %s", got.Replies, got.LastActivity)
		}
		msgs, err := e.s.Messages(e.ctx, e.town.ID, th.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].ID != opener.ID || msgs[1].ID != r.ID || msgs[1].AuthorName != "Julien Petit" {
			t.Fatalf("messages %+v", msgs)
		}
		list, err := e.s.Threads(e.ctx, e.town.ID, sp.ID, participation.Discussion, 10)
		if err != nil || len(list) != 1 || list[0].ID != th.ID {
			t.Fatalf("threads %v %v", list, err)
		}
		for _, a := range []participation.Author{claire, julien} {
			if ok, err := e.s.IsFollowing(e.ctx, e.town.ID, th.ID, a.ID); err != nil || !ok {
				t.Errorf("%s does not follow the thread (%v)", a.Name, err)
			}
		}
	})
}

// A new account's messages in a space that premoderates them wait for a
// moderator: hidden from others, shown to their author.
func TestNewAccountPremoderated(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{PremoderateNew: true})
		claire, emma := e.author("Claire Martin", old), e.author("Emma Lefebvre", 2*24*time.Hour)
		th, _ := e.start(sp, claire, "Le marché du dimanche", "Faut-il l'étendre à la place de l'Église ?")
		e.advance(time.Minute)
		m, err := e.s.Reply(e.ctx, sp, th, emma, "", "Oui, il y manque de la place.")
		if err != nil {
			t.Fatal(err)
		}
		if m.State != participation.Pending {
			t.Fatalf("a new account's reply is %s", m.State)
		}
		others, err := e.s.Messages(e.ctx, e.town.ID, th.ID, claire.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(others) != 1 {
			t.Errorf("another reader sees %d messages, want the opener alone", len(others))
		}
		own, err := e.s.Messages(e.ctx, e.town.ID, th.ID, emma.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(own) != 2 || own[1].ID != m.ID || own[1].State != participation.Pending {
			t.Errorf("the author sees %d messages", len(own))
		}
		got, _ := e.s.Thread(e.ctx, e.town.ID, th.ID)
		if got.Replies != 0 {
			t.Errorf("a held reply counts: %d", got.Replies)
		}
		// A thread she starts waits too, and no list shows it.
		held, _ := e.start(sp, emma, "Une question", "Où trouver les horaires de la déchetterie ?")
		if held.State != participation.Pending {
			t.Errorf("her thread is %s", held.State)
		}
		list, _ := e.s.Threads(e.ctx, e.town.ID, sp.ID, "", 10)
		if len(list) != 1 || list[0].ID != th.ID {
			t.Errorf("the space lists %d threads", len(list))
		}
		// In a space without the rule, the same account writes at once.
		open := e.space("quartier", participation.Rules{LinksAllowed: true})
		if _, m := e.start(open, emma, "Bonjour", "Je viens d'arriver dans le quartier."); m.State != participation.Visible {
			t.Errorf("a new account's message where nothing is premoderated is %s", m.State)
		}
	})
}

// A link where the space allows none is a field error; nothing is written.
func TestLinkRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{})
		claire := e.author("Claire Martin", old)
		th, _ := e.start(sp, claire, "Le marché", "Un marché le dimanche ?")
		_, err := e.s.Reply(e.ctx, sp, th, claire, "", "Voyez https://exemple.com/marche pour les détails.")
		if guichet.FieldErrors(err)["body"] == "" {
			t.Fatalf("a link is not refused on its field: %v", err)
		}
		_, err = e.s.StartThread(e.ctx, sp, &participation.Thread{Kind: participation.Discussion, Title: "Pub"}, claire,
			"Achetez sur www.exemple.com")
		if guichet.FieldErrors(err)["body"] == "" {
			t.Fatalf("a link in an opening message is not refused: %v", err)
		}
		msgs, _ := e.s.Messages(e.ctx, e.town.ID, th.ID, claire.ID)
		if len(msgs) != 1 {
			t.Errorf("%d messages written", len(msgs))
		}
		// Where links are allowed, the same text passes.
		open := e.space("quartier", participation.Rules{LinksAllowed: true})
		if _, m := e.start(open, claire, "Le marché", "Voyez https://exemple.com/marche pour les détails."); m.State != participation.Visible {
			t.Errorf("a link where links are allowed: %s", m.State)
		}
	})
}

// A blocked author writes nothing until their block ends.
func TestBlockedAuthor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, paul := e.author("Claire Martin", old), e.author("Paul Renaud", old)
		th, _ := e.start(sp, claire, "Stationnement", "Les voitures sur le trottoir rue des Lilas.")
		if _, err := d.Exec(e.ctx, `INSERT INTO participation_blocks (tenant_id, user_id, reason, until, created_at)
			VALUES (?, ?, ?, ?, ?)`, e.town.ID, paul.ID, "Insultes répétées", e.clock().Add(48*time.Hour), e.clock()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Reply(e.ctx, sp, th, paul, "", "Je réponds quand même."); !errors.Is(err, participation.ErrBlocked) {
			t.Fatalf("a blocked author's reply: %v", err)
		}
		if _, err := e.s.StartThread(e.ctx, sp, &participation.Thread{Kind: participation.Discussion, Title: "Autre"}, paul,
			"Un autre sujet."); !errors.Is(err, participation.ErrBlocked) {
			t.Fatalf("a blocked author's thread: %v", err)
		}
		e.advance(49 * time.Hour)
		if m := e.reply(sp, th, paul, "Me revoilà, calmement."); m.State != participation.Visible {
			t.Errorf("after the block: %s", m.State)
		}
	})
}

// The same text written again scores as a repeat and is held.
func TestRepeatedTextHeld(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, karim := e.author("Claire Martin", old), e.author("Karim Haddad", old)
		th, _ := e.start(sp, claire, "Vide-grenier", "Qui tient un stand ?")
		first := e.reply(sp, th, karim, "Venez voir mon stand de vinyles !")
		if first.State != participation.Visible {
			t.Fatalf("first %s", first.State)
		}
		e.advance(20 * time.Minute)
		again := e.reply(sp, th, karim, "venez voir mon stand de VINYLES")
		if again.State != participation.Pending || again.SpamScore < participation.HoldAt {
			t.Errorf("a repeated text: %s, score %d", again.State, again.SpamScore)
		}
		got, _ := e.s.Thread(e.ctx, e.town.ID, th.ID)
		if got.Replies != 1 {
			t.Errorf("replies %d", got.Replies)
		}
	})
}

// A closed thread takes no reply, even from a page read before it closed.
func TestReplyToClosedThread(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire := e.author("Claire Martin", old)
		th, _ := e.start(sp, claire, "Travaux", "Les travaux de la rue finissent quand ?")
		if _, err := d.Exec(e.ctx, `UPDATE participation_threads SET closed_at = ? WHERE id = ?`, e.clock(), th.ID); err != nil {
			t.Fatal(err)
		}
		// th still reads open: the transaction finds it closed.
		if _, err := e.s.Reply(e.ctx, sp, th, claire, "", "Encore une question."); !errors.Is(err, participation.ErrClosed) {
			t.Fatalf("reply to a thread closed since: %v", err)
		}
		closed, err := e.s.Thread(e.ctx, e.town.ID, th.ID)
		if err != nil || !closed.Closed() {
			t.Fatalf("%v %v", closed, err)
		}
		if _, err := e.s.Reply(e.ctx, sp, closed, claire, "", "Encore une question."); !errors.Is(err, participation.ErrClosed) {
			t.Fatalf("reply to a closed thread: %v", err)
		}
		msgs, _ := e.s.Messages(e.ctx, e.town.ID, th.ID, claire.ID)
		if len(msgs) != 1 {
			t.Errorf("%d messages", len(msgs))
		}
	})
}
