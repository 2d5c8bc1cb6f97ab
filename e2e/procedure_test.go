package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"guichet/internal/app"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mailtest"
)

// mailServer is the app of the procedure story, with its mail delivered
// to an in-process SMTP server.
type mailServer struct {
	port string
	app  *app.App
	mail *mailtest.Server
}

func (s *mailServer) url(path string) string {
	return "http://montclair.localhost:" + s.port + path
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv := &mailServer{mail: mailtest.Start(t)}
	dir := t.TempDir()
	cfg := &app.Config{DatabaseURL: "sqlite:" + filepath.Join(dir, "guichet.db"), BaseDomain: "localhost",
		SecretKey: "Yt6Qe1Wm9Rx3Kb7Zn0Lp4Vc8Hs2Dj5Fa", DataDir: dir, LogLevel: "error",
		Addr: "127.0.0.1:0", SMTPURL: srv.mail.URL, JobPoll: "50ms", Clock: dbtest.Clock(t)}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	log, _ := os.Create(filepath.Join(dir, "server.log"))
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	srv.app = a
	if _, err := a.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, srv.port, _ = net.SplitHostPort(ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(25 * time.Second):
		}
		a.Close()
	})
	return srv
}

// fill sets form controls by name (radios and checkboxes by value), then
// clicks the submit button whose value is button, and waits for the page.
func fill(t *testing.T, tb *tab, values map[string]string, button string) {
	t.Helper()
	var js strings.Builder
	js.WriteString("(() => {\n")
	for name, v := range values {
		fmt.Fprintf(&js, `{ const els = document.getElementsByName(%s);
			for (const el of els) { if (el.type === 'radio' || el.type === 'checkbox') { el.checked = el.value === %s; } else { el.value = %s; } } }
`, strconv.Quote(name), strconv.Quote(v), strconv.Quote(v))
	}
	fmt.Fprintf(&js, "document.querySelector(%s).click(); })()", strconv.Quote(button))
	if _, err := tb.navigateBy(js.String()); err != nil {
		t.Fatalf("submit %s at %s: %v\n    screenshot %s", button, tb.location(), err, tb.screenshot("procedure-"+button))
	}
}

func upload(t *testing.T, tb *tab, name string, paths ...string) {
	t.Helper()
	if err := tb.do(chromedp.SetUploadFiles(`input[name="`+name+`"]`, paths)); err != nil {
		t.Fatalf("upload to %s: %v", name, err)
	}
}

func bodyText(t *testing.T, tb *tab) string {
	t.Helper()
	s, err := eval[string](tb, `document.querySelector('main').innerText`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wantText(t *testing.T, tb *tab, subs ...string) {
	t.Helper()
	text := bodyText(t, tb)
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Fatalf("%s lacks %q:\n%s\n    screenshot %s", tb.location(), s, text, tb.screenshot("procedure-missing"))
		}
	}
}

// fetchPDF downloads path with the tab's cookies and returns its text.
func fetchPDF(t *testing.T, tb *tab, path string) string {
	t.Helper()
	b64, err := eval[string](tb, `fetch(`+strconv.Quote(path)+`).then(r => r.arrayBuffer()).then(b => {
		const u = new Uint8Array(b); let s = '';
		for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
		return btoa(s); })`, chromedp.EvalAwaitPromise)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func signInOn(t *testing.T, tb *tab, srv *mailServer, email string, staff bool) {
	t.Helper()
	if _, err := tb.open(srv.url("/connexion")); err != nil {
		t.Fatal(err)
	}
	fill(t, tb, map[string]string{"email": email, "password": app.DemoPassword}, `form[action="/connexion"] button[type=submit]`)
	if staff {
		code, _ := totp.GenerateCode(app.DemoTOTPSecret, srv.app.Now())
		fill(t, tb, map[string]string{"code": code}, `form:has(input[name=code]) button[type=submit]`)
	}
}

var reference = regexp.MustCompile(`DEM-\d{4}-\d{6}`)

// The acceptance story: both demo procedures filled in Chromium (uploads
// and the repeatable block included), a complement asked and answered, a
// decision; every email reaches the SMTP server; the receipt and the
// decision letter are PDFs whose text matches the case.
func TestProcedureStoryInBrowser(t *testing.T) {
	needBrowser(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is required (Debian poppler-utils)")
	}
	srv := startMailServer(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "livret-de-famille.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4\n% livret\n"), 0o600)
	png := filepath.Join(dir, "carte-identite.png")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600)
	wait := func(to string) *mailtest.Message { return srv.mail.WaitFor(t, to, 20*time.Second) }

	// 1. Birth certificate without an account, the address verified by email.
	res := newTab(t, true)
	if _, err := res.open(srv.url("/demarches/acte-de-naissance")); err != nil {
		t.Fatal(err)
	}
	fill(t, res, map[string]string{"name": "Camille Roux", "email": "camille.roux@exemple.fr"}, `main form button[type=submit]`)
	link := wait("camille.roux@exemple.fr").Link("/acces/")
	if _, err := res.open(link); err != nil {
		t.Fatal(err)
	}
	fill(t, res, nil, `form[action*="/acces/"] button`) // the link's page asks for a click
	fill(t, res, map[string]string{"c.nom": "Roux", "c.prenom": "Léo", "c.date_naissance": "2018-04-02"}, `button[value=suivant]`)
	fill(t, res, map[string]string{"c.type_acte": "Copie intégrale", "c.lien": "Son parent", "c.exemplaires": "2"}, `button[value=suivant]`)
	wantText(t, res, "Justificatif de filiation") // the section shown by the condition
	upload(t, res, "c.justificatif", pdf)
	fill(t, res, map[string]string{"c.adresse": "3 place de la Mairie, 86990 Montclair-sur-Vienne"}, `button[value=suivant]`)
	wantText(t, res, "Léo", "livret-de-famille.pdf")
	fill(t, res, nil, `form[action$="/deposer"] button`)
	wantText(t, res, "Récépissé", "DEM-")
	caseURL := strings.TrimSuffix(res.location(), "/recepisse")
	ref := reference.FindString(bodyText(t, res))
	if m := wait("camille.roux@exemple.fr"); !strings.Contains(m.Subject, ref) {
		t.Fatalf("receipt email: %s", m.Subject)
	}
	if m := wait("etat-civil@montclair.localhost"); !strings.Contains(m.Text, ref) { // the service hears of the new case
		t.Fatalf("new case email: %s", m.Text)
	}
	if txt := fetchPDF(t, res, caseURL+"/recepisse.pdf"); !strings.Contains(txt, ref) || !strings.Contains(txt, "livret-de-famille.pdf") ||
		!strings.Contains(txt, "Roux") {
		t.Fatalf("receipt PDF:\n%s", txt)
	}

	// 2. School registration, signed in: two children, the canteen section, two uploads.
	parent := newTab(t, true)
	signInOn(t, parent, srv, "habitant@courriel.localhost", false)
	if _, err := parent.open(srv.url("/demarches/inscription-scolaire")); err != nil {
		t.Fatal(err)
	}
	fill(t, parent, nil, `main form button[type=submit]`)
	fill(t, parent, map[string]string{"c.nom": "Habitant", "c.prenom": "Démo", "c.telephone": "05 49 11 22 33",
		"c.adresse": "1 rue Haute, 86990 Montclair-sur-Vienne"}, `button[value=suivant]`)
	fill(t, parent, nil, `button[value="ajouter:enfants"]`)
	fill(t, parent, map[string]string{"c.enfants.0.prenom": "Lou"}, `button[value="ajouter:enfants"]`)
	fill(t, parent, map[string]string{"c.enfants.0.prenom": "Lou", "c.enfants.0.date_naissance": "2019-02-01", "c.enfants.0.classe": "CP",
		"c.enfants.1.prenom": "Max", "c.enfants.1.date_naissance": "2021-06-30", "c.enfants.1.classe": "Petite section"}, `button[value=suivant]`)
	fill(t, parent, map[string]string{"c.cantine": "oui", "c.garderie": "Soir"}, `button[value=suivant]`)
	wantText(t, parent, "Restauration scolaire")
	upload(t, parent, "c.domicile", pdf)
	upload(t, parent, "c.vaccins", png)
	fill(t, parent, map[string]string{"c.regime": "Végétarien", "c.pai": "non"}, `button[value=suivant]`)
	wantText(t, parent, "Lou", "Max", "Végétarien")
	fill(t, parent, nil, `form[action$="/deposer"] button`)
	wantText(t, parent, "Récépissé")
	wait("habitant@courriel.localhost")
	wait("admin@montclair.localhost") // no agent of the school service: the administrator is told

	// 3. The agent asks for a complement, the resident answers, the agent decides.
	agent := newTab(t, true)
	signInOn(t, agent, srv, "etat-civil@montclair.localhost", true)
	id := caseURL[strings.LastIndex(caseURL, "/")+1:]
	if _, err := agent.open(srv.url("/gestion/dossiers/" + id)); err != nil {
		t.Fatal(err)
	}
	fill(t, agent, map[string]string{"state": "complements", "reason": "Joignez une pièce d'identité."}, `form[action$="/etat"] button`)
	if m := wait("camille.roux@exemple.fr"); !strings.Contains(m.Text, "pièce d'identité") {
		t.Fatalf("complement email: %s", m.Text)
	}
	if _, err := res.open(caseURL); err != nil {
		t.Fatal(err)
	}
	upload(t, res, "files", png, pdf)
	fill(t, res, map[string]string{"body": "Voici ma carte d'identité."}, `form[action$="/messages"] button`)
	if m := wait("etat-civil@montclair.localhost"); !strings.Contains(m.Text, "carte d'identité") {
		t.Fatalf("agent email: %s", m.Text)
	}
	if _, err := agent.open(srv.url("/gestion/dossiers/" + id)); err != nil {
		t.Fatal(err)
	}
	wantText(t, agent, "carte-identite.png", "livret-de-famille.pdf", "en instruction")
	fill(t, agent, map[string]string{"state": "accepte", "reason": "Acte envoyé par courrier."}, `form[action$="/etat"] button`)
	if m := wait("camille.roux@exemple.fr"); !strings.Contains(m.Text, "accepté") {
		t.Fatalf("decision email: %s", m.Text)
	}
	if txt := fetchPDF(t, res, caseURL+"/decision.pdf"); !strings.Contains(txt, ref) || !strings.Contains(txt, "accepté") ||
		!strings.Contains(txt, "Léo Roux") || !strings.Contains(txt, "Acte envoyé par courrier.") {
		t.Fatalf("decision PDF:\n%s", txt)
	}
}
