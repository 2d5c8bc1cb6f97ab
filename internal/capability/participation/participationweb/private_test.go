package participationweb_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/kernel/demo"
)

// pmFrench puts the no-break spaces of French typography in s, as the
// HTML escapes it.
func pmFrench(s string) string {
	s = regexp.MustCompile(` ([:;?!»])`).ReplaceAllString(s, "\u00a0$1")
	return html.EscapeString(strings.ReplaceAll(s, "« ", "«\u00a0"))
}

// TestPrivateMessagesBetweenResidentsAndFromTheMairie is the issue's
// acceptance: the demo resident reads her conversations, the unread one
// first; another resident neither reads them nor writes to her once she
// stops accepting private messages, but writes to her while she accepts;
// a moderator writes to any resident for the mairie, who answers.
func TestPrivateMessagesBetweenResidentsAndFromTheMairie(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		claire, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, demo.Resident)
		if err != nil {
			t.Fatal(err)
		}
		julien, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, "habitant@courriel.localhost")
		if err != nil {
			t.Fatal(err)
		}
		francoise, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, "association@courriel.localhost")
		if err != nil {
			t.Fatal(err)
		}
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		list := her.Get(participationweb.ConversationsPath).Want(t, http.StatusOK).Body
		committee := pmFrench("Comité de quartier des Tilleuls : réunion de jeudi")
		proposal := pmFrench("Votre proposition dans « Se déplacer à Montclair »")
		if i, j := strings.Index(list, committee), strings.Index(list, proposal); i < 0 || j < 0 || i > j {
			t.Fatalf("her list, the unread conversation first: %d, %d\n%s", i, j, list)
		}
		for _, want := range []string{"1 message non lu", html.EscapeString("Avec " + francoise.Name), "Avec Mairie de Montclair-sur-Vienne",
			pmFrench("Accepter les messages privés des autres habitants"), `name="accepter" value="1" checked`} {
			if !strings.Contains(list, want) {
				t.Errorf("her list lacks %q", want)
			}
		}
		link := regexp.MustCompile(`href="(/compte/messages/[0-9a-f-]{36})">` + regexp.QuoteMeta(committee)).FindStringSubmatch(list)
		if link == nil {
			t.Fatal("no link to the committee's conversation")
		}
		page := her.Get(link[1]).Want(t, http.StatusOK).Body
		for _, want := range []string{pmFrench("Pensez au plan du square"), html.EscapeString(francoise.Name), "Vous", `name="body"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the conversation lacks %q", want)
			}
		}
		if strings.Contains(her.Get(participationweb.ConversationsPath).Body, "non lu") {
			t.Error("the conversation she opened still counts unread messages")
		}

		// Julien reads none of it, and answers in none of it.
		him := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		him.Get(link[1]).Want(t, http.StatusNotFound)
		him.Post(link[1], url.Values{"body": {"Intrusion."}}).Want(t, http.StatusNotFound)

		// She accepts private messages: he writes to her, she reads it.
		form := him.Get(participationweb.WritePrivatePath(claire.ID)).Want(t, http.StatusOK).Body
		if !strings.Contains(form, html.EscapeString("Écrire à "+claire.Name)) || !strings.Contains(form, `name="subject"`) {
			t.Fatalf("the form to write to her:\n%s", form)
		}
		him.Post(participationweb.WritePrivatePath(claire.ID), url.Values{"subject": {""}, "body": {""}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Donnez un objet à votre message.")
		res := him.Post(participationweb.WritePrivatePath(claire.ID), url.Values{"subject": {"Covoiturage pour la fête"},
			"body": {"Bonjour Claire, je passe vous prendre samedi ?"}}).Want(t, http.StatusSeeOther)
		if !strings.HasPrefix(res.Header.Get("Location"), participationweb.ConversationsPath+"/") {
			t.Fatalf("after sending: %s", res.Header.Get("Location"))
		}
		if !strings.Contains(her.Get(participationweb.ConversationsPath).Body, "Covoiturage pour la fête") {
			t.Error("his message is not in her list")
		}

		// She stops accepting them: the form says so, and a message is refused.
		her.Post(participationweb.PrivateSettingsPath, url.Values{}).Want(t, http.StatusSeeOther)
		refused := him.Get(participationweb.WritePrivatePath(claire.ID)).Want(t, http.StatusOK).Body
		if !strings.Contains(refused, pmFrench(claire.Name+" n'accepte pas de messages privés")) || strings.Contains(refused, `name="subject"`) {
			t.Errorf("the form does not say she refuses private messages:\n%s", refused)
		}
		him.Post(participationweb.WritePrivatePath(claire.ID), url.Values{"subject": {"Encore"},
			"body": {"Bonjour."}}).Want(t, http.StatusForbidden)

		// A moderator writes to Julien, who never accepted private
		// messages, for the mairie; he reads it signed by the mairie and answers.
		her.Get(participationweb.StaffWritePath(julien.ID)).Want(t, http.StatusForbidden)
		mod := e.Browser(e.Town).SignInDemo(t, "moderation@montclair.localhost")
		mod.Get(participationweb.StaffWritePath(julien.ID)).Want(t, http.StatusOK).WantBody(t, html.EscapeString("Écrire à "+julien.Name))
		res = mod.Post(participationweb.StaffWritePath(julien.ID), url.Values{"subject": {"Votre message masqué"},
			"body": {"Bonjour, votre message a été masqué car il nommait un voisin."}}).Want(t, http.StatusSeeOther)
		conv := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
		mine := him.Get(conv).Want(t, http.StatusOK).Body
		if !strings.Contains(mine, "Mairie de Montclair-sur-Vienne") || strings.Contains(mine, "Modération des échanges") {
			t.Errorf("the mairie's message is not signed by the mairie:\n%s", mine)
		}
		him.Post(conv, url.Values{"body": {"Merci, je reformule."}}).Want(t, http.StatusSeeOther)
		if !strings.Contains(mod.Get(conv).Want(t, http.StatusOK).Body, "Merci, je reformule.") {
			t.Error("the moderator does not read the answer")
		}
		her.Get(conv).Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}

// TestDemoResidentFindsHerParticipationInHerExport: the demo resident's
// data export holds her messages, reactions, follows, ballots (without
// their answers), private conversations, notifications and settings.
func TestDemoResidentFindsHerParticipationInHerExport(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		res := her.Get("/compte/donnees").Want(t, http.StatusOK)
		var data struct {
			Participation struct {
				Messages  []struct{ Thread, Text, State string }
				Reactions []struct{ Kind string }
				Follows   []struct{ Thread string }
				Ballots   []struct {
					Poll   string
					CastAt string `json:"cast_at"`
				}
				Conversations []struct {
					With, Subject string
					Messages      []struct{ Mine bool }
				} `json:"private_messages"`
				Notifications []struct{ Kind string }
				Settings      struct {
					Accepts bool `json:"accepts_private_messages"`
				}
			}
		}
		if err := json.Unmarshal([]byte(res.Body), &data); err != nil {
			t.Fatal(err)
		}
		p := data.Participation
		checks := []struct {
			what string
			ok   bool
		}{
			{"messages", len(p.Messages) > 0 && p.Messages[0].Thread != "" && p.Messages[0].Text != ""},
			{"reactions", len(p.Reactions) > 0},
			{"follows", len(p.Follows) > 0},
			{"ballots", len(p.Ballots) > 0 && p.Ballots[0].Poll != "" && p.Ballots[0].CastAt != ""},
			{"private conversations", len(p.Conversations) >= 2 && len(p.Conversations[0].Messages) == 3},
			{"notifications", len(p.Notifications) > 0},
			{"settings", p.Settings.Accepts},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("her export lacks her %s: %+v", c.what, p)
			}
		}
	}, apptest.WithDemoData())
}

// TestDeletingAnAccountLeavesTheDebatesAnonymous: a resident who wrote,
// reacted, voted and talked in private deletes their account; the page
// said what happens, their public message stays signed « Compte
// supprimé », and no participation table holds their id or name.
func TestDeletingAnAccountLeavesTheDebatesAnonymous(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s := participationweb.Of(e.App.Kernel).Store
		name := "Zéphyrine Participante"
		u := e.Resident(e.Town, "zephyrine.participante@courriel.localhost", name)
		b := e.Browser(e.Town)
		b.SignIn(t, u.Email, apptest.Password)
		a := participation.Author{ID: u.ID, Name: name, Since: u.CreatedAt.Add(-400 * 24 * time.Hour)}
		sp := &participation.Space{TenantID: e.Town.ID, Slug: "espace-de-zephyrine", Name: "Espace de Zéphyrine",
			Rules: participation.Rules{LinksAllowed: true}}
		if err := s.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
		th := &participation.Thread{Kind: participation.Discussion, Title: "Le marché du samedi"}
		msg, err := s.StartThread(ctx, sp, th, a, "Message public de Zéphyrine sur le marché.")
		if err != nil {
			t.Fatal(err)
		}
		claire, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, demo.Resident)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.React(ctx, e.Town.ID, msg.ID, claire.ID, participation.ReactThanks); err != nil {
			t.Fatal(err)
		}
		now := e.App.Kernel.Now()
		poll := &participation.Poll{TenantID: e.Town.ID, Title: "Consultation de Zéphyrine", Audience: participation.AudienceAll,
			Published: true, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(7 * 24 * time.Hour),
			Questions: []*participation.Question{{Kind: participation.Single, Label: "Oui ou non ?", Choices: []string{"Oui", "Non"}, Required: true}}}
		if err := s.CreatePoll(ctx, poll); err != nil {
			t.Fatal(err)
		}
		if err := s.Cast(ctx, poll, u.ID, participation.Ballot{poll.Questions[0].ID: {Choices: []int{0}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartConversation(ctx, e.Town.ID, a, claire.ID, "Message privé de Zéphyrine", "Bonjour Claire."); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAcceptsPrivate(ctx, e.Town.ID, u.ID, true); err != nil {
			t.Fatal(err)
		}

		page := b.Get("/compte/supprimer").Want(t, http.StatusOK).Body
		if !strings.Contains(page, pmFrench("Participation : vos réactions")) || !strings.Contains(page, pmFrench("« Compte supprimé »")) {
			t.Error("the deletion page does not say what happens to the participation")
		}
		b.Post("/compte/supprimer", url.Values{"password": {apptest.Password}}).Want(t, http.StatusOK)

		kept, err := s.Message(ctx, e.Town.ID, msg.ID)
		if err != nil || kept.AuthorName != participation.ErasedName || kept.AuthorID != "" || kept.Body == "" {
			t.Errorf("her public message: %+v, %v", kept, err)
		}
		for _, table := range []string{"participation_messages", "participation_threads", "participation_reactions",
			"participation_follows", "participation_ballots", "participation_conversations", "participation_private_messages",
			"participation_pm_settings", "participation_notifications"} {
			var n int
			if err := e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM `+table+` t WHERE t.tenant_id = ? AND (`+holds(table)+`)`,
				e.Town.ID, u.ID, name).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s still holds %d rows of hers (%v)", table, n, err)
			}
		}
		var answers int
		if err := e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM participation_answers WHERE poll_id = ?`, poll.ID).Scan(&answers); err != nil ||
			answers != 1 {
			t.Errorf("her anonymous answer: %d, %v; want it kept in the results", answers, err)
		}
	}, apptest.WithDemoData())
}

// holds is the condition on a participation table's row that ties it to
// a person: their id (first argument) or name (second).
func holds(table string) string {
	switch table {
	case "participation_messages":
		return `t.author_id = ? OR t.author_name = ?`
	case "participation_threads":
		return `t.author_id = ? OR t.title = ?`
	case "participation_ballots":
		return `t.voter_id = ? OR t.voter_id = ?`
	case "participation_conversations":
		return `t.a_id = ? OR t.b_id = ? OR t.subject = 'Message privé de Zéphyrine'`
	case "participation_private_messages":
		return `t.sender_id = ? OR t.body = ?`
	case "participation_notifications":
		return `t.user_id = ? OR t.actor = ?`
	}
	return `t.user_id = ? OR t.user_id = ?`
}
