package networkweb_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/apptest"
	"guichet/internal/capability/network"
	"guichet/internal/capability/network/networkweb"
	"guichet/internal/kernel"
)

const engagement = "vie-locale@montclair.localhost"

// entryID finds a town organisation of the demo by slug.
func entryID(t *testing.T, e *apptest.Env, slug string) string {
	t.Helper()
	orgs, err := e.App.Kernel.DirectoryEntries(context.Background(), e.Town.ID, kernel.DirectoryQuery{Organisations: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Slug == slug {
			return o.ID
		}
	}
	t.Fatalf("no organisation %s in the town's directory", slug)
	return ""
}

// section returns the part of body from the heading holding title to the
// next heading of the same level.
func section(body, title string) string {
	i := strings.Index(body, title)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest[len(title):], "<h2"); j >= 0 {
		return rest[:len(title)+j]
	}
	return rest
}

// TestEngagementStaffMeasureConfirmAndWrite walks the engagement staff's
// pages on the demo: the network drawn and said in words, a proposal
// confirmed that ties the isolated pair to the rest, a contact entered
// with consent then withdrawn, and a campaign previewed and mailed to a
// cluster.
func TestEngagementStaffMeasureConfirmAndWrite(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		staff := e.Browser(e.Town).SignInDemo(t, engagement)
		body := staff.Get(networkweb.AdminPath).Want(t, http.StatusOK).WantBody(t, "<h1>Réseau des organisations</h1>",
			`<svg viewBox="0 0 960 640" role="group"`, `aria-label="Amicale des Tilleuls, comité de quartier, groupe`, "Tableau du réseau",
			"1 lien proposé par une organisation attend votre confirmation.").Body
		brokers := section(body, "Les organisations qui font le lien")
		if a, m := strings.Index(brokers, "Amicale des Tilleuls"), strings.Index(brokers, "Médiathèque Louise-Michel"); a < 0 || m < 0 || a > m {
			t.Errorf("the brokers are not the Amicale then the médiathèque:\n%s", brokers)
		}
		if !strings.Contains(brokers, "fait le lien entre les groupes") {
			t.Errorf("the brokers do not say which groups they tie:\n%s", brokers)
		}
		isolated := section(body, "Les groupes isolés")
		if !strings.Contains(isolated, "Jardins partagés de la Gare") || !strings.Contains(isolated, "Temple protestant") {
			t.Errorf("the isolated pair is not named:\n%s", isolated)
		}
		// Every drawn organisation is a link with a name, and the drawing
		// is the same on the next visit.
		nodes := regexp.MustCompile(`<a href="/gestion/reseau/organisations/[^"]+" aria-label="[^"]+">`).FindAllString(body, -1)
		if len(nodes) < 25 {
			t.Errorf("%d organisations drawn as links, want the demo's thirty or so", len(nodes))
		}
		drawing := regexp.MustCompile(`(?s)<svg viewBox="0 0 960 640".*?</svg>`)
		if again := staff.Get(networkweb.AdminPath).Body; drawing.FindString(again) != drawing.FindString(body) {
			t.Error("the drawing changed between two visits")
		}

		// The Amicale's proposal ties the isolated pair to the network.
		ties := staff.Get(networkweb.TiesPath).Want(t, http.StatusOK).WantBody(t, "Propositions à confirmer",
			"proposé par Amicale des Tilleuls, comité de quartier").Body
		m := regexp.MustCompile(`action="/gestion/reseau/liens/([^/]+)/confirmer"`).FindStringSubmatch(ties)
		if m == nil {
			t.Fatalf("no proposal to confirm:\n%s", ties)
		}
		staff.Post(networkweb.TiesPath+"/"+m[1]+"/confirmer", nil).WantRedirect(t, networkweb.TiesPath+"?fait=confirme")
		body = staff.Get(networkweb.AdminPath).Want(t, http.StatusOK).Body
		if !strings.Contains(section(body, "Les groupes isolés"), "Aucun groupe n&#39;est isolé") {
			t.Errorf("the confirmed tie did not join the pair to the network:\n%s", section(body, "Les groupes isolés"))
		}

		// A contact, entered with consent, then withdrawn.
		amicale := entryID(t, e, "amicale-des-tilleuls")
		sheet := networkweb.OrgPath + amicale
		agreed := e.App.Now().In(e.Town.Location()).AddDate(0, -1, 0)
		staff.Post(sheet+"/contacts", url.Values{"name": {"Lucie Bernard"}, "email": {"pas-une-adresse"},
			"consent_date": {agreed.Format(time.DateOnly)}, "consent_source": {network.ConsentForm}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-email"`)
		staff.Post(sheet+"/contacts", url.Values{"name": {"Lucie Bernard"}, "role": {"secrétaire"}, "email": {"lucie.bernard@courriel.localhost"},
			"consent_date": {agreed.Format(time.DateOnly)}, "consent_source": {network.ConsentForm}}).WantRedirect(t, sheet+"?fait=contact")
		page := staff.Get(sheet).Want(t, http.StatusOK).WantBody(t, "Lucie Bernard", "secrétaire",
			"Formulaire signé, le "+guichet.Date(agreed, "fr"), "Ces coordonnées servent seulement à préparer le travail").Body
		w := regexp.MustCompile(`action="/gestion/reseau/contacts/([^/]+)/retirer" class="inline-form"><button[^>]*>[^<]*<span class="visually-hidden"> Lucie Bernard`).
			FindStringSubmatch(page)
		if w == nil {
			t.Fatalf("no withdrawal of the new contact:\n%s", page)
		}
		staff.Post("/gestion/reseau/contacts/"+w[1]+"/retirer", nil).WantRedirect(t, sheet+"?fait=retire")
		if strings.Contains(staff.Get(sheet).Body, "Lucie Bernard") {
			t.Error("the withdrawn contact is still shown")
		}

		// A campaign to the épicerie's cluster: previewed, then sent to its
		// contacts and public addresses.
		epicerie := staff.Get(networkweb.OrgPath+entryID(t, e, "epicerie-solidaire")).Want(t, http.StatusOK).Body
		cluster := regexp.MustCompile(`<dt>Groupe</dt><dd>.*?Groupe ([A-Z]+), autour`).FindStringSubmatch(epicerie)
		if cluster == nil {
			t.Fatalf("the épicerie's sheet names no cluster:\n%s", epicerie)
		}
		form := url.Values{"target": {network.TargetCluster}, "cluster": {cluster[1]}, "kind": {network.Message},
			"subject": {"Fête des voisins"}, "body": {"Nous préparons la fête des voisins du 28 mai."}}
		preview := staff.Post(networkweb.CampaignsPath+"/apercu", form).Want(t, http.StatusOK).WantBody(t, "Aperçu de la campagne",
			"nadia.benali@courriel.localhost", "sophie.garnier@departement.localhost", "Fête des voisins").Body
		hidden := url.Values{}
		for _, h := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(preview, -1) {
			hidden.Add(h[1], html.UnescapeString(h[2]))
		}
		res := staff.Post(networkweb.CampaignsPath, hidden)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, networkweb.CampaignsPath+"/") {
			t.Fatalf("sending: %d %s\n%s", res.Status, res.Location, res.Body)
		}
		staff.Get(res.Location).Want(t, http.StatusOK).WantBody(t, "La campagne est partie vers", "Fête des voisins",
			"nadia.benali@courriel.localhost")
		got := e.Mail.WaitFor(t, "nadia.benali@courriel.localhost", 10*time.Second)
		// The demo's other mails to her (the participation's notifications) may come first.
		for i := 0; got.Subject != "Fête des voisins" && i < 20; i++ {
			got = e.Mail.WaitFor(t, "nadia.benali@courriel.localhost", 10*time.Second)
		}
		if got.Subject != "Fête des voisins" || !strings.Contains(got.Text, "Bonjour Nadia Benali") ||
			!strings.Contains(got.Text, "Nous préparons la fête des voisins") || !strings.Contains(got.Text, "Épicerie solidaire La Courte Échelle") {
			t.Errorf("the campaign's email:\n%s\n%s", got.Subject, got.Text)
		}
		staff.Get(networkweb.CampaignsPath).Want(t, http.StatusOK).WantBody(t, "Plan grand froid", "Fête des voisins")
	}, apptest.WithDemoData(), apptest.WithMail())
}

// TestAManagerProposesATieAndEntersAContact: the Amicale's president
// reaches her organisation from her space, proposes a tie that waits for
// the engagement staff, and enters a contact only with the person's
// consent; a resident who manages nothing reaches nothing, nor does an
// agent of another service reach the staff's pages.
func TestAManagerProposesATieAndEntersAContact(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		amicale, cinema := entryID(t, e, "amicale-des-tilleuls"), entryID(t, e, "cinema-le-rex")
		mine := networkweb.MinePath + "/" + amicale
		manager := e.Browser(e.Town).SignInDemo(t, networkweb.DemoManager)
		manager.Get(networkweb.MinePath).Want(t, http.StatusOK).WantBody(t, "Amicale des Tilleuls, comité de quartier", mine)
		manager.Get(mine).Want(t, http.StatusOK).WantBody(t, "En attente de confirmation", "Jardins partagés de la Gare",
			"Proposer un lien", "Épicerie solidaire La Courte Échelle")
		manager.Post(mine+"/liens", url.Values{"to": {cinema}, "kind": {network.KindPartnership}, "since": {"2026"},
			"note": {"Séance de plein air dans le quartier."}}).WantRedirect(t, mine+"?fait=propose")
		manager.Post(mine+"/liens", url.Values{"to": {cinema}, "kind": {network.KindPartnership}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Ces deux organisations ont déjà un lien de cette nature.")
		contact := url.Values{"name": {"Yves Caron"}, "role": {"vice-président"}, "phone": {"06 20 30 40 50"},
			"consent_date": {e.App.Now().In(e.Town.Location()).Format(time.DateOnly)}, "consent_source": {network.ConsentDeclaration}}
		manager.Post(mine+"/contacts", contact).Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-consent"`)
		contact.Set("consent", "1")
		manager.Post(mine+"/contacts", contact).WantRedirect(t, mine+"?fait=contact")
		manager.Get(mine).WantBody(t, "Yves Caron", "Saisi par l&#39;organisation")

		staff := e.Browser(e.Town).SignInDemo(t, engagement)
		staff.Get(networkweb.TiesPath).WantBody(t, "Séance de plein air dans le quartier.")
		staff.Get(networkweb.OrgPath+amicale).WantBody(t, "Yves Caron", "Saisi par l&#39;organisation")

		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		resident.Get(networkweb.MinePath).Want(t, http.StatusOK).WantBody(t, "Vous ne gérez aucune organisation")
		resident.Get(mine).Want(t, http.StatusNotFound)
		resident.Post(mine+"/contacts", contact).Want(t, http.StatusNotFound)
		resident.Get(networkweb.AdminPath).Want(t, http.StatusForbidden)
		e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost").Get(networkweb.AdminPath).Want(t, http.StatusForbidden)
		e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost").Get(networkweb.AdminPath).Want(t, http.StatusOK)
	}, apptest.WithDemoData())
}
