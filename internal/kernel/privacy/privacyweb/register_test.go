package privacyweb_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel/privacy"
)

// TestRegisterOfProcessingActivities: the personal-data page shows the
// collectivité's register as a table with a caption and headers, lists
// only the capabilities it uses, in French or English, and the same
// register downloads as CSV and JSON; the operator's site lists its own.
func TestRegisterOfProcessingActivities(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		town := e.Browser(e.Town)
		page := town.Get("/donnees-personnelles").Want(t, http.StatusOK)
		for _, want := range []string{`<caption id="registre-caption">`, `<th scope="col">Base légale</th>`,
			`<th scope="row">Prise de rendez-vous en mairie</th>`, "Démarches en ligne", "Inscriptions aux événements",
			"Alertes par courriel", "Questions des habitants", "Comptes des usagers", "Envoi des courriels",
			"Journal des actions des agents", "RGPD art. 6-1-e : mission d&#39;intérêt public.", "RGPD art. 6-1-a : consentement",
			"Coordonnées effacées 90 jours après la date du rendez-vous"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the register lacks %q", want)
			}
		}
		town.SetCookie("lang", "en")
		if en := town.Get("/donnees-personnelles").Want(t, http.StatusOK); !strings.Contains(en.Body, "Town hall appointments") ||
			!strings.Contains(en.Body, "task carried out in the public interest") {
			t.Error("the English register is not in English")
		}
		town.SetCookie("lang", "fr")

		res := town.Get("/donnees-personnelles/registre.csv").Want(t, http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 9 || rows[0][0] != "Traitement" || len(rows[0]) != 7 ||
			!slices.ContainsFunc(rows, func(r []string) bool { return r[0] == "Démarches en ligne" && strings.Contains(r[2], "6-1-c") }) {
			t.Errorf("CSV register: %q", rows)
		}
		res = town.Get("/donnees-personnelles/registre.json").Want(t, http.StatusOK)
		var doc struct {
			Controller struct{ Name string }
			Activities []struct {
				Key       string
				Bases     []struct{ Article string } `json:"legal_bases"`
				Retention string
			}
		}
		if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Controller.Name != e.Town.Name || len(doc.Activities) != len(rows)-1 || len(doc.Activities[0].Bases) == 0 {
			t.Errorf("JSON register: %s", res.Body)
		}

		platform := e.Browser(e.Platform).Get("/donnees-personnelles").Want(t, http.StatusOK)
		if !strings.Contains(platform.Body, "Comptes des usagers") || strings.Contains(platform.Body, "Prise de rendez-vous") {
			t.Error("the operator's register lists the collectivités' capabilities")
		}
	}, apptest.WithDemoData())
}

// TestRegisterFollowsTheCapabilitiesInUse: a collectivité without agendas
// or procedures has no such lines in its register.
func TestRegisterFollowsTheCapabilitiesInUse(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		page := e.Browser(e.Village).Get("/donnees-personnelles").Want(t, http.StatusOK)
		if strings.Contains(page.Body, "Prise de rendez-vous") || strings.Contains(page.Body, "Démarches en ligne") {
			t.Error("the register lists capabilities the village does not use")
		}
		if !strings.Contains(page.Body, "Alertes par courriel") {
			t.Error("the register lacks the alerts every site offers")
		}
	})
}

// TestEveryActivityAndErasureIsWorded: every text of the register and
// every eraser's effect exists in French and in English, and every
// retention rule the register states runs in the periodic job.
func TestEveryActivityAndErasureIsWorded(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, "sqlite:"+t.TempDir()+"/register.db")
	cat := e.App.Web.Render.Cat
	check := func(where, key string) {
		for _, lang := range []string{"fr", "en"} {
			if key != "" && !cat.Has(lang, key) {
				t.Errorf("%s: no %s text for %q", where, lang, key)
			}
		}
	}
	for _, a := range e.App.Privacy.All() {
		for _, x := range []privacy.Text{a.Name, a.Purpose, a.People, a.Data, a.Retention, a.Recipients, a.Law} {
			check(a.Key, x.Key)
		}
		if len(a.Bases) == 0 || a.Name.Key == "" || a.Retention.Key == "" {
			t.Errorf("%s lacks a basis, a name or a retention", a.Key)
		}
		for _, b := range a.Bases {
			check(a.Key, "privacy.basis."+string(b))
		}
	}
	for _, er := range e.App.Accounts.Erasers() {
		if er.Effect == "" {
			t.Errorf("eraser %s says nothing of what it does", er.Name)
		}
		check(er.Name, er.Effect)
	}
	var rules []string
	for _, r := range e.App.Privacy.Rules() {
		rules = append(rules, r.Key)
	}
	for _, want := range []string{"account.unverified", "account.inactive", "staff.invitations", "mail.outbox", "appointment.bookings",
		"appointment.waitlist", "events.registrations", "alerts.subscribers", "content.questions", "procedure.drafts",
		"privacy.requests"} {
		if !slices.Contains(rules, want) {
			t.Errorf("no retention rule %s among %v", want, rules)
		}
	}
}
