package participationweb_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
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
