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
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/kernel/demo"
)

// inPage fails unless page holds each of want, as the HTML escapes it,
// whichever no-break spaces French typography put in.
func inPage(t *testing.T, page string, want ...string) {
	t.Helper()
	page = strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(page)
	for _, w := range want {
		if !strings.Contains(page, html.EscapeString(w)) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

// TestNotificationCentre: a reply to a thread its author follows shows
// in her centre (not in the replier's); she marks all read; she saves
// her settings, a mode that does not exist showing the form again.
func TestNotificationCentre(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := participationweb.Of(e.App.Kernel).Store
		sp := &participation.Space{TenantID: e.Town.ID, Slug: "quartier-du-moulin", Name: "Quartier du Moulin",
			Rules: participation.Rules{LinksAllowed: true}}
		if err := store.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
		sophie := e.Resident(e.Town, "sophie.moulin@courriel.example", "Sophie Marchand")
		karim := e.Resident(e.Town, "karim.moulin@courriel.example", "Karim Haddad")
		th := &participation.Thread{Kind: participation.Discussion, Title: "Un composteur partagé au Moulin"}
		if _, err := store.StartThread(ctx, sp, th, participation.Author{ID: sophie.ID, Name: sophie.Name,
			Since: sophie.CreatedAt}, "Qui serait partant pour un composteur au pied des immeubles ?"); err != nil {
			t.Fatal(err)
		}
		reply, err := store.Reply(ctx, sp, th, participation.Author{ID: karim.ID, Name: karim.Name, Since: karim.CreatedAt},
			"", "Moi, et je connais un maître composteur.")
		if err != nil || reply.State != participation.Visible {
			t.Fatalf("reply: %v, %+v", err, reply)
		}

		e.Browser(e.Town).Get(participationweb.NotificationsPath).WantRedirect(t, "/connexion")
		her := e.Browser(e.Town)
		her.SignIn(t, "sophie.moulin@courriel.example", apptest.Password)
		page := her.Get(participationweb.NotificationsPath).Want(t, http.StatusOK).Body
		inPage(t, page, "Mes notifications", "Vous avez 1 notification non lue.", "Réponse à une discussion suivie",
			"Un composteur partagé au Moulin", "Quartier du Moulin", "De Karim Haddad", "Tout marquer comme lu")
		if !strings.Contains(page, `href="`+th.Path()+`#message-`+reply.ID+`"`) {
			t.Error("the notification does not link to the reply")
		}
		him := e.Browser(e.Town)
		him.SignIn(t, "karim.moulin@courriel.example", apptest.Password)
		if page := him.Get(participationweb.NotificationsPath).Want(t, http.StatusOK).Body; strings.Contains(page, th.Title) {
			t.Error("the replier is told of his own reply")
		}

		her.Post(participationweb.NotificationsReadPath, url.Values{}).WantRedirect(t, participationweb.NotificationsPath+"?ok=lues")
		page = her.Get(participationweb.NotificationsPath+"?ok=lues").Want(t, http.StatusOK).Body
		inPage(t, page, "Toutes vos notifications sont marquées comme lues.", "Vous avez tout lu.", "Un composteur partagé au Moulin")
		if n, _ := store.Unread(ctx, e.Town.ID, sophie.ID); n != 0 {
			t.Errorf("%d unread after marking all read", n)
		}

		page = her.Get(participationweb.NotifySettingsPath).Want(t, http.StatusOK).Body
		inPage(t, page, "Réglages des notifications", "Réponses aux discussions que vous suivez", "Mentions de votre nom",
			"Messages privés", "Décisions de modération",
			"Jamais plus de 4 courriels par heure : au-delà, tout attend votre prochain récapitulatif.")
		bad := url.Values{"mode_reponse": {"toutes les minutes"}, "mode_mention": {"immediat"},
			"mode_message": {"immediat"}, "mode_moderation": {"immediat"}}
		inPage(t, her.Post(participationweb.NotifySettingsPath, bad).Want(t, http.StatusUnprocessableEntity).Body,
			"Choisissez l'une des fréquences proposées.")
		good := url.Values{"mode_reponse": {"aucun"}, "mode_mention": {"hebdomadaire"},
			"mode_message": {"immediat"}, "mode_moderation": {"quotidien"}}
		her.Post(participationweb.NotifySettingsPath, good).WantRedirect(t, participationweb.NotifySettingsPath+"?ok=enregistre")
		ns, err := store.NotificationSettings(ctx, e.Town.ID, sophie.ID)
		if err != nil || ns.Mode(participation.KindReply, "") != participation.ModeNever ||
			ns.Mode(participation.KindMention, "") != participation.ModeWeekly ||
			ns.Mode(participation.KindModeration, "") != participation.ModeDaily {
			t.Fatalf("settings saved: %v %+v", err, ns)
		}
		page = her.Get(participationweb.NotifySettingsPath+"?ok=enregistre").Want(t, http.StatusOK).Body
		inPage(t, page, "Vos réglages sont enregistrés.")
		if !regexp.MustCompile(`name="mode_reponse" value="aucun"\s*checked`).MatchString(page) {
			t.Error("the saved mode is not checked")
		}
		// Her replies no longer mailed, a new one still shows in the centre.
		if _, err := store.Reply(ctx, sp, th, participation.Author{ID: karim.ID, Name: karim.Name, Since: karim.CreatedAt},
			"", "Je peux en parler au conseil de quartier."); err != nil {
			t.Fatal(err)
		}
		inPage(t, her.Get(participationweb.NotificationsPath).Body, "Vous avez 1 notification non lue.")
	})
}

// TestDemoResidentHasNotifications: the demo resident's centre holds her
// neighbours' replies, some read, and the mention of her name; her
// settings are the demo's.
func TestDemoResidentHasNotifications(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		her := e.Browser(e.Town).SignInDemo(t, demo.Resident)
		page := her.Get(participationweb.NotificationsPath).Want(t, http.StatusOK).Body
		inPage(t, page, "Vide-grenier des Tilleuls le 14 juin : qui tient un stand ?", "Mention de votre nom", "De Sophie Marchand",
			"Quartier des Tilleuls")
		if unread, read := strings.Count(page, "participation-unread"), strings.Count(page, `class="card"`); unread < 4 || read < 3 {
			t.Errorf("%d unread and %d read notifications", unread, read)
		}
		page = her.Get(participationweb.NotifySettingsPath).Want(t, http.StatusOK).Body
		for _, want := range []string{`name="mode_reponse" value="quotidien"`, `name="mode_mention" value="immediat"`} {
			if !regexp.MustCompile(regexp.QuoteMeta(want) + `\s*checked`).MatchString(page) {
				t.Errorf("%s is not checked", want)
			}
		}
	}, apptest.WithDemoData())
}
