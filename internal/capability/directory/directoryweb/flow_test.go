package directoryweb_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/directory/directoryweb"
	"guichet/internal/identity/account"
)

// proposalID finds the first proposal linked from the moderation queue.
func proposalID(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`href="/gestion/annuaire/moderation/([0-9a-f-]{36})"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no proposal in the queue")
	}
	return m[1]
}

func TestAManagerProposesAndStaffApproveOrRejectWithAReasonTheManagerReads(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		c := directoryweb.Of(e.App.Kernel)
		entry, err := c.Store.BySlug(ctx, e.Town.ID, directoryweb.DemoManaged)
		if err != nil {
			t.Fatal(err)
		}
		form := "/compte/annuaire/" + entry.ID

		// The president sees her entry, the demo's refusal with its reason and the proposal waiting.
		president := e.Browser(e.Town).SignInDemo(t, directoryweb.DemoManager)
		president.Get("/compte/annuaire").Want(t, 200).WantBody(t, "Amicale des Tilleuls", html.EscapeString(directoryweb.DemoRejection),
			"Refusée", "En attente de validation", `href="`+form+`"`)
		president.Get(form).Want(t, 200).WantBody(t, html.EscapeString("attend déjà d'être validée"), "Jul-Aug off")

		// Hours that do not read are refused on their field, and nothing typed is lost.
		bad := url.Values{"summary": {"Nouveau résumé"}, "opening_hours": {"Lu-Ve 9h-12h"}, "wheelchair": {"yes"},
			"phone": {"05 49 00 33 81"}, "email": {"amicale.tilleuls@courriel.localhost"}}
		res := president.Post(form, bad).Want(t, 422)
		res.WantBody(t, `id="champ-opening_hours-error"`, "Horaires", ">Lu-Ve 9h-12h</textarea>", "Nouveau résumé")

		// A good proposal waits; the entry does not change yet.
		good := url.Values{"summary": {"Comité de quartier des Tilleuls : fêtes, vide-grenier et entraide."},
			"opening_hours": {"We 18:00-20:00; Sa 10:00-12:00"}, "wheelchair": {"yes"}, "phone": {"05 49 00 33 99"},
			"email": {"amicale.tilleuls@courriel.localhost"}, "address": {entry.Address}, "postcode": {entry.Postcode},
			"city": {entry.City}, "description": {entry.Description}, "accessibility": {entry.Accessibility}}
		president.Post(form, good).WantRedirect(t, "/compte/annuaire?envoye=1")
		e.Browser(e.Town).Get("/annuaire/"+directoryweb.DemoManaged).Want(t, 200).WantBody(t, "05 49 00 33 81")

		// Her menu links to her entry and her organisation; another
		// resident's does not, and cannot reach the entry's form.
		mine := `<a href="/compte/annuaire">Mes fiches de l&#39;annuaire</a>`
		network := `<a href="/compte/reseau">Mon organisation dans le réseau</a>`
		president.Get("/").Want(t, 200).WantBody(t, mine, network)
		resident := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		if body := resident.Get("/").Want(t, 200).WantBody(t, "/deconnexion").Body; strings.Contains(body, mine) ||
			strings.Contains(body, network) {
			t.Error("a resident who manages nothing is offered the managers' pages")
		}
		resident.Get(form).Want(t, 404)
		// A staff member of another service cannot reach the moderation.
		e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost").Get(directoryweb.ModerationPath).Want(t, 403)

		// The vie-locale agent reads the change, field by field, and approves it.
		agent := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		queue := agent.Get(directoryweb.ModerationPath).Want(t, 200).Body
		id := proposalID(t, queue)
		agent.Get(directoryweb.ModerationPath+"/"+id).Want(t, 200).WantBody(t, "05 49 00 33 81", "05 49 00 33 99", "Valider et mettre en ligne")
		agent.Post(directoryweb.ModerationPath+"/"+id+"/valider", nil).WantRedirect(t, directoryweb.ModerationPath)
		e.Browser(e.Town).Get("/annuaire/"+directoryweb.DemoManaged).Want(t, 200).WantBody(t, "05 49 00 33 99", "fêtes, vide-grenier et entraide")
		// Approved once: a second approval is a conflict, nothing changes.
		agent.Post(directoryweb.ModerationPath+"/"+id+"/valider", nil).Want(t, 409)

		// A second proposal is rejected: a reason is required, and the president reads it.
		good.Set("phone", "06 11 22 33 44")
		president.Post(form, good).WantRedirect(t, "/compte/annuaire?envoye=1")
		id = proposalID(t, agent.Get(directoryweb.ModerationPath).Body)
		agent.Post(directoryweb.ModerationPath+"/"+id+"/refuser", url.Values{"reason": {"  "}}).Want(t, 422).
			WantBody(t, "Indiquez la raison du refus")
		reason := "Un numéro de portable personnel ne convient pas à une fiche publique."
		agent.Post(directoryweb.ModerationPath+"/"+id+"/refuser", url.Values{"reason": {reason}}).WantRedirect(t, directoryweb.ModerationPath)
		president.Get("/compte/annuaire").Want(t, 200).WantBody(t, reason)
		e.Browser(e.Town).Get("/annuaire/"+directoryweb.DemoManaged).Want(t, 200).WantBody(t, "05 49 00 33 99")

		// The queue now holds nothing of hers; the decisions are listed with the reason.
		agent.Get(directoryweb.ModerationPath).Want(t, 200).WantBody(t, html.EscapeString("Aucune proposition n'attend."), reason)
	}, apptest.WithDemoData())
}

func TestStaffCreatePublishManageAndDeleteAnEntry(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Get(directoryweb.AdminPath).Want(t, 200).WantBody(t, "Boulangerie Martin", "1 modification à valider")
		form := url.Values{"name": {"Fromagerie des Halles"}, "category": {"commerce"}, "kind": {"commerce"},
			"organisation": {"1"}, "address": {"3 place du Marché"}, "postcode": {"86990"}, "city": {"Montclair-sur-Vienne"},
			"lat": {"46.4191"}, "lon": {"0,5993"}, "opening_hours": {"Tu-Sa 08:00-12:30; Dimanche matin"},
			"phone": {"05 49 00 11 22"}, "wheelchair": {"limited"}, "siret": {"12345678901234"}}
		res := admin.Post(directoryweb.AdminPath+"/nouvelle", form).Want(t, 422)
		res.WantBody(t, `id="champ-opening_hours-error"`, `id="champ-siret-error"`, `value="Fromagerie des Halles"`, "Dimanche matin")
		form.Set("opening_hours", "Tu-Sa 08:00-12:30; Su 09:00-12:00")
		form.Del("siret")
		res = admin.Post(directoryweb.AdminPath+"/nouvelle", form)
		res.WantRedirect(t, directoryweb.AdminPath+"/")
		id := strings.TrimPrefix(strings.Split(res.Location, "?")[0], directoryweb.AdminPath+"/")

		// Not published yet: not found by the public; published, found and on the map.
		anon := e.Browser(e.Town)
		anon.Get("/annuaire/fromagerie-des-halles").Want(t, 404)
		admin.Post(directoryweb.AdminPath+"/"+id+"/publication", url.Values{"published": {"1"}}).WantRedirect(t, directoryweb.AdminPath+"/"+id)
		anon.Get("/annuaire/fromagerie-des-halles").Want(t, 200).WantBody(t, "Fromagerie des Halles", "Partiel")
		anon.Get("/annuaire?q=fromagerie").Want(t, 200).WantBody(t, `aria-label="1. Fromagerie des Halles (Commerces et entreprises)"`)
		// The site search finds it too.
		anon.Get("/recherche?q=fromagerie").Want(t, 200).WantBody(t, "/annuaire/fromagerie-des-halles")
		// The kernel's seam gives it to the other capabilities.
		got, err := e.App.Kernel.DirectoryEntry(context.Background(), e.Town.ID, id)
		if err != nil || got.Name != "Fromagerie des Halles" || got.Path != "/annuaire/fromagerie-des-halles" || got.Lon != 0.5993 {
			t.Errorf("the seam gives %+v, %v", got, err)
		}

		// Its management goes only to a verified account of the town.
		mgr := directoryweb.AdminPath + "/" + id + "/gestionnaires"
		admin.Post(mgr, url.Values{"manager_email": {"mairie@sauvigny.localhost"}}).Want(t, 422).WantBody(t, "Aucun compte vérifié")
		admin.Post(mgr, url.Values{"manager_email": {"Habitant@Courriel.localhost"}}).WantRedirect(t, directoryweb.AdminPath+"/"+id)
		admin.Post(mgr, url.Values{"manager_email": {"habitant@courriel.localhost"}}).Want(t, 422).WantBody(t, "gère déjà")
		admin.Get(directoryweb.AdminPath+"/"+id).Want(t, 200).WantBody(t, "habitant@courriel.localhost")
		resident := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		resident.Get("/compte/annuaire").Want(t, 200).WantBody(t, "Fromagerie des Halles")
		ids, err := e.App.Kernel.ManagedEntries(context.Background(), e.Town.ID, accountID(t, e, "habitant@courriel.localhost"))
		if err != nil || len(ids) != 1 || ids[0] != id {
			t.Errorf("managed entries: %v, %v", ids, err)
		}

		// Deleted, it is gone with its manager.
		admin.Post(directoryweb.AdminPath+"/"+id+"/supprimer", nil).WantRedirect(t, directoryweb.AdminPath+"?supprime=1")
		anon.Get("/annuaire/fromagerie-des-halles").Want(t, 404)
		resident.Get("/compte/annuaire").Want(t, 200).WantBody(t, "Vous ne gérez aucune fiche")
	}, apptest.WithDemoData())
}

func accountID(t *testing.T, e *apptest.Env, email string) string {
	t.Helper()
	u, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestTheManagersDataIsExportedAndErased: the president's export names
// her entry and her proposals; erasing her account leaves the entry and
// removes her management and proposals.
func TestTheManagersDataIsExportedAndErased(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		c := directoryweb.Of(e.App.Kernel)
		u, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, directoryweb.DemoManager)
		if err != nil {
			t.Fatal(err)
		}
		president := e.Browser(e.Town).SignInDemo(t, directoryweb.DemoManager)
		export := president.Get("/compte/donnees").Want(t, 200).Body
		for _, want := range []string{"Amicale des Tilleuls", "rejected", "pending", "06 12 34 56 78"} {
			if !strings.Contains(export, want) {
				t.Errorf("the export lacks %q", want)
			}
		}
		if err := c.Store.Erase(ctx, account.Person{TenantID: e.Town.ID, UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
		if list, _ := c.Store.ManagedBy(ctx, e.Town.ID, u.ID); len(list) != 0 {
			t.Errorf("she still manages %d entries", len(list))
		}
		if list, _ := c.Store.ProposalsBy(ctx, e.Town.ID, u.ID); len(list) != 0 {
			t.Errorf("%d proposals of hers remain", len(list))
		}
		if _, err := c.Store.PublicEntry(ctx, e.Town.ID, directoryweb.DemoManaged); err != nil {
			t.Errorf("the entry went with her: %v", err)
		}
	}, apptest.WithDemoData())
}
