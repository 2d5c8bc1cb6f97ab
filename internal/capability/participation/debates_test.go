package participation_test

import (
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
)

// debate opens a debate in sp for the mairie.
func (e *env) debate(sp *participation.Space, title string) *participation.Thread {
	e.t.Helper()
	th := &participation.Thread{Kind: participation.Debate, Title: title}
	if _, err := e.s.StartThread(e.ctx, sp, th, participation.Author{Staff: true, Name: "Mairie de Montclair"},
		"Le conseil municipal souhaite connaître vos arguments."); err != nil {
		e.t.Fatal(err)
	}
	return th
}

// argue adds a's argument on side, a minute after the last one.
func (e *env) argue(sp *participation.Space, th *participation.Thread, a participation.Author, side, body string) *participation.Message {
	e.t.Helper()
	e.advance(time.Minute)
	m, err := e.s.Reply(e.ctx, sp, th, a, side, body)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// support makes each of people support m.
func (e *env) support(m *participation.Message, people ...participation.Author) {
	e.t.Helper()
	for _, p := range people {
		if _, err := e.s.Support(e.ctx, e.town.ID, m.ID, p.ID, true); err != nil {
			e.t.Fatal(err)
		}
	}
}

func bodies(list []*participation.Message) string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i] = fmt.Sprintf("%s:%d", m.Body, m.Supports)
	}
	return strings.Join(out, " ")
}

// people creates n residents of a year.
func (e *env) people(n int) []participation.Author {
	out := make([]participation.Author, n)
	for i := range out {
		out[i] = e.author(fmt.Sprintf("Soutien %d", i), 365*24*time.Hour)
	}
	return out
}

func TestDebateArgumentsSortedBySupport(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{})
		th := e.debate(sp, "Faut-il rendre la rue du Marché piétonne ?")
		ppl := e.people(4)
		a1 := e.argue(sp, th, ppl[0], participation.For, "Pour A")
		a2 := e.argue(sp, th, ppl[1], participation.For, "Pour B")
		a3 := e.argue(sp, th, ppl[2], participation.For, "Pour C")
		c1 := e.argue(sp, th, ppl[3], participation.Against, "Contre A")
		c2 := e.argue(sp, th, ppl[0], participation.Against, "Contre B")
		e.support(a3, ppl[0], ppl[1])
		e.support(a2, ppl[0])
		e.support(c2, ppl[1])
		_ = a1
		_ = c1

		args, err := e.s.Arguments(e.ctx, e.town.ID, th.ID, ppl[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := bodies(args.For), "Pour C:2 Pour B:1 Pour A:0"; got != want {
			t.Errorf("for = %q, want %q", got, want)
		}
		if got, want := bodies(args.Against), "Contre B:1 Contre A:0"; got != want {
			t.Errorf("against = %q, want %q", got, want)
		}
		if args.Opening == nil || !strings.Contains(args.Opening.Body, "conseil municipal") {
			t.Errorf("opening = %+v", args.Opening)
		}
		if !args.Supported[a3.ID] || !args.Supported[a2.ID] || args.Supported[c2.ID] || len(args.Supported) != 2 {
			t.Errorf("supported by the first = %v", args.Supported)
		}
		// Equal supports: the oldest first.
		e.support(a1, ppl[1], ppl[2])
		args, err = e.s.Arguments(e.ctx, e.town.ID, th.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := bodies(args.For), "Pour A:2 Pour C:2 Pour B:1"; got != want {
			t.Errorf("for = %q, want %q", got, want)
		}
		if len(args.Supported) != 0 {
			t.Errorf("a visitor supports %v", args.Supported)
		}
	})
}

func TestDebateShowsOwnHeldArgumentsOnly(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{PremoderateNew: true})
		th := e.debate(sp, "Une zone 30 ?")
		old := e.author("Ancienne", 365*24*time.Hour)
		young := e.author("Nouvelle", time.Hour)
		e.argue(sp, th, old, participation.For, "Plus sûr pour les enfants.")
		held := e.argue(sp, th, young, participation.Against, "Trop lent pour les livraisons.")
		if held.State != participation.Pending {
			t.Fatalf("a new account's argument is %s, want held", held.State)
		}
		for viewer, want := range map[string]int{"": 0, old.ID: 0, young.ID: 1} {
			args, err := e.s.Arguments(e.ctx, e.town.ID, th.ID, viewer)
			if err != nil {
				t.Fatal(err)
			}
			if len(args.Against) != want || len(args.For) != 1 {
				t.Errorf("viewer %q reads %d against, %d for; want %d, 1", viewer, len(args.Against), len(args.For), want)
			}
		}
		if _, err := e.s.Support(e.ctx, e.town.ID, held.ID, old.ID, true); !errors.Is(err, participation.ErrNotArgument) {
			t.Errorf("supporting a held argument: %v", err)
		}
		if m, err := e.s.Strongest(e.ctx, e.town.ID, th.ID, participation.Against); err != nil || m != nil {
			t.Errorf("strongest against = %v, %v; want none (the only one is held)", m, err)
		}
	})
}

func TestDebateSupportToggles(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{})
		th := e.debate(sp, "Éteindre l'éclairage la nuit ?")
		ppl := e.people(3)
		arg := e.argue(sp, th, ppl[0], participation.For, "Des économies et le ciel étoilé.")
		check := func(want int) {
			t.Helper()
			m, err := e.s.Message(e.ctx, e.town.ID, arg.ID)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_reactions WHERE tenant_id = ? AND message_id = ?
				AND kind = ?`, e.town.ID, arg.ID, participation.KindSupport).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if m.Supports != want || n != want {
				t.Errorf("supports = %d, reactions = %d, want %d", m.Supports, n, want)
			}
		}
		m, err := e.s.Support(e.ctx, e.town.ID, arg.ID, ppl[1].ID, true)
		if err != nil || m.Supports != 1 {
			t.Fatalf("support: %v, %v", m, err)
		}
		// Twice is once.
		if _, err := e.s.Support(e.ctx, e.town.ID, arg.ID, ppl[1].ID, true); err != nil {
			t.Fatal(err)
		}
		check(1)
		e.support(arg, ppl[2])
		check(2)
		if m, err = e.s.Support(e.ctx, e.town.ID, arg.ID, ppl[1].ID, false); err != nil || m.Supports != 1 {
			t.Fatalf("withdraw: %v, %v", m, err)
		}
		// Withdrawing what one never gave changes nothing.
		if _, err := e.s.Support(e.ctx, e.town.ID, arg.ID, ppl[1].ID, false); err != nil {
			t.Fatal(err)
		}
		check(1)
		supported, err := e.s.SupportedBy(e.ctx, e.town.ID, th.ID, ppl[2].ID)
		if err != nil || !supported[arg.ID] {
			t.Errorf("supported by the third = %v, %v", supported, err)
		}

		// No self-support.
		_, err = e.s.Support(e.ctx, e.town.ID, arg.ID, ppl[0].ID, true)
		if !errors.Is(err, participation.ErrOwnArgument) || guichet.ErrorCode(err) != guichet.EForbidden {
			t.Errorf("self-support: %v", err)
		}
		check(1)
		// Not an argument: the opening message, an unknown id, another
		// collectivité's.
		args, err := e.s.Arguments(e.ctx, e.town.ID, th.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{args.Opening.ID, "inconnu"} {
			if _, err := e.s.Support(e.ctx, e.town.ID, id, ppl[1].ID, true); !errors.Is(err, participation.ErrNotArgument) {
				t.Errorf("support %s: %v", id, err)
			}
		}
		if _, err := e.s.Support(e.ctx, "autre-collectivite", arg.ID, ppl[1].ID, true); !errors.Is(err, participation.ErrNotArgument) {
			t.Errorf("support from another collectivité: %v", err)
		}
		check(1)
	})
}

func TestDebateStrongestOpposing(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{})
		th := e.debate(sp, "Piétonniser le centre ?")
		ppl := e.people(4)
		pour := e.argue(sp, th, ppl[0], participation.For, "Plus calme.")
		if m, err := e.s.Opposing(e.ctx, pour); err != nil || m != nil {
			t.Fatalf("opposing with no one against = %v, %v", m, err)
		}
		c1 := e.argue(sp, th, ppl[1], participation.Against, "Les commerces perdent des clients.")
		c2 := e.argue(sp, th, ppl[2], participation.Against, "Les livraisons se compliquent.")
		m, err := e.s.Opposing(e.ctx, pour)
		if err != nil || m == nil || m.ID != c1.ID {
			t.Fatalf("opposing at equal supports = %v, %v; want the oldest", m, err)
		}
		e.support(c2, ppl[0], ppl[3])
		e.support(c1, ppl[3])
		if m, err = e.s.Opposing(e.ctx, pour); err != nil || m.ID != c2.ID || m.Supports != 2 {
			t.Fatalf("opposing = %v, %v; want the most supported", m, err)
		}
		if m, err = e.s.Opposing(e.ctx, c1); err != nil || m.ID != pour.ID {
			t.Errorf("opposing an argument against = %v, %v", m, err)
		}
		// A hidden argument is never the strongest.
		if _, err := d.Exec(e.ctx, `UPDATE participation_messages SET state = ? WHERE id = ?`, participation.Hidden, c2.ID); err != nil {
			t.Fatal(err)
		}
		if m, err = e.s.Opposing(e.ctx, pour); err != nil || m.ID != c1.ID {
			t.Errorf("opposing with the strongest hidden = %v, %v", m, err)
		}
	})
}

func TestDebateClose(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{})
		th := e.debate(sp, "Éteindre l'éclairage de 23 h à 5 h ?")
		mod := e.author("Modératrice", 365*24*time.Hour)
		ppl := e.people(2)
		arg := e.argue(sp, th, ppl[0], participation.For, "Des économies.")

		for summary, field := range map[string]string{"  ": "summary", strings.Repeat("é", participation.MaxBody+1): "summary"} {
			if err := e.s.Close(e.ctx, e.town.ID, th.ID, summary, mod.ID); guichet.FieldErrors(err)[field] == "" {
				t.Errorf("close with a summary of %d characters: %v", len(summary), err)
			}
		}
		if err := e.s.Close(e.ctx, e.town.ID, "inconnu", "Synthèse.", mod.ID); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("close an unknown debate: %v", err)
		}
		disc, _ := e.start(sp, ppl[0], "Une discussion", "Bonjour.")
		if err := e.s.Close(e.ctx, e.town.ID, disc.ID, "Synthèse.", mod.ID); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("close a discussion: %v", err)
		}
		if err := e.s.Close(e.ctx, "autre", th.ID, "Synthèse.", mod.ID); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("close from another collectivité: %v", err)
		}

		e.advance(time.Hour)
		closedAt := e.clock()
		if err := e.s.Close(e.ctx, e.town.ID, th.ID, "  Les deux camps ont été entendus.\r\nLe conseil a décidé.  ", mod.ID); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Thread(e.ctx, e.town.ID, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Closed() || !got.ClosedAt.Equal(closedAt) || got.Summary != "Les deux camps ont été entendus.\nLe conseil a décidé." {
			t.Fatalf("closed debate = %+v", got)
		}
		if _, err := e.s.Reply(e.ctx, sp, got, ppl[1], participation.Against, "Trop tard ?"); !errors.Is(err, participation.ErrClosed) {
			t.Errorf("argue in a closed debate: %v", err)
		}
		// Even with the thread read before it closed.
		if _, err := e.s.Reply(e.ctx, sp, th, ppl[1], participation.Against, "Trop tard ?"); !errors.Is(err, participation.ErrClosed) {
			t.Errorf("argue in a closed debate read before: %v", err)
		}
		for _, on := range []bool{true, false} {
			if _, err := e.s.Support(e.ctx, e.town.ID, arg.ID, ppl[1].ID, on); !errors.Is(err, participation.ErrDebateClosed) {
				t.Errorf("support (%v) in a closed debate: %v", on, err)
			}
		}
		// Amending the summary keeps the closing date.
		e.advance(time.Hour)
		if err := e.s.Close(e.ctx, e.town.ID, th.ID, "Synthèse corrigée.", mod.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = e.s.Thread(e.ctx, e.town.ID, th.ID); got.Summary != "Synthèse corrigée." || !got.ClosedAt.Equal(closedAt) {
			t.Errorf("amended = %q at %v", got.Summary, got.ClosedAt)
		}
	})
}

func TestDebateConcurrentSupports(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{})
		th := e.debate(sp, "Un marché le dimanche ?")
		author := e.author("Autrice", 365*24*time.Hour)
		arg := e.argue(sp, th, author, participation.Against, "Le dimanche est fait pour se reposer.")
		ppl := e.people(20)
		var wg sync.WaitGroup
		errs := make(chan error, len(ppl))
		for _, p := range ppl {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.s.Support(e.ctx, e.town.ID, arg.ID, p.ID, true); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		m, err := e.s.Message(e.ctx, e.town.ID, arg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Supports != 20 {
			t.Errorf("supports after 20 parallel supports = %d", m.Supports)
		}
	})
}

func TestDebateFigures(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sp := e.space("debats", participation.Rules{PremoderateNew: true})
		th := e.debate(sp, "Un budget participatif ?")
		ppl := e.people(3)
		young := e.author("Nouveau", time.Hour)
		a := e.argue(sp, th, ppl[0], participation.For, "Les habitants savent ce qui manque.")
		e.argue(sp, th, ppl[1], participation.For, "Cela rapproche de la mairie.")
		e.argue(sp, th, ppl[2], participation.Against, "Le conseil est élu pour décider.")
		e.argue(sp, th, young, participation.Against, "Trop compliqué.")
		e.support(a, ppl[1], ppl[2])
		figures, err := e.s.DebateFigures(e.ctx, e.town.ID, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range figures {
			got = append(got, fmt.Sprintf("%s/%s:%d/%d", f.Side, f.State, f.Arguments, f.Supports))
		}
		if want := "pour/visible:2/2 contre/pending:1/0 contre/visible:1/0"; strings.Join(got, " ") != want {
			t.Errorf("figures = %q, want %q", strings.Join(got, " "), want)
		}
	})
}
