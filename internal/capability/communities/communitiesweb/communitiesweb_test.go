package communitiesweb_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/communities"
	"guichet/internal/capability/communities/communitiesweb"
	"guichet/internal/kernel/demo"
)

// french puts the no-break spaces of French typography in s.
func french(s string) string {
	s = regexp.MustCompile(` ([:;?!»])`).ReplaceAllString(s, "\u202f$1")
	return strings.ReplaceAll(s, "« ", "«\u202f")
}

// has fails unless page holds each of want, as the HTML escapes it.
func has(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, html.EscapeString(french(w))) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

func hasNot(t *testing.T, page string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(page, html.EscapeString(french(w))) {
			t.Errorf("the page shows %q", w)
		}
	}
}

// TestResidentInThreeCommunitiesGetsOneDigest is the acceptance:
// the demo resident, in three communities, sees all three and their news
// on her page, and, once staff posted in each, receives one digest naming
// the three, not three; a run again in the same day sends nothing; her
// digest's link stops it.
func TestResidentInThreeCommunitiesGetsOneDigest(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		c := communitiesweb.Of(e.App.Kernel)
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		page := her.Get(communitiesweb.MinePath).Want(t, http.StatusOK).Body
		has(t, page, "Quartier des Tilleuls", "École Jules-Ferry", "Jardins partagés de la Gare",
			"Réunion du comité de quartier mardi à 19 h", "Kermesse de fin d'année : appel aux parents bénévoles",
			"Chantier collectif de plantation samedi")
		if !strings.Contains(page, "Coupure d&#39;eau") { // the alert of her neighbourhood
			t.Error("her page lacks her neighbourhood's alert")
		}
		hasNot(t, page, "Balade commentée du pont roman dimanche") // a community she is not in
		// The summer fête, attached to her neighbourhood and her school, shows once naming both.
		if n := strings.Count(page, ">Fête de l&#39;été</a>"); n != 1 {
			t.Errorf("the shared event shows %d times", n)
		}
		shared := regexp.MustCompile(`(?s)Fête de l&#39;été</a></h3>.*?</li>`).FindString(page)
		if !strings.Contains(shared, "Quartier des Tilleuls") || !strings.Contains(shared, "École Jules-Ferry") {
			t.Errorf("the shared event does not name both communities: %s", shared)
		}

		staff := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		for _, slug := range []string{"quartier-des-tilleuls", "ecole-jules-ferry", "jardins-partages"} {
			staff.Post("/communautes/"+slug+"/annonces", url.Values{"title": {"Nouvelle de " + slug},
				"body": {"Du nouveau pour **" + slug + "**."}}).Want(t, http.StatusSeeOther)
		}
		staff.Post("/communautes/marche-et-patrimoine/annonces", url.Values{"title": {"Nouvelle de la marche"},
			"body": {"Une autre communauté."}}).Want(t, http.StatusSeeOther)

		// Her daily digest falls due.
		due := func() {
			t.Helper()
			if _, err := e.App.DB.Exec(ctx, `UPDATE communities_settings SET next_at = ? WHERE user_id =
				(SELECT id FROM users WHERE tenant_id = ? AND email = ?)`, e.App.Now().Add(-time.Minute).UTC(), e.Town.ID, demo.Resident); err != nil {
				t.Fatal(err)
			}
		}
		due()
		if err := c.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
		// Her mailbox also gets what the demo queued for her (a booking's confirmation).
		m := e.Mail.WaitFor(t, demo.Resident, 10*time.Second)
		for !strings.Contains(m.Subject, "résumé") {
			m = e.Mail.WaitFor(t, demo.Resident, 10*time.Second)
		}
		for _, want := range []string{"Quartier des Tilleuls", "École Jules-Ferry", "Jardins partagés de la Gare",
			"Nouvelle de quartier-des-tilleuls", "Nouvelle de ecole-jules-ferry", "Nouvelle de jardins-partages"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the digest lacks %q:\n%s", want, m.Text)
			}
		}
		if strings.Contains(m.Text, "Nouvelle de la marche") {
			t.Error("the digest carries a community she is not in")
		}
		if !strings.HasPrefix(m.Subject, "Votre résumé du jour") {
			t.Errorf("subject %q", m.Subject)
		}
		unsubscribe := m.Link(communities.UnsubscribePrefix)
		if unsubscribe == "" || m.Header.Get("List-Unsubscribe") != "<"+unsubscribe+">" {
			t.Errorf("unsubscribe link %q, header %q", unsubscribe, m.Header.Get("List-Unsubscribe"))
		}
		// Again in the same day, even due again: nothing more.
		if err := c.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
		due()
		if err := c.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // what a second digest would take to arrive
		count := 0
		for _, msg := range e.Mail.Messages() {
			if msg.IsTo(demo.Resident) && strings.Contains(msg.Subject, "résumé") {
				count++
			}
		}
		if count != 1 {
			t.Errorf("%d digests to her, want one", count)
		}

		// The link's page changes nothing; its button stops the digest.
		u, _ := url.Parse(unsubscribe)
		anon := e.Browser(e.Town)
		anon.Get(u.Path).Want(t, http.StatusOK).WantBody(t, "Arrêter le résumé")
		if page := her.Get(communitiesweb.MinePath).Body; !strings.Contains(page, `value="`) || strings.Count(page, " checked") < 3 {
			t.Error("opening the link changed her choices")
		}
		anon.Post(u.Path, url.Values{"List-Unsubscribe": {"One-Click"}}).Want(t, http.StatusOK)
		anon.Get(communities.UnsubscribePrefix+"x.0123456789").Want(t, http.StatusNotFound)
		ms, err := c.Store.Memberships(ctx, e.Town.ID, userID(t, e, demo.Resident))
		if err != nil || len(ms) != 3 {
			t.Fatalf("memberships: %d, %v", len(ms), err)
		}
		for _, m := range ms {
			if m.Notify != communities.NotifyNone {
				t.Errorf("%s still in her digest", m.Community.Name)
			}
		}
	}, apptest.WithDemoData(), apptest.WithMail())
}

func userID(t *testing.T, e *apptest.Env, email string) string {
	t.Helper()
	u, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestJoinLeaveAndChooseNotifications: a resident joins a community from
// its page, sees it on their own page, chooses its notifications and
// leaves it; the public sees a member count, never a member's name.
func TestJoinLeaveAndChooseNotifications(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		c := communitiesweb.Of(e.App.Kernel)
		anon := e.Browser(e.Town)
		list := anon.Get("/communautes").Want(t, http.StatusOK).Body
		has(t, list, "Quartier des Tilleuls", "École Jules-Ferry", "Jardins partagés de la Gare", "Marche et patrimoine")
		school, err := c.Store.BySlug(ctx, e.Town.ID, "ecole-jules-ferry")
		if err != nil {
			t.Fatal(err)
		}
		public := anon.Get("/communautes/ecole-jules-ferry").Want(t, http.StatusOK).Body
		has(t, public, "Kermesse de fin d'année", "Inscriptions à l'école pour la rentrée", "Connectez-vous pour rejoindre")
		hasNot(t, public, "Habitante de démonstration", demo.Resident, "Sophie Lemaire")
		anon.Post("/communautes/ecole-jules-ferry/rejoindre", nil).Want(t, http.StatusUnauthorized)

		him := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		him.Post("/communautes/ecole-jules-ferry/rejoindre", nil).WantRedirect(t, "/communautes/ecole-jules-ferry?ok=rejoint")
		page := him.Get("/communautes/ecole-jules-ferry?ok=rejoint").Want(t, http.StatusOK).Body
		has(t, page, "Vous faites partie de « École Jules-Ferry »", "Quitter la communauté")
		if got, _ := c.Store.BySlug(ctx, e.Town.ID, "ecole-jules-ferry"); got.Members != school.Members+1 {
			t.Errorf("%d members after joining, want %d", got.Members, school.Members+1)
		}
		mine := him.Get(communitiesweb.MinePath).Want(t, http.StatusOK).Body
		has(t, mine, "École Jules-Ferry", "Quartier des Tilleuls", "Marche et patrimoine", "Kermesse de fin d'année")
		// Only the school in his digest, daily.
		him.Post(communitiesweb.MinePath, url.Values{"digest": {school.ID}, "frequency": {"daily"}}).
			WantRedirect(t, communitiesweb.MinePath+"?ok=enregistre")
		ms, _ := c.Store.Memberships(ctx, e.Town.ID, userID(t, e, "habitant@courriel.localhost"))
		for _, m := range ms {
			if want := m.Community.ID == school.ID; (m.Notify == communities.NotifyDigest) != want {
				t.Errorf("%s: %s", m.Community.Name, m.Notify)
			}
		}
		if st, _, _ := c.Store.Settings(ctx, e.Town.ID, userID(t, e, "habitant@courriel.localhost")); st.Frequency != communities.Daily {
			t.Errorf("frequency %s", st.Frequency)
		}
		him.Post(communitiesweb.MinePath, url.Values{"frequency": {"toutes les heures"}}).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Choisissez un résumé quotidien ou hebdomadaire.")
		him.Post("/communautes/ecole-jules-ferry/quitter", url.Values{"depuis": {"mes-communautes"}}).
			WantRedirect(t, communitiesweb.MinePath+"?ok=sortie")
		if got, _ := c.Store.BySlug(ctx, e.Town.ID, "ecole-jules-ferry"); got.Members != school.Members {
			t.Errorf("%d members after leaving", got.Members)
		}
		// Nobody else sees whom he follows: another resident's page is their own.
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		hasNot(t, her.Get(communitiesweb.MinePath).Body, "Marche et patrimoine")
		anon.Get("/communautes/nulle-part").Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}

// TestAnimatorsAndStaff: the Amicale's president animates her
// neighbourhood (staff named her): she posts and attaches a news item;
// another resident cannot; the vie-locale agent creates a community,
// names an animator, removes them and deletes it; an agent of another
// service cannot reach the back office.
func TestAnimatorsAndStaff(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		president := e.Browser(e.Town).SignInDemo(t, "association@courriel.localhost")
		form := president.Get("/communautes/quartier-des-tilleuls/animer").Want(t, http.StatusOK).Body
		has(t, form, "Publier une annonce", "Réunion du comité de quartier mardi à 19 h")
		president.Post("/communautes/quartier-des-tilleuls/annonces", url.Values{"title": {""}, "body": {""}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Donnez un titre à l")
		president.Post("/communautes/quartier-des-tilleuls/annonces", url.Values{"title": {"Vide-greniers des Tilleuls"},
			"body": {"Dimanche, rue des Glycines."}}).WantRedirect(t, "/communautes/quartier-des-tilleuls/animer?ok=annonce")
		page := e.Browser(e.Town).Get("/communautes/quartier-des-tilleuls").Body
		has(t, page, "Vide-greniers des Tilleuls", "par l'équipe d'animation")
		hasNot(t, page, "Présidente de l'Amicale")

		choice := regexp.MustCompile(`value="(news:[^"]+)"`).FindStringSubmatch(form)
		if choice == nil {
			t.Fatal("no news item offered to attach")
		}
		president.Post("/communautes/quartier-des-tilleuls/publications", url.Values{"publication": {choice[1]}}).
			WantRedirect(t, "/communautes/quartier-des-tilleuls/animer?ok=ajoutee")
		president.Post("/communautes/quartier-des-tilleuls/publications", url.Values{"publication": {choice[1]}}).
			Want(t, http.StatusUnprocessableEntity)
		president.Post("/communautes/quartier-des-tilleuls/publications", url.Values{"publication": {"alert:x"}}).
			Want(t, http.StatusUnprocessableEntity)

		other := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		other.Get("/communautes/quartier-des-tilleuls/animer").Want(t, http.StatusForbidden)
		other.Post("/communautes/quartier-des-tilleuls/annonces", url.Values{"title": {"Intrus"}, "body": {"Intrus."}}).
			Want(t, http.StatusForbidden)
		e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost").Get(communitiesweb.AdminPath).Want(t, http.StatusForbidden)

		agent := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		agent.Get(communitiesweb.AdminPath).Want(t, http.StatusOK).WantBody(t, "Quartier des Tilleuls", "Marche et patrimoine")
		agent.Get(communitiesweb.AdminPath+"/nouvelle").Want(t, http.StatusOK).WantBody(t, "Les Tilleuls")
		agent.Post(communitiesweb.AdminPath, url.Values{"name": {"Quartier de la Gare"}, "kind": {communities.Neighbourhood}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Indiquez le quartier des alertes")
		res := agent.Post(communitiesweb.AdminPath, url.Values{"name": {"Quartier de la Gare"}, "kind": {communities.Neighbourhood},
			"area": {"La Gare"}, "description": {"Autour de la gare."}})
		res.Want(t, http.StatusSeeOther)
		edit := strings.TrimSuffix(res.Location, "?ok=cree")
		agent.Get(edit).Want(t, http.StatusOK).WantBody(t, "Aucun habitant nommé")
		agent.Post(edit+"/animateurs", url.Values{"email": {"personne@courriel.localhost"}}).Want(t, http.StatusUnprocessableEntity)
		agent.Post(edit+"/animateurs", url.Values{"email": {"habitant@courriel.localhost"}}).WantRedirect(t, edit+"?ok=animateur")
		other.Get("/communautes/quartier-de-la-gare/animer").Want(t, http.StatusOK)
		agent.Post(edit+"/animateurs/"+userID(t, e, "habitant@courriel.localhost")+"/retirer", nil).
			WantRedirect(t, edit+"?ok=sans-animer")
		other.Get("/communautes/quartier-de-la-gare/animer").Want(t, http.StatusForbidden)
		agent.Post(edit, url.Values{"name": {"Quartier de la Gare et du Moulin"}, "kind": {communities.Neighbourhood},
			"slug": {"quartier-de-la-gare"}, "area": {"La Gare"}}).WantRedirect(t, edit+"?ok=modifiee")
		e.Browser(e.Town).Get("/communautes/quartier-de-la-gare").Want(t, http.StatusOK).WantBody(t, "Quartier de la Gare et du Moulin")
		agent.Post(edit+"/supprimer", nil).WantRedirect(t, communitiesweb.AdminPath+"?ok=supprimee")
		e.Browser(e.Town).Get("/communautes/quartier-de-la-gare").Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}
