package participationweb_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/kernel/demo"
)

const modModerator = "moderation@montclair.localhost"

// modShows fails unless page holds each of want, as the HTML escapes it.
func modShows(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, html.EscapeString(w)) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

func modHidesText(t *testing.T, page string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(page, html.EscapeString(w)) {
			t.Errorf("the page shows %q", w)
		}
	}
}

// modAuthor is a new resident with a browser signed in.
func modAuthor(t *testing.T, e *apptest.Env, email, name string) (participation.Author, *apptest.Browser) {
	u := e.Resident(e.Town, email, name)
	b := e.Browser(e.Town)
	b.SignIn(t, email, apptest.Password)
	return participation.Author{ID: u.ID, Name: u.Name, Since: u.CreatedAt}, b
}

// TestModerationReportHideAppeal: a resident reports a message, once;
// the moderator finds it in the queue with the reason and its author's
// address, refuses to hide it without a reason, then hides it; the
// author reads the reason on the thread and on the appeal's page, which
// nobody else opens, appeals once, and the moderator restores it.
func TestModerationReportHideAppeal(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := participationweb.Of(e.App.Kernel).Store
		sp, err := store.SpaceBySlug(ctx, e.Town.ID, "quartier-des-tilleuls")
		if err != nil {
			t.Fatal(err)
		}
		author, authorB := modAuthor(t, e, "auteur.signale@courriel.localhost", "Bernard Test")
		th := &participation.Thread{Kind: participation.Discussion, Title: "Les poubelles de la rue Haute"}
		body := "Les gens de la rue Haute sont des porcs qui sortent leurs poubelles n'importe quand."
		m, err := store.StartThread(ctx, sp, th, author, "Qui sait quand passe le camion des encombrants ?")
		if err != nil {
			t.Fatal(err)
		}
		if m, err = store.Reply(ctx, sp, th, author, "", body); err != nil || m.State != participation.Visible {
			t.Fatal(err, m)
		}
		report := participationweb.MessagesPath + "/" + m.ID + "/signaler"

		e.Browser(e.Town).Get(report).WantRedirect(t, "/connexion")
		claire := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		page := claire.Get(report).Want(t, http.StatusOK).Body
		modShows(t, page, body, "Injure ou harcèlement", "Spam ou publicité", "Données personnelles")
		claire.Post(report, url.Values{"comment": {"Insultant."}}).Want(t, http.StatusUnprocessableEntity)
		claire.Post(report, url.Values{"reason": {"injure"}, "comment": {"Insultant pour tout le quartier."}}).
			WantRedirect(t, th.Path()+"?ok=signale#message-"+m.ID)
		claire.Post(report, url.Values{"reason": {"spam"}}).Want(t, http.StatusConflict)
		authorB.Get(report).Want(t, http.StatusOK).WantBody(t, "votre message")

		mod := e.Browser(e.Town).SignInDemo(t, modModerator)
		claire.Get(participationweb.QueuePath).Want(t, http.StatusForbidden)
		page = mod.Get(participationweb.QueuePath).Want(t, http.StatusOK).Body
		modShows(t, page, body, "Insultant pour tout le quartier.", "auteur.signale@courriel.localhost", "Les poubelles de la rue Haute")
		if !strings.Contains(page, `href="`+participationweb.StaffWritePath(author.ID)+`"`) {
			t.Error("the queue has no link to write to the reported message's author")
		}
		act := participationweb.QueuePath + "/messages/" + m.ID
		mod.Post(act, url.Values{"action": {"masquer"}, "reason": {" "}}).Want(t, http.StatusUnprocessableEntity)
		reason := "Propos injurieux envers les habitants de la rue, contraires à la charte."
		mod.Post(act, url.Values{"action": {"masquer"}, "reason": {reason}}).WantRedirect(t, participationweb.QueuePath+"?ok=masque")
		page = mod.Get(participationweb.QueuePath).Want(t, http.StatusOK).Body
		modHidesText(t, page, body)

		// The thread keeps the message's place with the reason.
		page = authorB.Get(th.Path()).Want(t, http.StatusOK).Body
		modShows(t, page, reason)
		modHidesText(t, page, body)
		appeal := participationweb.MessagesPath + "/" + m.ID + "/appel"
		page = authorB.Get(appeal).Want(t, http.StatusOK).Body
		modShows(t, page, reason, body)
		claire.Get(appeal).Want(t, http.StatusNotFound)
		mod.Get(appeal).Want(t, http.StatusNotFound)
		authorB.Post(appeal, url.Values{"text": {""}}).Want(t, http.StatusUnprocessableEntity)
		authorB.Post(appeal, url.Values{"text": {"Je retire le mot, mais le problème des poubelles est réel."}}).
			WantRedirect(t, appeal+"?ok=appel")
		authorB.Post(appeal, url.Values{"text": {"Encore."}}).Want(t, http.StatusConflict)
		authorB.Get(appeal).Want(t, http.StatusOK).WantBody(t, "Je retire le mot")

		a, err := store.AppealOf(ctx, e.Town.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		page = mod.Get(participationweb.QueuePath).Want(t, http.StatusOK).Body
		modShows(t, page, "Je retire le mot, mais le problème des poubelles est réel.", reason)
		decide := participationweb.QueuePath + "/appels/" + a.ID
		mod.Post(decide, url.Values{"decision": {"retabli"}}).Want(t, http.StatusUnprocessableEntity)
		mod.Post(decide, url.Values{"decision": {"retabli"}, "answer": {"Le message est rétabli, merci de garder un ton courtois."}}).
			WantRedirect(t, participationweb.QueuePath+"?ok=decide")
		if got, _ := store.Message(ctx, e.Town.ID, m.ID); got.State != participation.Visible {
			t.Fatalf("the restored message is %s", got.State)
		}
		authorB.Get(appeal).Want(t, http.StatusOK).WantBody(t, "merci de garder un ton courtois")
	}, apptest.WithDemoData())
}

// TestModerationHeldBlocksSpaces: a new account's message held in a
// reviewed space shows once the moderator publishes it; a blocked
// resident can write no more until unblocked; the moderator creates a
// space with its rules; the charter is public.
func TestModerationHeldBlocksSpaces(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := participationweb.Of(e.App.Kernel).Store
		sp := &participation.Space{TenantID: e.Town.ID, Slug: "conseil-des-jeunes", Name: "Conseil des jeunes",
			Rules: participation.Rules{PremoderateNew: true}}
		if err := store.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
		old := participation.Author{Name: "Mairie", Staff: true}
		if u, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, modModerator); err == nil {
			old.ID = u.ID
		}
		th := &participation.Thread{Kind: participation.Discussion, Title: "Un skatepark au parc des sports"}
		if _, err := store.StartThread(ctx, sp, th, old, "Où le placer ? Donnez vos idées."); err != nil {
			t.Fatal(err)
		}
		author, _ := modAuthor(t, e, "nouveau.compte@courriel.localhost", "Léa Nouvelle")
		body := "Près du gymnase, il y a de la place et de l'éclairage le soir."
		m, err := store.Reply(ctx, sp, th, author, "", body)
		if err != nil || m.State != participation.Pending {
			t.Fatal(err, m)
		}
		anon := e.Browser(e.Town)
		modHidesText(t, anon.Get(th.Path()).Want(t, http.StatusOK).Body, body)

		mod := e.Browser(e.Town).SignInDemo(t, modModerator)
		page := mod.Get(participationweb.QueuePath).Want(t, http.StatusOK).Body
		modShows(t, page, body, "Un skatepark au parc des sports", "Messages retenus")
		mod.Post(participationweb.QueuePath+"/messages/"+m.ID, url.Values{"action": {"approuver"}}).
			WantRedirect(t, participationweb.QueuePath+"?ok=approuve")
		modShows(t, anon.Get(th.Path()).Want(t, http.StatusOK).Body, body)
		if got, _ := store.Thread(ctx, e.Town.ID, th.ID); got.Replies != 1 {
			t.Fatalf("the published reply does not count: %d", got.Replies)
		}
		mod.Post(participationweb.QueuePath+"/messages/"+m.ID, url.Values{"action": {"approuver"}}).Want(t, http.StatusConflict)

		// Blocks.
		mod.Post(participationweb.BlocksPath, url.Values{"action": {"bloquer"}, "email": {"personne@courriel.localhost"},
			"reason": {"Insultes."}, "days": {"30"}}).Want(t, http.StatusUnprocessableEntity)
		mod.Post(participationweb.BlocksPath, url.Values{"action": {"bloquer"}, "email": {"nouveau.compte@courriel.localhost"},
			"reason": {"Messages injurieux répétés."}, "days": {"30"}}).WantRedirect(t, participationweb.BlocksPath+"?ok=bloque")
		if _, err := store.Reply(ctx, sp, th, author, "", "Encore moi."); !errors.Is(err, participation.ErrBlocked) {
			t.Fatalf("a blocked resident's reply: %v", err)
		}
		modShows(t, mod.Get(participationweb.BlocksPath).Want(t, http.StatusOK).Body, "Léa Nouvelle", "Messages injurieux répétés.",
			"Marc Dupuis")
		mod.Post(participationweb.BlocksPath, url.Values{"action": {"debloquer"}, "user": {author.ID}}).
			WantRedirect(t, participationweb.BlocksPath+"?ok=debloque")
		if _, err := store.Reply(ctx, sp, th, author, "", "Merci pour le skatepark."); err != nil {
			t.Fatalf("an unblocked resident's reply: %v", err)
		}

		// Spaces.
		mod.Get(participationweb.SpacesAdminPath).Want(t, http.StatusOK).WantBody(t, "Conseil des jeunes")
		mod.Post(participationweb.SpacesAdminPath+"/nouveau", url.Values{"name": {""}}).Want(t, http.StatusUnprocessableEntity)
		res := mod.Post(participationweb.SpacesAdminPath+"/nouveau", url.Values{"name": {"Vie associative"},
			"position": {"7"}, "premoderate": {"1"}}).WantRedirect(t, participationweb.SpacesAdminPath+"/")
		created, err := store.SpaceBySlug(ctx, e.Town.ID, "vie-associative")
		if err != nil {
			t.Fatal(err, res.Location)
		}
		if !created.Rules.PremoderateNew || created.Rules.LinksAllowed || created.Position != 7 {
			t.Fatalf("the created space: %+v", created)
		}
		mod.Post(participationweb.SpacesAdminPath+"/"+created.ID, url.Values{"name": {"Vie associative"}, "slug": {"vie-associative"},
			"links": {"1"}}).WantRedirect(t, participationweb.SpacesAdminPath+"/"+created.ID)
		if got, _ := store.Space(ctx, e.Town.ID, created.ID); got.Rules.PremoderateNew || !got.Rules.LinksAllowed {
			t.Fatalf("the updated space's rules: %+v", got.Rules)
		}
		mod.Get(participationweb.SpacesAdminPath+"/"+created.ID).Want(t, http.StatusOK).WantBody(t, "Vie associative")

		anon.Get(participationweb.CharterPath).Want(t, http.StatusOK).WantBody(t, "Charte de participation", "7 jours")
	}, apptest.WithDemoData())
}
