package participation_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// poll creates a published poll open from now for a week with qs.
func (e *env) poll(title, audience string, qs ...*participation.Question) *participation.Poll {
	e.t.Helper()
	now := e.clock()
	p := &participation.Poll{TenantID: e.town.ID, Title: title, Audience: audience, Published: true,
		OpensAt: now, ClosesAt: now.Add(7 * 24 * time.Hour), Questions: qs}
	if err := e.s.CreatePoll(e.ctx, p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func single(label string, choices ...string) *participation.Question {
	return &participation.Question{Kind: participation.Single, Label: label, Choices: choices, Required: true}
}

func TestPollValidation(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		now := e.clock()
		p := &participation.Poll{TenantID: e.town.ID, Title: " ", Audience: "personne", OpensAt: now, ClosesAt: now.Add(-time.Hour),
			Questions: []*participation.Question{
				{Kind: participation.Single, Label: "Un seul choix ?", Choices: []string{"Oui"}},
				{Kind: "autre", Label: "Quoi ?"},
				{Kind: participation.Ranking, Label: "", Choices: []string{"A", "B", "A"}},
			}}
		fields := guichet.FieldErrors(e.s.CreatePoll(e.ctx, p))
		for _, k := range []string{"title", "audience", "closes", "q1-choices", "q2-kind", "q3-label", "q3-choices"} {
			if fields[k] == "" {
				t.Errorf("no error on %s: %v", k, fields)
			}
		}
		p = &participation.Poll{TenantID: e.town.ID, Title: "Sans question", Audience: participation.AudienceAll,
			OpensAt: now, ClosesAt: now.Add(time.Hour)}
		if fields := guichet.FieldErrors(e.s.CreatePoll(e.ctx, p)); fields["questions"] == "" {
			t.Errorf("a poll without question: %v", fields)
		}
		p = &participation.Poll{TenantID: e.town.ID, Title: "Quartier", Audience: participation.AudienceNeighbourhood,
			OpensAt: now, ClosesAt: now.Add(time.Hour), Questions: []*participation.Question{single("Oui ou non ?", "Oui", "Non")}}
		if fields := guichet.FieldErrors(e.s.CreatePoll(e.ctx, p)); fields["community"] == "" {
			t.Errorf("a neighbourhood poll without its neighbourhood: %v", fields)
		}
		many := make([]string, 13)
		for i := range many {
			many[i] = strings.Repeat("x", i+1)
		}
		p = &participation.Poll{TenantID: e.town.ID, Title: "Trop de choix", Audience: participation.AudienceAll,
			OpensAt: now, ClosesAt: now.Add(time.Hour), Questions: []*participation.Question{single("Lequel ?", many...)}}
		if fields := guichet.FieldErrors(e.s.CreatePoll(e.ctx, p)); fields["q1-choices"] == "" {
			t.Errorf("13 choices: %v", fields)
		}

		good := e.poll("Aménagement du parc : vos idées !", participation.AudienceAll, single("Oui ou non ?", " Oui ", "Non", ""),
			&participation.Question{Kind: participation.Open, Label: "Pourquoi ?", Choices: []string{"ignoré"}})
		if good.Slug != "amenagement-du-parc-vos-idees" {
			t.Errorf("slug %q", good.Slug)
		}
		got, err := e.s.PollBySlug(e.ctx, e.town.ID, good.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Questions) != 2 || strings.Join(got.Questions[0].Choices, "|") != "Oui|Non" || got.Questions[1].Choices != nil {
			t.Errorf("questions stored: %+v %+v", got.Questions[0], got.Questions[1])
		}
		if _, err := e.s.PollBySlug(e.ctx, "autre-collectivite", good.Slug); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("another tenant's poll: %v", err)
		}
		dup := &participation.Poll{TenantID: e.town.ID, Title: good.Title, Audience: participation.AudienceAll, OpensAt: now,
			ClosesAt: now.Add(time.Hour), Questions: []*participation.Question{single("Oui ou non ?", "Oui", "Non")}}
		if fields := guichet.FieldErrors(e.s.CreatePoll(e.ctx, dup)); fields["slug"] == "" {
			t.Errorf("a taken slug: %v", fields)
		}

		// Questions change until the first ballot, not after.
		got.Questions[0].Choices = append(got.Questions[0].Choices, "Sans avis")
		if err := e.s.UpdatePoll(e.ctx, got); err != nil {
			t.Fatal(err)
		}
		voter := e.author("Claire", 100*24*time.Hour)
		got, _ = e.s.Poll(e.ctx, e.town.ID, got.ID)
		if err := e.s.Cast(e.ctx, got, voter.ID, participation.Ballot{got.Questions[0].ID: {Choices: []int{2}}}); err != nil {
			t.Fatal(err)
		}
		got.Title = "Aménagement du parc"
		got.Questions[0].Label = "Autre question ?"
		if fields := guichet.FieldErrors(e.s.UpdatePoll(e.ctx, got)); fields["questions"] == "" {
			t.Errorf("questions changed after a ballot: %v", fields)
		}
		got, _ = e.s.Poll(e.ctx, e.town.ID, got.ID)
		got.Title = "Aménagement du parc"
		if err := e.s.UpdatePoll(e.ctx, got); err != nil {
			t.Errorf("the title after a ballot: %v", err)
		}
		if got.Ballots != 1 || len(got.Questions) != 2 {
			t.Errorf("after the update: %d ballots, %d questions", got.Ballots, len(got.Questions))
		}
	})
}

func TestPollEligibility(t *testing.T) {
	all := &participation.Poll{Audience: participation.AudienceAll}
	verified := &participation.Poll{Audience: participation.AudienceVerified}
	quartier := &participation.Poll{Audience: participation.AudienceNeighbourhood, CommunityID: "tilleuls"}
	for _, c := range []struct {
		p        *participation.Poll
		verified bool
		member   []string
		want     error
	}{
		{all, false, nil, nil},
		{verified, true, nil, nil},
		{verified, false, []string{"tilleuls"}, participation.ErrNotVerified},
		{quartier, true, []string{"gare", "tilleuls"}, nil},
		{quartier, true, []string{"gare"}, participation.ErrNotNeighbour},
		{quartier, true, nil, participation.ErrNotNeighbour},
	} {
		if got := participation.Eligible(c.p, c.verified, c.member); !errors.Is(got, c.want) {
			t.Errorf("%s, verified %v, member of %v: %v, want %v", c.p.Audience, c.verified, c.member, got, c.want)
		}
	}
}

func TestPollCast(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.poll("Le parc", participation.AudienceAll,
			single("Une entrée ?", "Nord", "Sud"),
			&participation.Question{Kind: participation.Multiple, Label: "Quels jeux ?", Choices: []string{"Toboggan", "Balançoire", "Bac à sable"}, Required: true},
			&participation.Question{Kind: participation.Ranking, Label: "Vos priorités ?", Choices: []string{"Ombre", "Bancs", "Eau"}, Required: true},
			&participation.Question{Kind: participation.Open, Label: "Autre chose ?"})
		q := p.Questions
		voter := e.author("Julien", 200*24*time.Hour)
		for name, c := range map[string]struct {
			b     participation.Ballot
			field string
		}{
			"nothing":             {participation.Ballot{}, participation.QuestionField(q[0])},
			"two single choices":  {participation.Ballot{q[0].ID: {Choices: []int{0, 1}}}, participation.QuestionField(q[0])},
			"a choice not there":  {participation.Ballot{q[0].ID: {Choices: []int{5}}}, participation.QuestionField(q[0])},
			"no multiple choice":  {participation.Ballot{q[0].ID: {Choices: []int{0}}}, participation.QuestionField(q[1])},
			"a partial ranking":   {participation.Ballot{q[2].ID: {Choices: []int{0, 1}}}, participation.QuestionField(q[2])},
			"a rank twice":        {participation.Ballot{q[2].ID: {Choices: []int{0, 0, 1}}}, participation.QuestionField(q[2])},
			"a long open answer":  {participation.Ballot{q[3].ID: {Text: strings.Repeat("é", participation.MaxOpenAnswer+1)}}, participation.QuestionField(q[3])},
			"a negative choice":   {participation.Ballot{q[1].ID: {Choices: []int{-1}}}, participation.QuestionField(q[1])},
			"a repeated multiple": {participation.Ballot{q[1].ID: {Choices: []int{1, 1}}}, participation.QuestionField(q[1])},
		} {
			if fields := guichet.FieldErrors(e.s.Cast(e.ctx, p, voter.ID, c.b)); fields[c.field] == "" {
				t.Errorf("%s: %v, want an error on %s", name, fields, c.field)
			}
		}
		good := participation.Ballot{q[0].ID: {Choices: []int{1}}, q[1].ID: {Choices: []int{0, 2}},
			q[2].ID: {Choices: []int{2, 0, 1}}, q[3].ID: {Text: "  Des fontaines.  "}}
		if err := e.s.Cast(e.ctx, p, voter.ID, good); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Cast(e.ctx, p, voter.ID, good); !errors.Is(err, participation.ErrAlreadyVoted) {
			t.Errorf("a second ballot: %v", err)
		}
		if ok, _ := e.s.Voted(e.ctx, p, voter.ID); !ok {
			t.Error("Voted says no")
		}
		var answers int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_answers WHERE poll_id = ?`, p.ID).Scan(&answers); err != nil {
			t.Fatal(err)
		}
		if answers != 1+2+3+1 {
			t.Errorf("%d answers stored, want 7", answers)
		}
		var ballotCol int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_answers WHERE poll_id = ? AND ballot_id = ?`, p.ID, voter.ID).
			Scan(&ballotCol); err != nil || ballotCol != 0 {
			t.Errorf("answers name the voter: %d, %v", ballotCol, err)
		}

		// Outside the period.
		upcoming := &participation.Poll{TenantID: e.town.ID, Title: "Plus tard", Audience: participation.AudienceAll,
			OpensAt: e.clock().Add(time.Hour), ClosesAt: e.clock().Add(2 * time.Hour), Questions: []*participation.Question{single("Oui ?", "Oui", "Non")}}
		if err := e.s.CreatePoll(e.ctx, upcoming); err != nil {
			t.Fatal(err)
		}
		b := participation.Ballot{upcoming.Questions[0].ID: {Choices: []int{0}}}
		if err := e.s.Cast(e.ctx, upcoming, voter.ID, b); !errors.Is(err, participation.ErrPollNotOpen) {
			t.Errorf("before opening: %v", err)
		}
		e.advance(3 * time.Hour)
		if err := e.s.Cast(e.ctx, upcoming, voter.ID, b); !errors.Is(err, participation.ErrPollClosed) {
			t.Errorf("after closing: %v", err)
		}
		if got, _ := e.s.Poll(e.ctx, e.town.ID, upcoming.ID); got.Ballots != 0 {
			t.Errorf("refused ballots counted: %d", got.Ballots)
		}
	})
}

// TestPollOneBallotUnderConcurrency sends 100 ballots of one person at
// once: one is counted, the others are refused as a second ballot.
func TestPollOneBallotUnderConcurrency(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.poll("Le marché", participation.AudienceAll, single("Quel jour ?", "Mercredi", "Samedi"),
			&participation.Question{Kind: participation.Open, Label: "Pourquoi ?"})
		voter := e.author("Nadia", 300*24*time.Hour)
		b := participation.Ballot{p.Questions[0].ID: {Choices: []int{1}}, p.Questions[1].ID: {Text: "Je travaille en semaine."}}
		const n = 100
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = e.s.Cast(e.ctx, p, voter.ID, b)
			}()
		}
		close(start)
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, participation.ErrAlreadyVoted):
				conflicts++
			default:
				t.Errorf("a ballot failed otherwise: %v", err)
			}
		}
		if ok != 1 || conflicts != n-1 {
			t.Errorf("%d ballots taken, %d refused as second ones; want 1 and %d", ok, conflicts, n-1)
		}
		var ballots, answers int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_ballots WHERE poll_id = ?`, p.ID).Scan(&ballots); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_answers WHERE poll_id = ?`, p.ID).Scan(&answers); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Poll(e.ctx, e.town.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ballots != 1 || answers != 2 || got.Ballots != 1 {
			t.Errorf("%d ballot rows, %d answers, count %d; want 1, 2, 1", ballots, answers, got.Ballots)
		}
	})
}

func TestPollResults(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.poll("Les priorités du parc", participation.AudienceAll,
			single("Faut-il clôturer le parc ?", "Oui", "Non"),
			&participation.Question{Kind: participation.Ranking, Label: "Classez", Choices: []string{"Ombre", "Bancs", "Eau"}, Required: true},
			&participation.Question{Kind: participation.Open, Label: "Une idée ?"})
		q := p.Questions
		// Three ballots: rankings Eau>Ombre>Bancs, Ombre>Eau>Bancs,
		// Eau>Bancs>Ombre. Borda (3, 2, 1 points): Eau 3+2+3=8, Ombre
		// 2+3+1=6, Bancs 1+1+2=4.
		ballots := []participation.Ballot{
			{q[0].ID: {Choices: []int{0}}, q[1].ID: {Choices: []int{2, 0, 1}}, q[2].ID: {Text: "Des fontaines"}},
			{q[0].ID: {Choices: []int{1}}, q[1].ID: {Choices: []int{0, 2, 1}}},
			{q[0].ID: {Choices: []int{0}}, q[1].ID: {Choices: []int{2, 1, 0}}, q[2].ID: {Text: "Un kiosque"}},
		}
		for i, b := range ballots {
			if err := e.s.Cast(e.ctx, p, e.author("Votant", 30*24*time.Hour).ID, b); err != nil {
				t.Fatalf("ballot %d: %v", i, err)
			}
		}
		p, _ = e.s.Poll(e.ctx, e.town.ID, p.ID)
		if _, err := e.s.Results(e.ctx, p); !errors.Is(err, participation.ErrResultsNotYet) {
			t.Fatalf("results before closing: %v", err)
		}
		e.advance(7*24*time.Hour - time.Second)
		if _, err := e.s.Results(e.ctx, p); !errors.Is(err, participation.ErrResultsNotYet) {
			t.Fatalf("results a second before closing: %v", err)
		}
		e.advance(time.Second)
		res, err := e.s.Results(e.ctx, p)
		if err != nil {
			t.Fatalf("results at closing: %v", err)
		}
		if res.Ballots != 3 {
			t.Errorf("%d ballots", res.Ballots)
		}
		yes, no := res.Questions[0].Choices[0], res.Questions[0].Choices[1]
		if yes.Count != 2 || no.Count != 1 || int(yes.Percent+0.5) != 67 || res.Questions[0].Answered != 3 {
			t.Errorf("single: oui %+v, non %+v", yes, no)
		}
		var got []string
		for _, c := range res.Questions[1].Choices {
			got = append(got, c.Label+":"+strconv.Itoa(c.Score)+":"+strconv.Itoa(c.First))
		}
		if strings.Join(got, " ") != "Eau:8:2 Ombre:6:1 Bancs:4:0" {
			t.Errorf("ranking: %v", got)
		}
		texts := res.Questions[2].Texts
		if len(texts) != 2 || res.Questions[2].Answered != 2 || !strings.Contains(strings.Join(texts, "|"), "Un kiosque") {
			t.Errorf("open answers: %v (%d)", texts, res.Questions[2].Answered)
		}
	})
}
