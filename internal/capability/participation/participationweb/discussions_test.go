package participationweb_test

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
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
)

// typo puts the no-break spaces of French typography in s.
func typo(s string) string {
	s = regexp.MustCompile(` ([:;?!»])`).ReplaceAllString(s, "\u202f$1")
	return strings.ReplaceAll(s, "« ", "«\u202f")
}

// shows fails unless page holds each of want, as the HTML escapes it.
func shows(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, html.EscapeString(typo(w))) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

// TestResidentsDiscussInASpace: the space lists its discussions; a
// signed-out visitor is asked to sign in and their post is refused; a
// resident starts a discussion (an empty message shows the form again
// with what they typed), another replies, reacts and stops following;
// debates are not served as discussions.
func TestResidentsDiscussInASpace(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := participationweb.Of(e.App.Kernel).Store
		sp := &participation.Space{TenantID: e.Town.ID, Slug: "quartier-du-moulin", Name: "Quartier du Moulin",
			Description: "Les échanges **entre voisins** du Moulin.", Rules: participation.Rules{LinksAllowed: true}}
		if err := store.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
		path := participationweb.SpacesPath + "/" + sp.Slug

		anon := e.Browser(e.Town)
		page := anon.Get(path).Want(t, http.StatusOK).Body
		shows(t, page, "Quartier du Moulin", "Aucune discussion dans cet espace pour l'instant : lancez la première !",
			"Connectez-vous pour lancer une discussion")
		if !strings.Contains(page, "<strong>entre voisins</strong>") {
			t.Error("the description is not rendered as Markdown")
		}
		anon.Post(path+"/discussions", url.Values{"title": {"Anonyme"}, "body": {"Sans compte."}}).Want(t, http.StatusUnauthorized)
		if list, _ := store.Threads(ctx, e.Town.ID, sp.ID, "", 10); len(list) != 0 {
			t.Fatalf("a signed-out post wrote %d threads", len(list))
		}

		e.Resident(e.Town, "claire.moulin@courriel.example", "Claire Moulin")
		claire := e.Browser(e.Town)
		claire.SignIn(t, "claire.moulin@courriel.example", apptest.Password)
		res := claire.Post(path+"/discussions", url.Values{"title": {"Le marché du Moulin"}, "body": {""}}).
			Want(t, http.StatusUnprocessableEntity)
		shows(t, res.Body, "Écrivez votre message.")
		if !strings.Contains(res.Body, `value="Le marché du Moulin"`) {
			t.Error("the title typed is lost")
		}
		res = claire.Post(path+"/discussions", url.Values{"title": {"Le marché du Moulin"},
			"body": {"Un petit marché le samedi matin sur la placette ?\nQui serait partant ?"}}).
			WantRedirect(t, participationweb.DiscussionsPath+"/")
		thread := strings.TrimSuffix(res.Location, "?ok=publiee")
		page = claire.Get(res.Location).Want(t, http.StatusOK).Body
		shows(t, page, "Le marché du Moulin", "Votre discussion est publiée.", "Claire Moulin", "Ne plus suivre")
		if !strings.Contains(page, "placette ?<br>") && !strings.Contains(page, "placette\u202f?<br>") {
			t.Error("the message's line break is lost")
		}

		// An account of a month: its link does not hold its message.
		u := e.Resident(e.Town, "paul.moulin@courriel.example", "Paul Moulin")
		if _, err := e.App.DB.Exec(ctx, `UPDATE users SET created_at = ? WHERE id = ?`,
			e.App.Now().AddDate(0, -1, 0).UTC(), u.ID); err != nil {
			t.Fatal(err)
		}
		paul := e.Browser(e.Town)
		paul.SignIn(t, "paul.moulin@courriel.example", apptest.Password)
		paul.Get(thread).Want(t, http.StatusOK).WantBody(t, "Suivre cette discussion")
		// Claire's open page hears of his reply.
		events, cancel, err := e.App.Kernel.Live.Subscribe(e.Town.ID, "participation-discussion-"+
			strings.TrimPrefix(thread, participationweb.DiscussionsPath+"/"))
		if err != nil {
			t.Fatal(err)
		}
		defer cancel()
		res = paul.Post(thread+"/reponses", url.Values{"body": {"Partant ! Le programme est sur https://exemple.org/marche"}}).
			WantRedirect(t, thread+"?ok=reponse#message-")
		select {
		case ev := <-events:
			if ev.Name != "message" {
				t.Errorf("live event %q", ev.Name)
			}
		case <-time.After(5 * time.Second):
			t.Error("no live event for the reply")
		}
		page = paul.Get(res.Location).Want(t, http.StatusOK).Body
		shows(t, page, "Votre réponse est publiée.", "Paul Moulin", "2 messages")
		if !strings.Contains(page, `<a href="https://exemple.org/marche" rel="nofollow ugc noopener">`) {
			t.Error("the link of a space that allows links is not clickable")
		}
		anon.Get(path).Want(t, http.StatusOK).WantBody(t, "Le marché du Moulin", "1 réponse")

		// Paul thanks Claire for her opening message.
		id := strings.TrimPrefix(thread, participationweb.DiscussionsPath+"/")
		msgs, err := store.Messages(ctx, e.Town.ID, id, "")
		if err != nil || len(msgs) != 2 {
			t.Fatalf("messages %v %v", msgs, err)
		}
		paul.Post(participationweb.MessagesPath+"/"+msgs[0].ID+"/reactions", url.Values{"kind": {participation.ReactThanks}}).
			WantRedirect(t, thread+"#message-"+msgs[0].ID)
		page = paul.Get(thread).Want(t, http.StatusOK).Body
		if !strings.Contains(page, `aria-pressed="true">Merci (1)</button>`) {
			t.Error("the reaction is not counted as his")
		}
		anon.Get(thread).Want(t, http.StatusOK).WantBody(t, "Merci (1)", "/participer/messages/"+msgs[1].ID+"/signaler")
		anon.Post(participationweb.MessagesPath+"/"+msgs[0].ID+"/reactions", url.Values{"kind": {participation.ReactThanks}}).
			Want(t, http.StatusUnauthorized)

		// Replying made him follow; he stops.
		paul.Post(thread+"/ne-plus-suivre", nil).WantRedirect(t, thread+"?ok=plus-suivie")
		paul.Get(thread).Want(t, http.StatusOK).WantBody(t, "Suivre cette discussion")
		if ok, _ := store.IsFollowing(ctx, e.Town.ID, id, msgs[1].AuthorID); ok {
			t.Error("he still follows")
		}

		// A moderator hid his reply: readers see why, not what it said.
		if _, err := e.App.DB.Exec(ctx, `UPDATE participation_messages SET state = ?, reason = ? WHERE id = ?`,
			participation.Hidden, "Publicité pour un site commercial", msgs[1].ID); err != nil {
			t.Fatal(err)
		}
		page = anon.Get(thread).Want(t, http.StatusOK).Body
		shows(t, page, "Message masqué par la modération.", "Publicité pour un site commercial")
		if strings.Contains(page, "exemple.org/marche") || strings.Contains(page, "/participer/messages/"+msgs[1].ID+"/signaler") {
			t.Error("a hidden message shows its text or its report link")
		}

		// A debate is not a discussion's page.
		debate := &participation.Thread{Kind: participation.Debate, Title: "Un débat"}
		if _, err := store.StartThread(ctx, sp, debate, participation.Author{ID: msgs[0].AuthorID, Name: "Claire Moulin",
			Staff: true}, "La question du débat."); err != nil {
			t.Fatal(err)
		}
		anon.Get(participationweb.DiscussionsPath+"/"+debate.ID).Want(t, http.StatusNotFound)
	})
}

// TestHeldAndRefusedMessages: where links are not allowed, a reply with
// one is refused on its field, what was typed kept; a new account's
// message in a premoderated space shows to its author as awaiting review
// and to nobody else.
func TestHeldAndRefusedMessages(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := participationweb.Of(e.App.Kernel).Store
		sp := &participation.Space{TenantID: e.Town.ID, Slug: "relu", Name: "Espace relu",
			Rules: participation.Rules{PremoderateNew: true}}
		if err := store.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
		path := participationweb.SpacesPath + "/" + sp.Slug
		e.Resident(e.Town, "nouvelle@courriel.example", "Nouvelle Venue")
		her := e.Browser(e.Town)
		her.SignIn(t, "nouvelle@courriel.example", apptest.Password)
		res := her.Post(path+"/discussions", url.Values{"title": {"Première question"},
			"body": {"Bonjour, voyez www.exemple.com"}}).Want(t, http.StatusUnprocessableEntity)
		// The domain's sentence, as the store writes it.
		if !strings.Contains(res.Body, html.EscapeString("Les adresses de sites ne sont pas permises dans cet espace")) {
			t.Error("the link is not refused on its field")
		}
		if !strings.Contains(res.Body, "Bonjour, voyez www.exemple.com</textarea>") {
			t.Error("the message typed is lost")
		}
		res = her.Post(path+"/discussions", url.Values{"title": {"Première question"}, "body": {"Bonjour à tous."}}).
			WantRedirect(t, participationweb.DiscussionsPath+"/")
		page := her.Get(res.Location).Want(t, http.StatusOK).Body
		shows(t, page, "Cette discussion attend la relecture d'un modérateur : vous seul la voyez pour l'instant.",
			"Votre message attend la relecture d'un modérateur : vous seul le voyez pour l'instant.", "Bonjour à tous.")
		thread := strings.Split(res.Location, "?")[0]
		e.Browser(e.Town).Get(thread).Want(t, http.StatusNotFound)
		e.Browser(e.Town).Get(path).Want(t, http.StatusOK)
		if strings.Contains(e.Browser(e.Town).Get(path).Body, "Première question") {
			t.Error("the space lists a held discussion")
		}
	})
}

// TestDemoDiscussions: the demo's spaces hold their discussions, one
// preparing a concert of the agenda, with replies, a reaction and the
// mairie's answer; the village's space holds its own alone.
func TestDemoDiscussions(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		anon := e.Browser(e.Town)
		page := anon.Get(participationweb.SpacesPath+"/quartier-des-tilleuls").Want(t, http.StatusOK).Body
		shows(t, page, "Fête des voisins du 29 mai : qui s'occupe de quoi ?", "On va ensemble au concert de l'harmonie ?",
			"prépare une rencontre")
		// Other parts of the demo add their replies to the neighbours' fête.
		if !regexp.MustCompile(`[0-9]+ réponses`).MatchString(page) {
			t.Error("the space does not count its discussions' replies")
		}
		link := regexp.MustCompile(`href="(/participer/discussions/[^"]+)"[^>]*>On va ensemble`).FindStringSubmatch(page)
		if link == nil {
			t.Fatal("no link to the concert's discussion")
		}
		page = anon.Get(link[1]).Want(t, http.StatusOK).Body
		shows(t, page, "Cette discussion prépare une rencontre", "Concert de l'harmonie municipale", "S'inscrire à la rencontre",
			"Sophie Marchand", "Julien Petit")
		page = anon.Get(participationweb.SpacesPath+"/se-deplacer").Want(t, http.StatusOK).Body
		shows(t, page, "Le carrefour de la rue Pasteur est dangereux à vélo", "Horaires de la ligne 2 le dimanche")
		village := e.Browser(e.Village).Get(participationweb.SpacesPath+"/vie-du-village").Want(t, http.StatusOK).Body
		shows(t, village, "Des photos anciennes du lavoir ?")
		if strings.Contains(village, "Fête des voisins") {
			t.Error("the village's space shows a town discussion")
		}
	}, apptest.WithDemoData())
}
