package urbanismweb_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel/mailtest"
)

var caseID = regexp.MustCompile(`/dossiers/([0-9a-f-]{36})`)

// waitSubject returns a message to "to" whose subject starts with
// prefix, whatever else the demo sent and in whichever order the jobs
// delivered them; it takes none away from WaitFor.
func waitSubject(t *testing.T, e *apptest.Env, to, prefix string) *mailtest.Message {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, m := range e.Mail.Messages() {
			if m.IsTo(to) && strings.HasPrefix(m.Subject, prefix) {
				return m
			}
		}
	}
	t.Fatalf("no message %q to %s within 30s", prefix, to)
	return nil
}

var minimalPDF = []byte("%PDF-1.4\n% plan\n")

// TestResidentFilesADeclarationFromAParcel: from a parcel's sheet, a
// resident starts a déclaration préalable with the parcel filled in,
// uploads DP1 and DP2 and files it; the acknowledgements arrive by email
// with the registration number and the day of the tacit decision; the
// instructor asks for a missing piece once, the dates move as the law
// says, and a second request is refused.
func TestResidentFilesADeclarationFromAParcel(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const parcel = "69114000AA0030"
		loc := e.Town.Location()
		today := func() time.Time {
			y, m, d := e.App.Now().In(loc).Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		resident := e.Browser(e.Town)
		resident.SignIn(t, "habitant@courriel.localhost", app.DemoPassword)
		resident.Get("/urbanisme/parcelles/"+parcel).Want(t, http.StatusOK).
			WantBody(t, `href="/demarches/declaration-prealable?parcelle=`+parcel+`"`)
		resident.Get("/demarches/declaration-prealable?parcelle="+parcel).Want(t, http.StatusOK).
			WantBody(t, "cerfa n° 13703", "Demande pour la parcelle "+parcel, "DP1 – Plan de situation du terrain",
				`<input type="hidden" name="parcelle" value="`+parcel+`">`)
		start := resident.Post("/demarches/declaration-prealable/commencer", url.Values{"parcelle": {parcel}})
		m := caseID.FindStringSubmatch(start.Location)
		if m == nil {
			t.Fatalf("started at %q", start.Location)
		}
		id, step := m[1], "/dossiers/"+m[1]+"/etape/"
		resident.Get(step+"1").Want(t, http.StatusOK).WantBody(t, `value="`+parcel+`"`)
		resident.Post(step+"1", url.Values{"c.parcelle": {parcel}, "c.adresse_terrain": {"Le Bourg, 69790 Saint-Igny-de-Vers"}}).
			WantRedirect(t, step+"2")
		resident.Post(step+"2", url.Values{"c.prenom": {"Claire"}, "c.nom": {"Fabre"}}).WantRedirect(t, step+"3")
		resident.Post(step+"3", url.Values{"c.nature": {"Construction d'un abri de jardin en bois de 12 m²."}, "c.surface": {"0"}}).
			WantRedirect(t, step+"4")
		resident.PostFiles(step+"4", url.Values{"action": {"suivant"}}, apptest.File{Field: "c.dp1", Name: "DP1-situation.pdf", Body: minimalPDF}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "DP2 – Plan de masse")
		resident.PostFiles(step+"4", url.Values{"action": {"suivant"}}, apptest.File{Field: "c.dp1", Name: "DP1-situation.pdf", Body: minimalPDF},
			apptest.File{Field: "c.dp2", Name: "DP2-masse.pdf", Body: minimalPDF}).WantRedirect(t, "/dossiers/"+id+"/recapitulatif")
		resident.Post("/dossiers/"+id+"/deposer", nil).WantRedirect(t, "/dossiers/"+id+"/recepisse")

		filed := today()
		want, err := urbanism.Instruction{Cerfa: urbanism.CerfaDPMI, Commune: "69114", Filed: filed}.Schedule(filed)
		if err != nil {
			t.Fatal(err)
		}
		registration := "DP 69114 " + filed.Format("06") + " "
		receipt := waitSubject(t, e, "habitant@courriel.localhost", "Récépissé")
		ack := waitSubject(t, e, "habitant@courriel.localhost", "Accusé de réception")
		if !strings.Contains(receipt.Subject, "Récépissé") || !strings.Contains(receipt.Text, "Numéro d'enregistrement : "+registration) {
			t.Errorf("electronic acknowledgement: %s\n%s", receipt.Subject, receipt.Text)
		}
		for _, s := range []string{"Accusé de réception " + registration, "parcelle AA 30",
			"non-opposition tacite le " + guichet.LongDate(want.Decision, "fr")} {
			if !strings.Contains(ack.Subject+ack.Text, s) {
				t.Errorf("acknowledgement of receipt lacks %q:\n%s\n%s", s, ack.Subject, ack.Text)
			}
		}
		resident.Get("/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, "Dates de l&#39;instruction", registration,
			guichet.LongDate(want.CompletenessBy, "fr"), "non-opposition tacite")

		// The public register lists it at once, without the applicant's
		// name, and so does its feed; the village's register does not.
		register := resident.Get("/urbanisme/registre").Want(t, http.StatusOK)
		register.WantBody(t, registration, "Construction d&#39;un abri de jardin en bois de 12 m².", `href="/urbanisme/parcelles/`+parcel+`"`)
		if strings.Contains(register.Body, "Fabre") {
			t.Error("the register names the applicant")
		}
		e.Browser(e.Town).Get("/urbanisme/registre/flux.atom").Want(t, http.StatusOK).WantBody(t, "Demande "+registration)
		if body := e.Browser(e.Village).Get("/urbanisme/registre").Want(t, http.StatusOK).Body; strings.Contains(body, "DP 69114") {
			t.Error("the village's register shows the town's applications")
		}

		// The instructor asks for a missing piece, once.
		agent := e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost")
		agent.Get("/gestion/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, registration, "Claire Fabre")
		agent.Post("/gestion/dossiers/"+id+"/etat", url.Values{"state": {"complements"},
			"reason": {"Joignez le plan en coupe (DP3) : l'abri est adossé au mur de clôture."}}).WantRedirect(t, "/gestion/dossiers/"+id)
		asked, err := urbanism.Instruction{Cerfa: urbanism.CerfaDPMI, Commune: "69114", Filed: filed, PiecesAsked: today()}.Schedule(today())
		if err != nil {
			t.Fatal(err)
		}
		resident.Get("/dossiers/"+id).Want(t, http.StatusOK).
			WantBody(t, "Pièces à fournir au plus tard le", guichet.LongDate(asked.PiecesDue, "fr"))
		agent.Post("/gestion/dossiers/"+id+"/etat", url.Values{"state": {"instruction"}}).WantRedirect(t, "/gestion/dossiers/"+id)
		received, err := urbanism.Instruction{Cerfa: urbanism.CerfaDPMI, Commune: "69114", Filed: filed, PiecesAsked: today(),
			PiecesReceived: today()}.Schedule(today())
		if err != nil {
			t.Fatal(err)
		}
		agent.Get("/gestion/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, "Pièces reçues le",
			"Décision à notifier au plus tard le", guichet.LongDate(received.Ends, "fr"))
		agent.Post("/gestion/dossiers/"+id+"/etat", url.Values{"state": {"complements"}, "reason": {"Encore une pièce."}}).
			Want(t, http.StatusConflict).WantBody(t, "seconde demande")
	}, apptest.WithDemoData(), apptest.WithMail())
}
