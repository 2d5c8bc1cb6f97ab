package councilweb_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/council"
	"guichet/internal/capability/council/councilweb"
	"guichet/internal/kernel/pdf"
	"guichet/internal/publishing/tableschema"
)

var (
	numberField = regexp.MustCompile(`name="number" type="text" value="([^"]+)"`)
	actID       = regexp.MustCompile(`^/gestion/actes/([0-9a-f-]{36})`)
	sessionID   = regexp.MustCompile(`^/gestion/conseil/seances/([0-9a-f-]{36})`)
)

// arreteFields are the form of an arrêté numbered number.
func arreteFields(number, title string) url.Values {
	return url.Values{"kind": {council.Arrete}, "number": {number}, "adopted_on": {""}, "subject": {"6.1"}, "title": {title},
		"body": {"La Maire de Montclair-sur-Vienne arrête : la circulation est interdite rue des Tanneurs pendant les travaux."}}
}

// TestSecretaryPublishesAnActFoundByItsPDF: the secretary drafts an
// arrêté with its signed PDF, publishes it; the public finds it by a word
// only its PDF holds, reads its hash and date, and a correction keeps
// both versions online.
func TestSecretaryPublishesAnActFoundByItsPDF(t *testing.T) {
	t.Parallel()
	if !pdf.Available() && os.Getenv("GUICHET_TEST_REQUIRE_PDFTOTEXT") == "" {
		t.Skip("pdftotext is not installed") // scripts/test installs it and requires it
	}
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		sec := e.Browser(e.Town).SignInDemo(t, "secretariat@montclair.localhost")
		visitor := e.Browser(e.Town)
		form := sec.Get(councilweb.AdminActs+"/nouveau?type=arrete").Want(t, http.StatusOK)
		m := numberField.FindStringSubmatch(form.Body)
		if m == nil {
			t.Fatalf("no number proposed:\n%s", form.Body)
		}
		fields := arreteFields(m[1], "")
		fields.Set("adopted_on", e.App.Now().In(e.Town.Location()).Format(council.DateLayout))
		sec.PostFiles(councilweb.AdminActs+"/nouveau", fields).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, `href="#champ-title"`, "Indiquez l&#39;objet de l&#39;acte.")

		var w pdf.Writer
		d := w.New("Arrêté")
		d.Paragraphs("Article 2 – Les riverains sont informés par voie d'affichage ; la benne de lombricompostage est déplacée.")
		body, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		fields.Set("title", "Circulation rue des Tanneurs pendant les travaux")
		res := sec.PostFiles(councilweb.AdminActs+"/nouveau", fields, apptest.File{Field: "file", Name: "arrete-signe.pdf", Body: body})
		res.Want(t, http.StatusSeeOther)
		id := actID.FindStringSubmatch(res.Location)
		if id == nil {
			t.Fatalf("saved act sent to %q", res.Location)
		}
		visitor.Get("/actes?q=lombricompostage").Want(t, http.StatusOK).WantBody(t, "Aucun acte ne contient ces mots.")
		sec.Post(councilweb.AdminActs+"/"+id[1]+"/publier", url.Values{}).Want(t, http.StatusSeeOther)

		found := visitor.Get("/actes?q=lombricompostage").Want(t, http.StatusOK)
		found.WantBody(t, "Circulation rue des Tanneurs pendant les travaux")
		slug := "/actes/arrete-" + m[1]
		sum := sha256.Sum256(body)
		visitor.Get(slug).Want(t, http.StatusOK).WantBody(t, hex.EncodeToString(sum[:]), "Mis en ligne le")
		file := visitor.Get(slug+"/acte.pdf").Want(t, http.StatusOK)
		if file.Body != string(body) || file.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("the PDF served is not the one uploaded (%d bytes, %s)", len(file.Body), file.Header.Get("Content-Type"))
		}

		// Frozen: the form is refused, the act unchanged.
		fields.Set("title", "Un autre objet")
		sec.PostFiles(councilweb.AdminActs+"/"+id[1], fields).Want(t, http.StatusConflict)
		visitor.Get(slug).Want(t, http.StatusOK).WantBody(t, "Circulation rue des Tanneurs pendant les travaux")

		// Rectified: a new draft, published, and both online, linked.
		res = sec.Post(councilweb.AdminActs+"/"+id[1]+"/rectifier", url.Values{}).Want(t, http.StatusSeeOther)
		fix := actID.FindStringSubmatch(res.Location)
		if fix == nil {
			t.Fatalf("rectification sent to %q", res.Location)
		}
		sec.Post(councilweb.AdminActs+"/"+fix[1]+"/publier", url.Values{}).Want(t, http.StatusSeeOther)
		visitor.Get(slug).Want(t, http.StatusOK).WantBody(t, "Acte rectifié", "Lire l&#39;acte rectificatif")
		visitor.Get("/actes?type=arrete").Want(t, http.StatusOK).WantBody(t, "Rectification – Circulation rue des Tanneurs", slug+`"`)
	}, apptest.WithDemoData())
}

// TestSessionFromConvocationToList: the secretary creates a session,
// sets its agenda, records the convocation and the attendance, and puts
// the list of deliberations online; the public page follows.
func TestSessionFromConvocationToList(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		sec := e.Browser(e.Town).SignInDemo(t, "secretariat@montclair.localhost")
		day := e.App.Now().In(e.Town.Location()).AddDate(0, 0, -2).Format(council.DateLayout)
		res := sec.Post(councilweb.AdminPath+"/seances", url.Values{"date": {day}, "time": {"18:30"}, "place": {"Salle des fêtes"},
			"kind": {"extraordinaire"}}).Want(t, http.StatusSeeOther)
		id := sessionID.FindStringSubmatch(res.Location)
		if id == nil {
			t.Fatalf("session sent to %q", res.Location)
		}
		base := councilweb.AdminPath + "/seances/" + id[1]
		sec.Post(base+"/convocation", url.Values{}).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Ajoutez au moins un point à l&#39;ordre du jour avant de convoquer.")
		sec.Post(base+"/points", url.Values{"title": {"Motion sur la fermeture de la maternité"}, "rapporteur": {"Hélène Marchand"}}).
			Want(t, http.StatusSeeOther)
		sec.Post(base+"/convocation", url.Values{"convened_on": {day}}).Want(t, http.StatusSeeOther)
		page := sec.Get(base).Want(t, http.StatusOK)
		page.WantBody(t, "Motion sur la fermeture de la maternité", "33 destinataires")
		// Everyone present but one, whose proxy goes to someone absent.
		members, err := councilweb.Of(e.App.Kernel).Store.MembersOn(t.Context(), e.Town.ID, day)
		if err != nil {
			t.Fatal(err)
		}
		marks := url.Values{}
		for _, m := range members {
			marks.Set("status_"+m.ID, council.Present)
		}
		marks.Set("status_"+members[1].ID, council.Represented)
		marks.Set("proxy_"+members[1].ID, members[2].ID)
		marks.Set("status_"+members[2].ID, council.Absent)
		sec.Post(base+"/presences", marks).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, `href="#champ-proxy_`+members[1].ID+`"`)
		marks.Set("status_"+members[2].ID, council.Present)
		sec.Post(base+"/presences", marks).Want(t, http.StatusSeeOther)
		sec.Get(base).Want(t, http.StatusOK).WantBody(t, "32 présents, 1 représentés", "Mettre la liste en ligne")
		public := e.Browser(e.Town).Get("/conseil-municipal/seances/"+id[1]).Want(t, http.StatusOK)
		public.WantBody(t, "La liste des délibérations sera mise en ligne", "Quorum atteint")
		sec.Get(councilweb.AdminPath).Want(t, http.StatusOK).WantBody(t, "Liste des délibérations", "/gestion/conseil/seances/"+id[1])
		sec.Post(base+"/liste", url.Values{}).Want(t, http.StatusSeeOther)
		e.Browser(e.Town).Get("/conseil-municipal/seances/"+id[1]).Want(t, http.StatusOK).WantBody(t, "Mise en ligne le",
			"Aucune délibération pour cette séance.")
	}, apptest.WithDemoData())
}

// TestDemoOpenDataFollowsTheSchemas: the demo town's délibérations and
// catalogue files pass the SCDL schemas shipped in the project.
func TestDemoOpenDataFollowsTheSchemas(t *testing.T) {
	t.Parallel()
	delib, err := tableschema.LoadFile("../scdl/deliberations-2.1.5.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	catalogue, err := tableschema.LoadFile("../scdl/catalogue-0.1.3.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		visitor := e.Browser(e.Town)
		for path, schema := range map[string]*tableschema.Schema{"/donnees/deliberations.csv": delib, "/donnees/catalogue.csv": catalogue} {
			res := visitor.Get(path).Want(t, http.StatusOK)
			if lines := strings.Count(res.Body, "\n"); lines < 2 {
				t.Fatalf("%s: %d lines", path, lines)
			}
			problems, err := schema.Validate(strings.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("%s: %s", path, p)
			}
		}
		if n := strings.Count(visitor.Get("/donnees/deliberations.csv").Body, "\n") - 1; n < 12 {
			t.Errorf("the demo exports %d deliberations, want a dozen", n)
		}
		visitor.Get("/donnees").Want(t, http.StatusOK).WantBody(t, "/donnees/deliberations.csv", "Licence Ouverte")
	}, apptest.WithDemoData())
}

// TestFollowersAndRemindersReachTheMailbox: a resident follows new acts
// (double opt-in) and receives the next one; a session whose list is late
// brings the secretary a reminder.
func TestFollowersAndRemindersReachTheMailbox(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := t.Context()
		resident := e.Browser(e.Town)
		const email = "suivi.actes@courriel.localhost"
		resident.Post("/actes/suivre", url.Values{"email": {"pas-une-adresse"}}).Want(t, http.StatusUnprocessableEntity)
		resident.Post("/actes/suivre", url.Values{"email": {email}}).Want(t, http.StatusOK).WantBody(t, "Vérifiez votre messagerie")
		confirm := e.Mail.WaitFor(t, email, 10*time.Second)
		link := confirm.Link("/actes/suivre/confirmer/")
		if link == "" {
			t.Fatalf("no confirmation link in:\n%s", confirm.Text)
		}
		path := link[strings.Index(link, "/actes/"):]
		resident.Get(path).Want(t, http.StatusOK).WantBody(t, email)
		resident.Post(path, url.Values{}).Want(t, http.StatusOK).WantBody(t, "Abonnement confirmé")

		c := councilweb.Of(e.App.Kernel)
		s, loc := c.Store, e.Town.Location()
		day := e.App.Now().In(loc).Format(council.DateLayout)
		number, err := s.NextNumber(ctx, e.Town.ID, council.Decision, day[:4])
		if err != nil {
			t.Fatal(err)
		}
		a := &council.Act{TenantID: e.Town.ID, Kind: council.Decision, Number: number, AdoptedOn: day, SubjectCode: "1.1",
			Title: "Attribution du marché d'entretien des espaces verts", Body: "La Maire décide d'attribuer le marché d'entretien des espaces verts."}
		if err := s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, e.Town.ID, a.ID, "Secrétariat", "http://"+e.Host(e.Town), loc); err != nil {
			t.Fatal(err)
		}
		// The demo's acts were published in the second the address was
		// confirmed, when the seeding is quick: their mail may come first.
		news := e.Mail.WaitFor(t, email, 10*time.Second)
		for range 20 {
			if news.Link("/actes/decision-"+number) != "" {
				break
			}
			news = e.Mail.WaitFor(t, email, 10*time.Second)
		}
		if !strings.Contains(news.Subject, number) || news.Link("/actes/decision-"+number) == "" || news.Link("/actes/suivre/arreter/") == "" {
			t.Fatalf("act mail: %s\n%s\n%q", news.Subject, news.Text, news.Links())
		}

		// A session held nine days ago whose list is not online: late.
		at := e.App.Now().In(loc).AddDate(0, 0, -9)
		x, err := s.CreateSession(ctx, e.Town.ID, council.SessionInput{StartsAt: at, Place: "Salle du conseil", Kind: "ordinaire"})
		if err != nil {
			t.Fatal(err)
		}
		members, err := s.MembersOn(ctx, e.Town.ID, x.Day(loc))
		if err != nil {
			t.Fatal(err)
		}
		marks := map[string]council.Attendance{}
		for _, m := range members {
			marks[m.ID] = council.Attendance{Status: council.Present}
		}
		if err := s.RecordAttendance(ctx, e.Town.ID, x.ID, loc, marks); err != nil {
			t.Fatal(err)
		}
		// The periodic job may send it first, or send the demo's own
		// reminders in the same moment: whichever run sends it, the late
		// list's reminder arrives once, among the secretary's mail.
		if _, err := c.Reminders.Run(ctx); err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			m := e.Mail.WaitFor(t, "secretariat@montclair.localhost", 10*time.Second)
			if m.Link("/gestion/conseil/seances/"+x.ID) == "" {
				if i == 50 {
					t.Fatal("no reminder of the late list reached the secretary")
				}
				continue
			}
			if !strings.Contains(m.Subject, "Échéance dépassée") || !strings.Contains(m.Text, "L2121-25") {
				t.Fatalf("the late list's reminder: %s\n%s", m.Subject, m.Text)
			}
			break
		}
		if again, err := c.Reminders.Run(ctx); err != nil || again != 0 {
			t.Fatalf("a second run sent %d reminders, %v", again, err)
		}
	}, apptest.WithMail(), apptest.WithDemoData())
}
