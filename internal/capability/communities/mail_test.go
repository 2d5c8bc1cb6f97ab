package communities_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/communities"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

// TestDigestInTheResidentsLanguage: a resident who reads the site in
// English gets the digest in English, its dates too; both languages'
// templates render the data as the outbox stores it (JSON), with the
// one-click unsubscription.
func TestDigestInTheResidentsLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.community("Quartier des Tilleuls", communities.Neighbourhood, "Les Tilleuls")
		u := e.resident("resident@courriel.localhost")
		if err := e.users.UpdateProfile(e.ctx, e.town.ID, u.ID, u.Name, "en", u.Prefs); err != nil {
			t.Fatal(err)
		}
		e.join(c, u)
		e.advance(time.Minute)
		e.post(c, "Réunion du comité de quartier")
		e.attach(c, "event", "fete", "Fête de l'été")
		e.advance(7 * 24 * time.Hour)
		got := e.digests()
		if len(got) != 1 || got[0].Lang != "en" {
			t.Fatalf("digests: %+v", got)
		}
		tpl := mail.NewTemplates()
		if err := tpl.Add("communities", communities.MailFiles()); err != nil {
			t.Fatal(err)
		}
		for lang, want := range map[string][]string{
			"en": {"Your weekly digest: 2 new items in your communities", "Announcement of", "Stop receiving digests:"},
			"fr": {"Votre résumé de la semaine", "2 nouveautés dans vos communautés", "Annonce du", "Ne plus recevoir de résumé\u202f:"},
		} {
			raw, err := json.Marshal(got[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			var view map[string]any
			if err := json.Unmarshal(raw, &view); err != nil {
				t.Fatal(err)
			}
			view["TenantName"] = e.town.Name
			r, err := tpl.Render("communities/digest", lang, view)
			if err != nil {
				t.Fatal(err)
			}
			text := r.Subject + "\n" + r.Text
			for _, w := range append(want, "Réunion du comité de quartier", "Fête de l'été", "Quartier des Tilleuls",
				"https://montclair.example/communautes/quartier-des-tilleuls#annonce-") {
				if !strings.Contains(text, w) {
					t.Errorf("%s digest lacks %q:\n%s", lang, w, text)
				}
			}
			if !strings.HasPrefix(r.Unsubscribe, "https://montclair.example"+communities.UnsubscribePrefix) {
				t.Errorf("%s unsubscribe %q", lang, r.Unsubscribe)
			}
		}
	})
}
