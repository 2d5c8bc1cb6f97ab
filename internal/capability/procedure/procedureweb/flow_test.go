package procedureweb_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/mailtest"
)

const demoTOTP = "GUICHETDEMOSECRETTOTP234"

// upload is a file to send in a multipart form.
type upload struct {
	field, name string
	body        []byte
}

// postMultipart submits fields and files as a browser's multipart form.
func postMultipart(t *testing.T, b *apptest.Browser, path string, fields url.Values, files ...upload) *apptest.Response {
	t.Helper()
	var sent []apptest.File
	for _, f := range files {
		sent = append(sent, apptest.File{Field: f.field, Name: f.name, Body: f.body})
	}
	return b.PostFiles(path, fields, sent...)
}

var pdf = []byte("%PDF-1.4\n% test\n")

// staffSignIn passes the password and the demo TOTP code.
func staffSignIn(t *testing.T, b *apptest.Browser, email string) {
	t.Helper()
	b.SignIn(t, email, "Guichet-Demo-2026!")
	code, _ := totp.GenerateCode(demoTOTP, b.Env().App.Now())
	b.Post("/connexion/deuxieme-facteur", url.Values{"code": {code}}).WantRedirect(t, "/")
}

var caseURL = regexp.MustCompile(`/dossiers/([0-9a-f-]{36})`)

func TestProcedureStory(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, e *apptest.Env) {
		// Without an account: the birth certificate, verified by email.
		anon := e.Browser(e.Town)
		anon.Get("/demarches").Want(t, http.StatusOK).WantBody(t, "Demande d&#39;acte de naissance", "Inscription scolaire")
		anon.Post("/demarches/acte-de-naissance/commencer", url.Values{"name": {""}, "email": {"pas-une-adresse"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "error-summary")
		anon.Post("/demarches/acte-de-naissance/commencer", url.Values{"name": {"Camille Roux"}, "email": {"camille@exemple.fr"}}).
			Want(t, http.StatusOK)
		link := e.Mail.WaitFor(t, "camille@exemple.fr", 10*time.Second).Link("/acces/")
		u, _ := url.Parse(link)
		id := caseURL.FindStringSubmatch(u.Path)[1]
		anon.Get(u.Path).Want(t, http.StatusOK).WantBody(t, "<h1>Ouvrir votre dossier</h1>", `action="`+u.Path+`"`)
		anon.Post(u.Path, nil).WantRedirect(t, "/dossiers/"+id+"/etape/1")
		e.Browser(e.Town).Get("/dossiers/"+id+"/etape/1").Want(t, http.StatusNotFound) // no token, no case
		step := "/dossiers/" + id + "/etape/"
		anon.Post(step+"1", url.Values{"action": {"suivant"}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, "Renseignez « Nom de naissance »")
		anon.SetCookie("lang", "en") // the same mistake, told in English about the form's own label
		anon.Post(step+"1", url.Values{"action": {"suivant"}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, "Fill in “Nom de naissance”")
		anon.SetCookie("lang", "fr")
		anon.Post(step+"1", url.Values{"c.nom": {"Roux"}, "c.prenom": {"Léo"}, "c.date_naissance": {"2018-04-02"}}).WantRedirect(t, step+"2")
		anon.Post(step+"2", url.Values{"c.type_acte": {"Copie intégrale"}, "c.lien": {"Son parent"}, "c.exemplaires": {"2"}}).WantRedirect(t, step+"3")
		// Bad uploads change nothing.
		fields := url.Values{"c.adresse": {"3 place de la Mairie, 86990 Montclair-sur-Vienne"}, "action": {"suivant"}}
		postMultipart(t, anon, step+"3", fields, upload{"c.justificatif", "livret.pdf", []byte("MZ\x90\x00 not a pdf")}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "ne correspond pas à son extension")
		big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 11<<20)...)
		postMultipart(t, anon, step+"3", fields, upload{"c.justificatif", "livret.pdf", big}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "dépasse la taille maximale")
		anon.Get("/dossiers/"+id+"/recapitulatif").Want(t, http.StatusOK).WantBody(t, "Formulaire incomplet")
		postMultipart(t, anon, step+"3", fields, upload{"c.justificatif", "livret.pdf", pdf}).
			WantRedirect(t, "/dossiers/"+id+"/recapitulatif")
		anon.Get("/dossiers/"+id+"/recapitulatif").Want(t, http.StatusOK).WantBody(t, "Léo", "livret.pdf")
		anon.Post("/dossiers/"+id+"/deposer", nil).WantRedirect(t, "/dossiers/"+id+"/recepisse")
		receipt := e.Mail.WaitFor(t, "camille@exemple.fr", 10*time.Second)
		if !strings.Contains(receipt.Subject, "DEM-") || !strings.Contains(receipt.Text, "livret.pdf") {
			t.Fatalf("receipt mail: %s\n%s", receipt.Subject, receipt.Text)
		}
		anon.Get("/dossiers/"+id+"/recepisse").Want(t, http.StatusOK).WantBody(t, "DEM-")
		res := anon.Get("/dossiers/"+id+"/recepisse.pdf").Want(t, http.StatusOK)
		if ref := regexp.MustCompile(`DEM-\d{4}-\d{6}`).FindString(receipt.Subject); !strings.Contains(pdfText(t, res.Body), ref) {
			t.Fatalf("receipt PDF lacks %s", ref)
		}
		anon.Post(step+"1", url.Values{"c.nom": {"Autre"}}).WantRedirect(t, "/dossiers/"+id) // filed: no more changes

		// The agent asks for a complement, the resident answers, the agent decides.
		agent := e.Browser(e.Town)
		staffSignIn(t, agent, "etat-civil@montclair.localhost")
		agent.Get("/gestion/dossiers?q=Roux").Want(t, http.StatusOK).WantBody(t, "Roux")
		agent.Post("/gestion/dossiers/"+id+"/etat", url.Values{"state": {"complements"}}).Want(t, http.StatusUnprocessableEntity)
		agent.Post("/gestion/dossiers/"+id+"/etat", url.Values{"state": {"complements"}, "reason": {"Joignez une pièce d'identité."}}).
			WantRedirect(t, "/gestion/dossiers/"+id)
		e.Mail.WaitFor(t, "camille@exemple.fr", 10*time.Second)
		// Both sides' message forms let a browser attach several files at once.
		anon.Get("/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, `name="files" type="file" multiple`)
		agent.Get("/gestion/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, `name="files" type="file" multiple`)
		postMultipart(t, anon, "/dossiers/"+id+"/messages", url.Values{"body": {"Voici ma carte d'identité."}},
			upload{"files", "identite.pdf", pdf}, upload{"files", "verso.png", []byte("\x89PNG\r\n\x1a\nxxxx")}).
			WantRedirect(t, "/dossiers/"+id)
		e.Mail.WaitFor(t, "etat-civil@montclair.localhost", 10*time.Second)
		agent.Get("/gestion/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, "identite.pdf", "verso.png", "en instruction")
		agent.Post("/gestion/dossiers/"+id+"/etat", url.Values{"state": {"accepte"}, "reason": {"Acte envoyé par courrier."}}).
			WantRedirect(t, "/gestion/dossiers/"+id)
		decision := e.Mail.WaitFor(t, "camille@exemple.fr", 10*time.Second)
		if !strings.Contains(decision.Text, "accepté") {
			t.Fatalf("decision mail: %s", decision.Text)
		}
		res = anon.Get("/dossiers/"+id+"/decision.pdf").Want(t, http.StatusOK)
		if txt := pdfText(t, res.Body); !strings.Contains(txt, "accepté") || !strings.Contains(txt, "Léo Roux") {
			t.Fatalf("decision PDF:\n%s", txt)
		}
		// The urbanism agent is scoped to another service: the case does not exist for them.
		other := e.Browser(e.Town)
		staffSignIn(t, other, "urbanisme@montclair.localhost")
		other.Get("/gestion/dossiers/"+id).Want(t, http.StatusNotFound)

		// Signed in: the school registration, a repeatable block and a section condition.
		res2 := e.Browser(e.Town)
		res2.SignIn(t, "habitant@courriel.localhost", "Guichet-Demo-2026!")
		start := res2.Post("/demarches/inscription-scolaire/commencer", url.Values{})
		sid := caseURL.FindStringSubmatch(start.Location)[1]
		s := "/dossiers/" + sid + "/etape/"
		res2.Post(s+"1", url.Values{"c.nom": {"Habitant"}, "c.prenom": {"Démo"}, "c.telephone": {"05 49 11 22 33"}, "c.adresse": {"1 rue Haute"}}).WantRedirect(t, s+"2")
		res2.Post(s+"2", url.Values{"c.enfants.n": {"0"}, "action": {"ajouter:enfants"}}).Want(t, http.StatusOK).WantBody(t, "c.enfants.0.prenom")
		res2.Post(s+"2", url.Values{"c.enfants.n": {"1"}, "c.enfants.0.prenom": {"Lou"}, "action": {"ajouter:enfants"}}).Want(t, http.StatusOK).WantBody(t, "c.enfants.1.prenom")
		res2.Post(s+"2", url.Values{"c.enfants.n": {"2"}, "c.enfants.0.prenom": {"Lou"}, "c.enfants.0.date_naissance": {"2019-02-01"},
			"c.enfants.0.classe": {"CP"}, "c.enfants.1.prenom": {"Max"}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, "élément 2")
		res2.Post(s+"2", url.Values{"c.enfants.n": {"2"}, "c.enfants.0.prenom": {"Lou"}, "c.enfants.0.date_naissance": {"2019-02-01"},
			"c.enfants.0.classe": {"CP"}, "c.enfants.1.prenom": {"Max"}, "c.enfants.1.date_naissance": {"2021-06-30"}, "c.enfants.1.classe": {"Petite section"}}).WantRedirect(t, s+"3")
		res2.Post(s+"3", url.Values{"c.cantine": {"oui"}}).WantRedirect(t, s+"4")
		res2.Get(s+"4").Want(t, http.StatusOK).WantBody(t, "Restauration scolaire")
		postMultipart(t, res2, s+"4", url.Values{"c.regime": {"Végétarien"}, "c.pai": {"non"}},
			upload{"c.domicile", "facture.pdf", pdf}, upload{"c.vaccins", "vaccins.jpg", []byte("\xff\xd8\xff\xe0 jpeg")}).WantRedirect(t, "/dossiers/"+sid+"/recapitulatif")
		// Another resident cannot submit this draft.
		anon.Post("/dossiers/"+sid+"/deposer", nil).Want(t, http.StatusNotFound)
		res2.Post("/dossiers/"+sid+"/deposer", nil).WantRedirect(t, "/dossiers/"+sid+"/recepisse")
		res2.Get("/mes-demarches").Want(t, http.StatusOK).WantBody(t, "Inscription scolaire", "déposé")
		admin := e.Browser(e.Town)
		staffSignIn(t, admin, "admin@montclair.localhost")
		admin.Get("/gestion/dossiers").Want(t, http.StatusOK).WantBody(t, "Inscription scolaire")
		csv := admin.Get("/gestion/dossiers/export?demarche="+procID(t, admin)).Want(t, http.StatusOK)
		if !strings.Contains(csv.Body, "Enfant 2 – Prénom") || !strings.Contains(csv.Body, "Max") {
			t.Fatalf("CSV:\n%s", csv.Body)
		}
	})
}

// eachDemo runs fn on the whole application with the full demo content
// (staff, procedures, cases) and mail delivered to an in-process server,
// on SQLite and, when configured, PostgreSQL.
func eachDemo(t *testing.T, fn func(t *testing.T, e *apptest.Env)) {
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, demoEnv(t, u))
		})
	}
}

func demoEnv(t *testing.T, dbURL string) *apptest.Env {
	ctx := context.Background()
	e := &apptest.Env{T: t, Mail: mailtest.Start(t)}
	cfg := &app.Config{DatabaseURL: dbURL, BaseDomain: "localhost", SecretKey: apptest.SecretKey,
		DataDir: t.TempDir(), LogLevel: "error", JobPoll: "20ms", SMTPURL: e.Mail.URL, Clock: dbtest.Clock(t)}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	e.App = a
	if e.Town, err = a.Tenants.BySlug(ctx, demo.Town); err != nil {
		t.Fatal(err)
	}
	if e.Village, err = a.Tenants.BySlug(ctx, demo.Village); err != nil {
		t.Fatal(err)
	}
	e.Server = httptest.NewServer(a.Web.Handler())
	t.Cleanup(e.Server.Close)
	return e
}

// procID finds the school registration's id in the builder list.
func procID(t *testing.T, b *apptest.Browser) string {
	body := b.Get("/gestion/demarches").Want(t, http.StatusOK).Body
	m := regexp.MustCompile(`/gestion/demarches/([0-9a-f-]{36})">Inscription scolaire`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no school registration in:\n%s", body)
	}
	return m[1]
}

func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(p, []byte(pdf), 0o600)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// testLog shows the app's log when a test fails.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
