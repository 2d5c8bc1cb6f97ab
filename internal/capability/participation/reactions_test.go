package participation_test

import (
	"errors"
	"testing"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// A reaction toggles: one per person, kind and message, counted per
// message of the thread.
func TestReactionsToggle(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, julien, nadia := e.author("Claire Martin", old), e.author("Julien Petit", old), e.author("Nadia Benali", old)
		th, opener := e.start(sp, claire, "Composteur", "Un composteur collectif au square ?")
		r := e.reply(sp, th, julien, "Bonne idée, je m'en occupe volontiers.")
		react := func(a participation.Author, m *participation.Message, kind string, want bool) {
			t.Helper()
			on, err := e.s.React(e.ctx, e.town.ID, m.ID, a.ID, kind)
			if err != nil || on != want {
				t.Fatalf("%s %s: on %v, %v", a.Name, kind, on, err)
			}
		}
		react(julien, opener, participation.ReactIdea, true)
		react(nadia, opener, participation.ReactIdea, true)
		react(nadia, opener, participation.ReactAgree, true)
		react(claire, r, participation.ReactThanks, true)
		react(nadia, opener, participation.ReactAgree, false) // taken back

		got, err := e.s.ThreadReactions(e.ctx, e.town.ID, th.ID, nadia.ID)
		if err != nil {
			t.Fatal(err)
		}
		o := got[opener.ID]
		if o == nil || o.Counts[participation.ReactIdea] != 2 || o.Counts[participation.ReactAgree] != 0 ||
			!o.Mine[participation.ReactIdea] || o.Mine[participation.ReactAgree] {
			t.Errorf("the opener's reactions: %+v", o)
		}
		if x := got[r.ID]; x == nil || x.Counts[participation.ReactThanks] != 1 || x.Mine[participation.ReactThanks] {
			t.Errorf("the reply's reactions: %+v", x)
		}
		anon, _ := e.s.ThreadReactions(e.ctx, e.town.ID, th.ID, "")
		if anon[opener.ID].Mine[participation.ReactIdea] {
			t.Error("a signed-out reader has reactions of their own")
		}
		if _, err := e.s.React(e.ctx, e.town.ID, r.ID, nadia.ID, "soutien"); !errors.Is(err, participation.ErrReactionKind) {
			t.Errorf("a debate's support as a reaction: %v", err)
		}
		if _, err := e.s.React(e.ctx, "autre", r.ID, nadia.ID, participation.ReactThanks); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("another collectivité's message: %v", err)
		}
		// A held message takes no reaction.
		emma := e.author("Emma Lefebvre", time.Hour)
		held := e.space("relu", participation.Rules{PremoderateNew: true})
		_, pending := e.start(held, emma, "Bonjour", "Première question.")
		if _, err := e.s.React(e.ctx, e.town.ID, pending.ID, nadia.ID, participation.ReactThanks); !errors.Is(err, participation.ErrNotVisible) {
			t.Errorf("a reaction to a held message: %v", err)
		}
	})
}

// Following is idempotent and undone by Unfollow.
func TestFollow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("quartier", participation.Rules{LinksAllowed: true})
		claire, lucie := e.author("Claire Martin", old), e.author("Lucie Fontaine", old)
		th, _ := e.start(sp, claire, "Éclairage", "Le lampadaire de l'allée est en panne.")
		for range 2 {
			if err := e.s.Follow(e.ctx, e.town.ID, th.ID, lucie.ID); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := e.s.IsFollowing(e.ctx, e.town.ID, th.ID, lucie.ID); !ok {
			t.Fatal("she does not follow")
		}
		if err := e.s.Unfollow(e.ctx, e.town.ID, th.ID, lucie.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.IsFollowing(e.ctx, e.town.ID, th.ID, lucie.ID); ok {
			t.Fatal("she still follows")
		}
		if err := e.s.Follow(e.ctx, "autre", th.ID, lucie.ID); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("following another collectivité's thread: %v", err)
		}
	})
}
