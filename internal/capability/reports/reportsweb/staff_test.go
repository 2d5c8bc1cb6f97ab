package reportsweb_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"image"
	"image/jpeg"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/apptest"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/reportsweb"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

// staffWorld is the town's categories and reports a staff test works
// on, made through the store: a category of the vie-locale service with
// a list question, one of the urbanisme service.
type staffWorld struct {
	t            *testing.T
	e            *apptest.Env
	c            *reportsweb.Capability
	light, graff *reports.Category
}

func newStaffWorld(t *testing.T, e *apptest.Env) *staffWorld {
	t.Helper()
	w := &staffWorld{t: t, e: e, c: reportsweb.Of(e.App.Kernel)}
	w.light = w.category(e.Town, "essai-eclairage", "Éclairage en panne", "vie-locale", reports.Question{Code: "type",
		Label: "Type de lampe", Datatype: reports.TypeSingle, Values: []reports.Choice{{Key: "mat", Name: "Lampadaire"},
			{Key: "mur", Name: "Applique murale"}}})
	w.graff = w.category(e.Town, "essai-graffiti", "Graffiti à effacer", "urbanisme")
	return w
}

func (w *staffWorld) category(t *tenant.Tenant, code, name, service string, qs ...reports.Question) *reports.Category {
	w.t.Helper()
	c := &reports.Category{TenantID: t.ID, Code: code, Name: name, Group: "Essais", Service: service, Questions: qs, Active: true}
	if err := w.c.Store.CreateCategory(context.Background(), c); err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
	return c
}

// report files a guest's report in c, with a photo, and confirms it.
func (w *staffWorld) report(c *reports.Category, address string, answers reports.Answers) *reports.Report {
	w.t.Helper()
	ctx := context.Background()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 30, 20)), nil); err != nil {
		w.t.Fatal(err)
	}
	_, token, err := w.c.Store.Submit(ctx, c.TenantID, reports.Draft{CategoryID: c.ID, Lat: 46.4201, Lon: 0.6012, Address: address,
		Description: "Le lampadaire clignote toute la nuit devant l'école.", Answers: answers,
		Photos:  []reports.PhotoUpload{{ContentType: "image/jpeg", Width: 30, Height: 20, Body: &b}},
		Contact: reports.Contact{Name: "Camille Auteur", Email: "camille.auteur@exemple.fr", Phone: "05 49 11 22 33"}, Lang: "fr"})
	if err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
	r, err := w.c.Store.Confirm(ctx, c.TenantID, token)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// mailAbout returns the next mail to addr whose subject says about,
// after those of the report's filing.
func mailAbout(t *testing.T, e *apptest.Env, addr, about string) *mailtest.Message {
	t.Helper()
	for range 10 {
		if m := e.Mail.WaitFor(t, addr, 10*time.Second); strings.Contains(m.Subject, about) {
			return m
		}
	}
	t.Fatalf("no mail about %q to %s", about, addr)
	return nil
}

var seenRE = regexp.MustCompile(`name="vu" value="([^"]+)"`)

// seen is the version the report's form carries.
func seen(t *testing.T, body string) string {
	t.Helper()
	m := seenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the report's form carries no version")
	}
	return html.UnescapeString(m[1])
}

func TestTheQueueShowsEachAgentTheReportsOfTheirServices(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newStaffWorld(t, e)
		light := w.report(w.light, "3 rue des Lampes", reports.Answers{"type": {"mat"}})
		graff := w.report(w.graff, "9 rue des Murs", nil)

		vie := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		vie.Get(reportsweb.QueuePath).Want(t, 200).WantBody(t, light.Reference, "3 rue des Lampes", "Éclairage en panne",
			`report-status--new`, "À prendre en compte")
		if body := vie.Get(reportsweb.QueuePath).Body; strings.Contains(body, graff.Reference) || strings.Contains(body, "Graffiti à effacer") {
			t.Error("the vie-locale agent sees the urbanisme service's report")
		}
		// Another service's report, by its address or its category, is not theirs.
		vie.Get(reportsweb.QueuePath+"/"+graff.ID).Want(t, 404)
		if body := vie.Get(reportsweb.QueuePath+"?categorie="+w.graff.ID).Want(t, 200).Body; strings.Contains(body, graff.Reference) {
			t.Error("the category filter opens another service's reports")
		}
		vie.Get(reportsweb.QueuePath+"/"+light.ID).Want(t, 200).WantBody(t, "camille.auteur@exemple.fr", "05 49 11 22 33",
			"Type de lampe", "Lampadaire", "?vignette=1", `<svg class="reports-map"`)

		urba := e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost")
		urba.Get(reportsweb.QueuePath).Want(t, 200).WantBody(t, graff.Reference)
		if strings.Contains(urba.Get(reportsweb.QueuePath).Body, light.Reference) {
			t.Error("the urbanisme agent sees the vie-locale service's report")
		}
		// An agent of a service no category goes to has no queue.
		e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost").Get(reportsweb.QueuePath).Want(t, 403)

		// The administrator sees both; the tabs count by status.
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Get(reportsweb.QueuePath).Want(t, 200).WantBody(t, light.Reference, graff.Reference)
		admin.Get(reportsweb.QueuePath+"?etat=fixed&categorie="+w.graff.ID).Want(t, 200).WantBody(t, html.EscapeString("Aucun signalement dans cette liste."))
		if _, err := w.c.Store.Change(context.Background(), e.Town.ID, graff.ID, reports.Change{Status: reports.Fixed, By: "Agent"}); err != nil {
			t.Fatal(err)
		}
		admin.Get(reportsweb.QueuePath+"?etat=fixed&categorie="+w.graff.ID).Want(t, 200).WantBody(t, graff.Reference, `aria-current="page">Résolu`)
	}, apptest.WithDemoData())
}

func TestAnAgentMovesAReportOnAndItsAuthorIsTold(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newStaffWorld(t, e)
		r := w.report(w.light, "3 rue des Lampes", nil)
		original := w.report(w.light, "5 rue des Lampes", nil)
		page := reportsweb.QueuePath + "/" + r.ID
		agent := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		read := seen(t, agent.Get(page).Want(t, 200).Body)

		// Acknowledged with a note: the author is told by mail.
		note := "Transmis à l'équipe de l'éclairage public."
		agent.Post(page, url.Values{"vu": {read}, "status": {"acknowledged"}, "public_note": {note}}).WantRedirect(t, page+"?fait=etat")
		if m := mailAbout(t, e, "camille.auteur@exemple.fr", "pris en compte"); !strings.Contains(m.Text, "Transmis à l") {
			t.Errorf("the author's mail lacks the note:\n%s", m.Text)
		}
		agent.Get(page).Want(t, 200).WantBody(t, "report-status--acknowledged", html.EscapeString(note))

		// The form read before that change is stale: nothing is written,
		// the report comes back as it is now, with the note typed.
		res := agent.Post(page, url.Values{"vu": {read}, "status": {"fixed"}, "public_note": {"Réparé ce matin."}}).Want(t, 409)
		res.WantBody(t, html.EscapeString("vient d'être modifié"), "Réparé ce matin.", "report-status--acknowledged")
		if got, _ := w.c.Store.Report(context.Background(), e.Town.ID, r.ID); got.Status != reports.Acknowledged {
			t.Fatalf("a stale form changed the report to %s", got.Status)
		}
		// Sent again from the page shown, it goes through.
		agent.Post(page, url.Values{"vu": {seen(t, res.Body)}, "status": {"in_progress"}, "public_note": {"Réparé ce matin."}}).
			WantRedirect(t, page)

		// A duplicate names an open report of the collectivité.
		read = seen(t, agent.Get(page).Body)
		agent.Post(page, url.Values{"vu": {read}, "status": {"duplicate"}, "duplicate_of": {"SIG-1999-000001"}}).Want(t, 422).
			WantBody(t, `id="champ-duplicate_of-error"`)
		agent.Post(page, url.Values{"vu": {read}, "status": {"duplicate"}, "duplicate_of": {original.Reference}}).WantRedirect(t, page)
		agent.Get(page).Want(t, 200).WantBody(t, "report-status--duplicate", `href="`+reportsweb.QueuePath+"/"+original.ID+`"`)
		if got, _ := w.c.Store.Report(context.Background(), e.Town.ID, r.ID); got.DuplicateOf != original.ID {
			t.Errorf("duplicate of %q, want %q", got.DuplicateOf, original.ID)
		}

		// A photo shown to staff, then removed after a confirmation.
		d, err := w.c.Store.StaffReport(context.Background(), e.Town.ID, original.ID)
		if err != nil || len(d.Photos) != 1 {
			t.Fatalf("the report's photos: %v", err)
		}
		photo := reportsweb.QueuePath + "/" + original.ID + "/photos/" + d.Photos[0].ID
		if got := agent.Get(photo).Want(t, 200); !strings.HasPrefix(got.Body, "\xff\xd8") {
			t.Error("the photo served is no JPEG")
		}
		agent.Get(photo+"/supprimer").Want(t, 200).WantBody(t, "Supprimer définitivement cette photo", `src="`+photo+`"`)
		agent.Post(photo+"/supprimer", nil).WantRedirect(t, reportsweb.QueuePath+"/"+original.ID+"?fait=photo")
		agent.Get(photo).Want(t, 404)
		agent.Get(reportsweb.QueuePath+"/"+original.ID).Want(t, 200).WantBody(t, "Aucune photo.")
		// An agent of another service may not remove one.
		e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost").Post(photo+"/supprimer", nil).Want(t, 404)
	}, apptest.WithDemoData(), apptest.WithMail())
}

func TestCategoriesAndTheirQuestionsGoRoundTheForm(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		c := reportsweb.Of(e.App.Kernel)
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Get(reportsweb.CategoriesPath+"/nouvelle").Want(t, 200).WantBody(t, `id="champ-q1_label"`, "Services techniques")
		form := url.Values{"name": {"Mobilier urbain abîmé"}, "code": {"mobilier-abime"}, "group": {"Voirie"},
			"keywords": {"banc, Poubelle, banc"}, "service": {"technique"}, "contractor_email": {"Mobilier@Entreprise.fr"},
			"active": {"1"}, "position": {"4"}, "questions": {"2"},
			"q0_label": {"Quel objet ?"}, "q0_code": {"objet"}, "q0_datatype": {"singlevaluelist"}, "q0_required": {"1"},
			"q0_choices": {"banc = Banc public\npoubelle"},
			"q1_label":   {"Combien ?"}, "q1_code": {"nombre"}, "q1_datatype": {"number"}}
		// "Add a question" shows one more row, saving nothing.
		add := url.Values{}
		for k, v := range form {
			add[k] = v
		}
		add.Set("ajouter", "1")
		admin.Post(reportsweb.CategoriesPath+"/nouvelle", add).Want(t, 200).WantBody(t, `id="champ-q2_label"`, `value="Quel objet ?"`)
		// A choice without its label is refused next to its field.
		admin.Post(reportsweb.CategoriesPath+"/nouvelle", form).Want(t, 422).WantBody(t, `id="champ-q0_choices-error"`, "Banc public")
		form.Set("q0_choices", "banc = Banc public\npoubelle = Poubelle\n")
		res := admin.Post(reportsweb.CategoriesPath+"/nouvelle", form).WantRedirect(t, reportsweb.CategoriesPath+"/")
		id := strings.TrimPrefix(strings.Split(res.Location, "?")[0], reportsweb.CategoriesPath+"/")
		got, err := c.Store.Category(context.Background(), e.Town.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Service != "technique" || got.ContractorEmail != "mobilier@entreprise.fr" || len(got.Questions) != 2 ||
			got.Questions[0].Datatype != reports.TypeSingle || !got.Questions[0].Required || len(got.Questions[0].Values) != 2 ||
			got.Questions[0].Values[1] != (reports.Choice{Key: "poubelle", Name: "Poubelle"}) || got.Questions[1].Code != "nombre" ||
			strings.Join(got.Keywords, ",") != "banc,poubelle" || got.Position != 4 {
			t.Fatalf("the category saved: %+v", got)
		}
		// Shown again, the form holds what was saved.
		admin.Get(reportsweb.CategoriesPath+"/"+id).Want(t, 200).WantBody(t, "banc = Banc public\npoubelle = Poubelle",
			`value="nombre"`, `<option value="technique" selected>`)
		// A question's problem is said on the questions.
		form.Set("q1_code", "objet")
		admin.Post(reportsweb.CategoriesPath+"/"+id, form).Want(t, 422).WantBody(t, `id="champ-questions-error"`)
		admin.Get(reportsweb.CategoriesPath).Want(t, 200).WantBody(t, "Mobilier urbain abîmé", "mobilier@entreprise.fr")
		admin.Post(reportsweb.CategoriesPath+"/"+id+"/desactiver", nil).WantRedirect(t, reportsweb.CategoriesPath+"?desactivee=1")
		if got, _ := c.Store.Category(context.Background(), e.Town.ID, id); got.Active {
			t.Error("the category is still active")
		}
		// Agents do not manage categories.
		e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost").Get(reportsweb.CategoriesPath).Want(t, 403)
	}, apptest.WithDemoData())
}

var secretRE = regexp.MustCompile(`value="(` + reports.KeyPrefix + `[^"]+)"`)

func TestAnOpen311KeyIsShownOnceAndRefusedOnceRevoked(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newStaffWorld(t, e)
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Post(reportsweb.KeysPath, url.Values{"name": {" "}}).Want(t, 422).WantBody(t, `id="champ-name-error"`)
		res := admin.Post(reportsweb.KeysPath, url.Values{"name": {"Application de la métropole"}}).Want(t, 200)
		res.WantBody(t, reportsweb.Open311Prefix+"/requests.json", "curl -X POST", "Application de la métropole", "service_code=")
		m := secretRE.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("no secret shown")
		}
		secret := m[1]
		if strings.Contains(admin.Get(reportsweb.KeysPath).Want(t, 200).Body, secret) {
			t.Error("the secret is shown again")
		}
		post := url.Values{"api_key": {secret}, "service_code": {w.light.Code}, "lat": {"46.4201"}, "long": {"0.6012"},
			"description": {"Un lampadaire éteint depuis trois jours."}, "email": {"appli@exemple.fr"}, "attribute[type]": {"mur"}}
		client := e.Browser(e.Town)
		client.Post(reportsweb.Open311Prefix+"/requests.json", post).Want(t, 200).WantBody(t, "service_request_id")
		keys, err := w.c.Store.Keys(context.Background(), e.Town.ID)
		if err != nil {
			t.Fatal(err)
		}
		var key *reports.APIKey
		for _, k := range keys {
			if k.Name == "Application de la métropole" {
				key = k
			}
		}
		if key == nil || key.LastUsedAt == nil {
			t.Fatalf("the key's use is not noted: %+v", key)
		}
		admin.Post(reportsweb.KeysPath+"/"+key.ID+"/revoquer", nil).WantRedirect(t, reportsweb.KeysPath+"?revoquee=1")
		admin.Get(reportsweb.KeysPath).Want(t, 200).WantBody(t, "Révoquée le")
		client.Post(reportsweb.Open311Prefix+"/requests.json", post).Want(t, 403)
	}, apptest.WithDemoData())
}

// testClock is a clock the test moves, for the store's rules.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestTheFiguresCountEachCategoryOverThePeriod(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		w := newStaffWorld(t, e)
		clk := &testClock{now: w.c.Store.Now()}
		w.c.Store.Now = clk.Now // before any request: the store's times are the test's
		// Four reports confirmed at once; fixed after 1, 3 and 5 days, the fourth still open.
		var list []*reports.Report
		for i := range 4 {
			list = append(list, w.report(w.light, fmt.Sprintf("%d rue des Lampes", i+1), nil))
		}
		for i, days := range []int{1, 2, 2} {
			clk.advance(time.Duration(days) * 24 * time.Hour)
			if _, err := w.c.Store.Change(ctx, e.Town.ID, list[i].ID, reports.Change{Status: reports.Fixed, By: "Agent"}); err != nil {
				t.Fatal(err)
			}
		}
		anon := e.Browser(e.Town)
		// Median 3 days; 90th percentile 3 + 0.8 × 2 = 4.6 days.
		page := anon.Get(reportsweb.FiguresPath).Want(t, 200)
		page.WantBody(t, "<th scope=\"row\">Éclairage en panne</th><td>4</td><td>3</td><td>1</td><td>3,0\u00a0j</td><td>4,6\u00a0j</td>",
			`role="img"`, "4 reçus", "3 résolus", `"@type":"Dataset"`, "12 derniers mois")
		if n := strings.Count(page.Body, "application/ld+json"); n != 1 {
			t.Errorf("%d JSON-LD blocks, want 1", n)
		}
		csvRes := anon.Get(reportsweb.FiguresPath+".csv").Want(t, 200)
		rows, err := csv.NewReader(strings.NewReader(csvRes.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, row := range rows[1:] {
			if row[0] == w.light.Code {
				found = true
				if got := strings.Join(row[5:], ","); got != "4,3,1,3.00,4.60" {
					t.Errorf("the CSV's line: %q", got)
				}
			}
		}
		if !found || strings.Join(rows[0], ",") != strings.Join(reportsweb.FiguresColumns, ",") {
			t.Errorf("the CSV: %v", rows)
		}
		// A period before the reports counts none of them; a period that
		// does not read is said so.
		before := clk.Now().In(e.Town.Location()).AddDate(-1, 0, 0).Format("2006-01-02")
		anon.Get(reportsweb.FiguresPath+"?du="+before+"&au="+before).Want(t, 200).
			WantBody(t, "<th scope=\"row\">Éclairage en panne</th><td>0</td><td>0</td><td>0</td>")
		anon.Get(reportsweb.FiguresPath+"?du=hier&au="+before).Want(t, 200).WantBody(t, `id="champ-du-error"`)
	}, apptest.WithDemoData())
}

var nextRE = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

// TestTheQueueTurnsItsPages: 31 open reports fill a page of 30 and a
// second one; each report is on exactly one of them.
func TestTheQueueTurnsItsPages(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newStaffWorld(t, e)
		var refs []string
		for i := range 31 {
			refs = append(refs, w.report(w.light, fmt.Sprintf("%d rue des Lampes", i+1), nil).Reference)
		}
		agent := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		first := agent.Get(reportsweb.QueuePath).Want(t, 200).WantBody(t, "Ouverts <span class=\"count\">(31)</span>")
		m := nextRE.FindStringSubmatch(first.Body)
		if m == nil {
			t.Fatal("no next page")
		}
		second := agent.Get(html.UnescapeString(m[1])).Want(t, 200).WantBody(t, "Première page")
		if nextRE.MatchString(second.Body) {
			t.Error("a third page is offered")
		}
		for _, ref := range refs {
			in1, in2 := strings.Contains(first.Body, ref+"<"), strings.Contains(second.Body, ref+"<")
			if in1 == in2 {
				t.Errorf("%s on the first page %v, on the second %v", ref, in1, in2)
			}
		}
	}, apptest.WithDemoData())
}
