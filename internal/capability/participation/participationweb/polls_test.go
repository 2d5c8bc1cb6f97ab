package participationweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/kernel/demo"
)

// pollOf creates an open poll in the town: a single choice, a ranking
// and an open question.
func pollOf(t *testing.T, e *apptest.Env, slug string) *participation.Poll {
	t.Helper()
	c := participationweb.Of(e.App.Kernel)
	now := e.App.Now()
	p := &participation.Poll{TenantID: e.Town.ID, Slug: slug, Title: "Le marché du samedi", Audience: participation.AudienceAll,
		Published: true, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(10 * 24 * time.Hour),
		Questions: []*participation.Question{
			{Kind: participation.Single, Label: "Faut-il avancer le marché", Choices: []string{"Oui", "Non"}, Required: true},
			{Kind: participation.Ranking, Label: "Classez les étals", Choices: []string{"Primeurs", "Fromages", "Fleurs"}, Required: true},
			{Kind: participation.Open, Label: "Une remarque"},
		}}
	if err := c.Store.CreatePoll(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// closeNow moves the poll's closing a minute into the past.
func closeNow(t *testing.T, e *apptest.Env, p *participation.Poll) {
	t.Helper()
	c := participationweb.Of(e.App.Kernel)
	if _, err := c.Store.DB().Exec(context.Background(), `UPDATE participation_polls SET closes_at = ? WHERE id = ?`,
		e.App.Now().Add(-time.Minute).UTC(), p.ID); err != nil {
		t.Fatal(err)
	}
}

// TestResidentAnswersAPollOnce: a visitor is asked to sign in; a
// resident's incomplete ballot shows the form again with what they
// chose; their ballot is thanked and the page then says they answered;
// a second one is refused and counts nothing; results and their CSV
// show only once the poll has closed, with the chart's table and the
// open answers.
func TestResidentAnswersAPollOnce(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		p := pollOf(t, e, "marche-du-samedi")
		q := p.Questions
		path := p.Path()
		visitor := e.Browser(e.Town)
		page := visitor.Get(path).Want(t, http.StatusOK).Body
		if !strings.Contains(page, "/connexion?suite=") || strings.Contains(page, `action="`+path+`/reponse"`) {
			t.Error("the visitor is not asked to sign in, or sees the form")
		}
		visitor.Post(path+"/reponse", url.Values{"q-" + q[0].ID: {"0"}}).Want(t, http.StatusUnauthorized)
		visitor.Get(path+"/resultats.csv").Want(t, http.StatusForbidden)

		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		page = her.Get(path).Want(t, http.StatusOK).Body
		for _, want := range []string{`action="` + path + `/reponse"`, `name="q-` + q[1].ID + `-rang-3"`, `type="radio"`, "<textarea"} {
			if !strings.Contains(page, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		// A ranking given only in part: the form again, the choice kept.
		partial := url.Values{"q-" + q[0].ID: {"1"}, "q-" + q[1].ID + "-rang-1": {"2"}, "q-" + q[2].ID: {"Plus tôt, s'il vous plaît"}}
		page = her.Post(path+"/reponse", partial).Want(t, http.StatusUnprocessableEntity).Body
		if !strings.Contains(page, "Classez tous les choix") || !strings.Contains(page, `value="1" checked`) ||
			!strings.Contains(page, "Plus tôt, s&#39;il vous plaît") {
			t.Error("the refused ballot's form lacks its error or what was chosen")
		}
		ballot := url.Values{"q-" + q[0].ID: {"0"}, "q-" + q[1].ID + "-rang-1": {"2"}, "q-" + q[1].ID + "-rang-2": {"0"},
			"q-" + q[1].ID + "-rang-3": {"1"}, "q-" + q[2].ID: {"=HYPERLINK(\"http://exemple.test\")"}}
		res := her.Post(path+"/reponse", ballot).Want(t, http.StatusSeeOther)
		page = her.Get(res.Location).Want(t, http.StatusOK).Body
		if !strings.Contains(page, "Merci, votre réponse est enregistrée") || !strings.Contains(page, "Vous avez répondu") ||
			strings.Contains(page, `action="`+path+`/reponse"`) {
			t.Error("after answering: no thanks, or the form again")
		}
		her.Post(path+"/reponse", ballot).Want(t, http.StatusConflict)
		him := e.Resident(e.Town, "voisin.marche@courriel.localhost", "Voisin du marché")
		his := e.Browser(e.Town)
		his.SignIn(t, him.Email, apptest.Password)
		his.Post(path+"/reponse", url.Values{"q-" + q[0].ID: {"1"}, "q-" + q[1].ID + "-rang-1": {"0"},
			"q-" + q[1].ID + "-rang-2": {"1"}, "q-" + q[1].ID + "-rang-3": {"2"}}).Want(t, http.StatusSeeOther)
		c := participationweb.Of(e.App.Kernel)
		got, err := c.Store.Poll(context.Background(), e.Town.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Ballots != 2 {
			t.Errorf("%d ballots counted, want 2", got.Ballots)
		}

		// Before closing: no results.
		page = visitor.Get(path).Want(t, http.StatusOK).Body
		if strings.Contains(page, `id="resultats"`) || strings.Contains(page, "<table") {
			t.Error("results show before closing")
		}
		visitor.Get(path+"/resultats.csv").Want(t, http.StatusForbidden)

		closeNow(t, e, p)
		page = visitor.Get(path).Want(t, http.StatusOK).Body
		for _, want := range []string{`id="resultats"`, `role="img"`, `<th scope="row">Oui</th><td>1</td><td>50`,
			`<th scope="row">Primeurs</th><td>5</td><td>1</td>`, "=HYPERLINK", "/resultats.csv"} {
			if !strings.Contains(page, want) {
				t.Errorf("the results lack %s", want)
			}
		}
		if strings.Contains(page, `action="`+path+`/reponse"`) {
			t.Error("the closed poll still shows its form")
		}
		csv := visitor.Get(path+"/resultats.csv").Want(t, http.StatusOK)
		if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv.Body, "\ufeff") {
			t.Errorf("the CSV: %s, %q", csv.Header.Get("Content-Type"), csv.Body[:min(10, len(csv.Body))])
		}
		for _, want := range []string{"Faut-il avancer le marché;Oui;1;50,0;;\r\n", "Classez les étals;Primeurs;2;100,0;5;1\r\n",
			"Une remarque;\"'=HYPERLINK(\"\"http://exemple.test\"\")\"\r\n"} {
			if !strings.Contains(csv.Body, want) {
				t.Errorf("the CSV lacks %q:\n%s", want, csv.Body)
			}
		}
		her.Post(path+"/reponse", ballot).Want(t, http.StatusConflict)
	}, apptest.WithDemoData())
}

// TestPollAudiences: a neighbourhood's poll refuses a resident who is
// not a member, form and ballot; a draft is not shown.
func TestPollAudiences(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		c := participationweb.Of(e.App.Kernel)
		ctx := context.Background()
		now := e.App.Now()
		p := &participation.Poll{TenantID: e.Town.ID, Slug: "quartier-de-la-gare", Title: "Le quartier de la gare",
			Audience: participation.AudienceNeighbourhood, CommunityID: "aucune-communaute", CommunityName: "Quartier de la Gare",
			Published: true, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
			Questions: []*participation.Question{{Kind: participation.Single, Label: "Oui ou non", Choices: []string{"Oui", "Non"}, Required: true}}}
		if err := c.Store.CreatePoll(ctx, p); err != nil {
			t.Fatal(err)
		}
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		page := her.Get(p.Path()).Want(t, http.StatusOK).Body
		if strings.Contains(page, `action="`+p.Path()+`/reponse"`) || !strings.Contains(page, "réservée aux membres") {
			t.Error("a non-member is offered the form")
		}
		her.Post(p.Path()+"/reponse", url.Values{"q-" + p.Questions[0].ID: {"0"}}).Want(t, http.StatusForbidden)

		draft := pollOf(t, e, "brouillon")
		draft.Published = false
		if err := c.Store.UpdatePoll(ctx, draft); err != nil {
			t.Fatal(err)
		}
		her.Get(draft.Path()).Want(t, http.StatusNotFound)
		if strings.Contains(her.Get(participationweb.PollsPath).Want(t, http.StatusOK).Body, draft.Path()) {
			t.Error("the draft is listed")
		}
	}, apptest.WithDemoData())
}

// TestStaffCreatesAPoll: the form without script, empty question boxes
// ignored; a refused form keeps what was typed; the questions lock once
// a ballot is cast.
func TestStaffCreatesAPoll(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		staff := e.Browser(e.Town).SignInDemo(t, "moderation@montclair.localhost")
		staff.Get(participationweb.PollsAdminPath+"/nouvelle").Want(t, http.StatusOK)
		form := url.Values{"title": {"Jardins familiaux"}, "audience": {participation.AudienceAll}, "published": {"1"},
			"opens": {"2020-01-01"}, "opens-time": {"08:00"}, "closes": {"2019-12-01"}, "closes-time": {"18:00"},
			"q1-kind": {""}, "q1-label": {""}, "q1-choices": {""}, "q1-required": {"1"},
			"q2-kind": {participation.Single}, "q2-label": {"Faut-il des jardins familiaux"}, "q2-choices": {"Oui\r\nNon\r\n"}, "q2-required": {"1"},
			"q3-kind": {participation.Open}, "q3-label": {"Où les installer"}}
		page := staff.Post(participationweb.PollsAdminPath+"/nouvelle", form).Want(t, http.StatusUnprocessableEntity).Body
		if !strings.Contains(page, "La clôture vient après l") || !strings.Contains(page, `value="Faut-il des jardins familiaux"`) {
			t.Error("the refused form lacks its error or what was typed")
		}
		form.Set("closes", "2030-12-01")
		res := staff.Post(participationweb.PollsAdminPath+"/nouvelle", form).Want(t, http.StatusSeeOther)
		c := participationweb.Of(e.App.Kernel)
		p, err := c.Store.PollBySlug(context.Background(), e.Town.ID, "jardins-familiaux")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Questions) != 2 || p.Questions[0].Kind != participation.Single || len(p.Questions[0].Choices) != 2 ||
			p.Questions[1].Required {
			t.Errorf("questions saved: %+v %+v", p.Questions[0], p.Questions[1])
		}
		if at := p.OpensAt.In(e.Town.Location()); at.Hour() != 8 || at.Day() != 1 {
			t.Errorf("opens at %v", at)
		}
		staff.Get(res.Location).Want(t, http.StatusOK)
		if !strings.Contains(staff.Get(participationweb.PollsAdminPath).Want(t, http.StatusOK).Body, "Jardins familiaux") {
			t.Error("the list lacks the poll")
		}
		if err := c.Store.Cast(context.Background(), p, "un-habitant", participation.Ballot{p.Questions[0].ID: {Choices: []int{0}}}); err != nil {
			t.Fatal(err)
		}
		page = staff.Get(participationweb.PollsAdminPath+"/"+p.ID).Want(t, http.StatusOK).Body
		if strings.Contains(page, `name="q1-kind"`) {
			t.Error("the questions can still be changed after a ballot")
		}
		form.Set("title", "Jardins familiaux de la Gare")
		form.Set("q2-label", "Autre question")
		staff.Post(participationweb.PollsAdminPath+"/"+p.ID, form).Want(t, http.StatusSeeOther)
		p, _ = c.Store.Poll(context.Background(), e.Town.ID, p.ID)
		if p.Title != "Jardins familiaux de la Gare" || p.Questions[0].Label != "Faut-il des jardins familiaux" {
			t.Errorf("after the edit: %q, %q", p.Title, p.Questions[0].Label)
		}
		e.Browser(e.Town).SignInDemo(t, demo.Resident).Get(participationweb.PollsAdminPath).Want(t, http.StatusForbidden)
	}, apptest.WithDemoData())
}

// TestOneBallotUnderConcurrencyOnTheSite is the acceptance: a
// hundred ballots of one person sent at once through the site, one is
// counted; the others are refused as a second ballot or held by the
// ballots' limit, none fails otherwise.
func TestOneBallotUnderConcurrencyOnTheSite(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		p := pollOf(t, e, "marche-en-parallele")
		q := p.Questions
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		ballot := url.Values{"q-" + q[0].ID: {"1"}, "q-" + q[1].ID + "-rang-1": {"1"}, "q-" + q[1].ID + "-rang-2": {"2"},
			"q-" + q[1].ID + "-rang-3": {"0"}, "q-" + q[2].ID: {"En même temps"}}
		const n = 100
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i] = her.Post(p.Path()+"/reponse", ballot).Status
			}()
		}
		close(start)
		wg.Wait()
		counts := map[int]int{}
		for _, s := range statuses {
			counts[s]++
		}
		if counts[http.StatusSeeOther] != 1 || counts[http.StatusSeeOther]+counts[http.StatusConflict]+counts[http.StatusTooManyRequests] != n {
			t.Errorf("statuses %v: want one 303, the rest 409 or 429", counts)
		}
		c := participationweb.Of(e.App.Kernel)
		got, err := c.Store.Poll(context.Background(), e.Town.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var answers int
		if err := c.Store.DB().QueryRow(context.Background(), `SELECT COUNT(*) FROM participation_answers WHERE poll_id = ?`,
			p.ID).Scan(&answers); err != nil {
			t.Fatal(err)
		}
		if got.Ballots != 1 || answers != 1+3+1 {
			t.Errorf("%d ballots counted, %d answers; want 1 and 5", got.Ballots, answers)
		}
	}, apptest.WithDemoData())
}
