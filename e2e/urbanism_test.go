package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/mailtest"
)

// TestUrbanismApplicationInBrowser: a resident finds their parcel by its
// address, opens its sheet, starts a déclaration préalable from it
// without an account, uploads DP1 and DP2 and files it; the electronic
// acknowledgement and the acknowledgement of receipt arrive by email;
// the instructor asks for a missing piece, and both sides read the dates
// the law now gives.
func TestUrbanismApplicationInBrowser(t *testing.T) {
	needBrowser(t)
	srv := startMailServer(t)
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan-de-situation.pdf")
	os.WriteFile(plan, []byte("%PDF-1.4\n% plan de situation\n"), 0o600)
	mass := filepath.Join(dir, "plan-de-masse.pdf")
	os.WriteFile(mass, []byte("%PDF-1.4\n% plan de masse\n"), 0o600)
	const email = "paul.girard@exemple.fr"
	// subject finds a message by its subject's start, in whichever order
	// the jobs delivered them.
	subject := func(prefix string) *mailtest.Message {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			for _, m := range srv.mail.Messages() {
				if m.IsTo(email) && strings.HasPrefix(m.Subject, prefix) {
					return m
				}
			}
		}
		t.Fatalf("no message %q", prefix)
		return nil
	}

	res := newTab(t, true)
	if _, err := res.open(srv.url("/urbanisme")); err != nil {
		t.Fatal(err)
	}
	fill(t, res, map[string]string{"adresse": "1 grande rue"}, `form:has(input[name=adresse]) button[type=submit]`)
	wantText(t, res, "1 adresse trouvée", "1 Grande Rue")
	click(t, res, `a[href^="/urbanisme/adresses/"]`)
	wantText(t, res, "Parcelle AK 170", "Zone UB", "Déposer une demande pour cette parcelle")
	parcel := res.location()[strings.LastIndex(res.location(), "/")+1:]
	click(t, res, `a[href^="/demarches/declaration-prealable?parcelle="]`)
	wantText(t, res, "cerfa n° 13703", "Demande pour la parcelle "+parcel)
	fill(t, res, map[string]string{"name": "Paul Girard", "email": email}, `main form button[type=submit]`)
	if _, err := res.open(subject("Votre démarche").Link("/acces/")); err != nil {
		t.Fatal(err)
	}
	fill(t, res, nil, `form[action*="/acces/"] button`)
	if v, err := eval[string](res, `document.querySelector('input[name="c.parcelle"]').value`); err != nil || v != parcel {
		t.Fatalf("the parcel is not filled in: %q %v", v, err)
	}
	fill(t, res, map[string]string{"c.adresse_terrain": "1 Grande Rue, 69790 Saint-Igny-de-Vers"}, `button[value=suivant]`)
	fill(t, res, map[string]string{"c.prenom": "Paul", "c.nom": "Girard"}, `button[value=suivant]`)
	fill(t, res, map[string]string{"c.nature": "Pose d'une clôture en bois de 1,50 m le long de la voie."}, `button[value=suivant]`)
	upload(t, res, "c.dp1", plan)
	upload(t, res, "c.dp2", mass)
	fill(t, res, nil, `button[value=suivant]`)
	wantText(t, res, "plan-de-situation.pdf", "plan-de-masse.pdf")
	fill(t, res, nil, `form[action$="/deposer"] button`)
	wantText(t, res, "Récépissé")
	caseURL := strings.TrimSuffix(res.location(), "/recepisse")

	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	y, mo, d := srv.app.Now().In(loc).Date()
	filed := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	want, err := urbanism.Instruction{Cerfa: urbanism.CerfaDPMI, Commune: "69114", Filed: filed}.Schedule(filed)
	if err != nil {
		t.Fatal(err)
	}
	if m := subject("Récépissé"); !strings.Contains(m.Text, "Numéro d'enregistrement : DP 69114") {
		t.Fatalf("electronic acknowledgement: %s", m.Text)
	}
	if m := subject("Accusé de réception"); !strings.Contains(m.Text, "non-opposition tacite le "+guichet.LongDate(want.Decision, "fr")) {
		t.Fatalf("acknowledgement of receipt: %s", m.Text)
	}
	if _, err := res.open(caseURL); err != nil {
		t.Fatal(err)
	}
	wantText(t, res, "Dates de l'instruction", guichet.LongDate(want.CompletenessBy, "fr"))

	// The instructor asks for a missing piece: the applicant's three
	// months run, and the page says until when.
	agent := newTab(t, true)
	signInOn(t, agent, srv, "urbanisme@montclair.localhost", true)
	if _, err := agent.open(srv.url("/gestion/dossiers/" + caseURL[strings.LastIndex(caseURL, "/")+1:])); err != nil {
		t.Fatal(err)
	}
	fill(t, agent, map[string]string{"state": "complements", "reason": "Joignez une photographie de la voie (DP7)."},
		`form[action$="/etat"] button`)
	asked, err := urbanism.Instruction{Cerfa: urbanism.CerfaDPMI, Commune: "69114", Filed: filed, PiecesAsked: filed}.Schedule(filed)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, agent, "Pièces à fournir au plus tard le", guichet.LongDate(asked.PiecesDue, "fr"))
	if _, err := res.open(caseURL); err != nil {
		t.Fatal(err)
	}
	wantText(t, res, "Joignez une photographie de la voie", guichet.LongDate(asked.PiecesDue, "fr"))
}
