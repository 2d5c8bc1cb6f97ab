package reportsweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/apptest"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/reportsweb"
	"guichet/internal/kernel/tenant"
)

// A point of the town and the metres of a degree of latitude there.
const townLat, townLon, metresPerDegree = 46.5802, 0.3404, 111195.0

// mailWait is how long a test waits for a mail the workers send.
const mailWait = 10 * time.Second

// pub is a test's application with the reports' store.
type pub struct {
	t  *testing.T
	e  *apptest.Env
	s  *reports.Store
	c  *reports.Category
	tn *tenant.Tenant
}

func newPub(t *testing.T, e *apptest.Env) *pub {
	t.Helper()
	w := &pub{t: t, e: e, s: reportsweb.Of(e.App.Kernel).Store, tn: e.Town}
	w.c = w.category("essai-nid-de-poule", "Nid-de-poule d'essai")
	return w
}

// category creates an active category of the town, with a question.
func (w *pub) category(code, name string) *reports.Category {
	w.t.Helper()
	c := &reports.Category{TenantID: w.tn.ID, Code: code, Name: name, Group: "Voirie", Service: reportsweb.Service, Active: true,
		Questions: []reports.Question{{Code: "taille", Label: "Taille du trou", Datatype: reports.TypeSingle,
			Values: []reports.Choice{{Key: "petit", Name: "Petit"}, {Key: "grand", Name: "Grand comme une roue"}}}}}
	if err := w.s.CreateCategory(context.Background(), c); err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
	return c
}

// draft is a report metres north of the town's point, by a guest
// whose details must never show.
func (w *pub) draft(metres float64, description string) reports.Draft {
	return reports.Draft{CategoryID: w.c.ID, Lat: townLat + metres/metresPerDegree, Lon: townLon, Address: "12 rue des Écoles",
		Description: description, Answers: reports.Answers{"taille": {"grand"}}, Lang: "fr",
		Contact: reports.Contact{Name: "Dominique Secret", Email: "dominique.secret@courriel.localhost", Phone: "05 49 12 34 56"}}
}

// submit files d and fails the test on error; it returns the link's
// token of a guest's report.
func (w *pub) submit(d reports.Draft) (*reports.Report, string) {
	w.t.Helper()
	r, token, err := w.s.Submit(context.Background(), w.tn.ID, d)
	if err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
	return r, token
}

// trusted files d for an account with a proven address: confirmed at once.
func (w *pub) trusted(d reports.Draft, accountID string) *reports.Report {
	w.t.Helper()
	d.AccountID, d.EmailVerified = accountID, true
	r, _ := w.submit(d)
	return r
}

// change moves a report as staff would.
func (w *pub) change(id string, st reports.Status, note string) {
	w.t.Helper()
	if _, err := w.s.Change(context.Background(), w.tn.ID, id, reports.Change{Status: st, PublicNote: note, By: "Services techniques"}); err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
}

// status is a report's status as the store has it.
func (w *pub) status(id string) reports.Status {
	w.t.Helper()
	r, err := w.s.Report(context.Background(), w.tn.ID, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return r.Status
}

// jpegOf is a small photo, each one of its own colour.
func jpegOf(t *testing.T, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// privateOf are the author's details no public page may show.
var privateOf = []string{"Dominique Secret", "dominique.secret@", "05 49 12 34 56"}

func wantNone(t *testing.T, body string, markers ...string) {
	t.Helper()
	for _, m := range markers {
		if strings.Contains(body, m) || strings.Contains(body, html.EscapeString(m)) {
			t.Errorf("the page shows %q", m)
		}
	}
}

var jsonLD = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// ldType is the @type of the page's one JSON-LD block.
func ldType(t *testing.T, body string) string {
	t.Helper()
	blocks := jsonLD.FindAllStringSubmatch(body, -1)
	if len(blocks) != 1 {
		t.Fatalf("%d JSON-LD blocks, want 1", len(blocks))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(blocks[0][1]), &doc); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	s, _ := doc["@type"].(string)
	return s
}

func TestThePublicListShowsTheReportsOnAMapAndInWords(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		open := w.trusted(w.draft(0, "Un trou profond devant l'école."), "compte-essai")
		fixed := w.trusted(w.draft(150, "Une plaque d'égout soulevée."), "compte-essai")
		w.change(fixed.ID, reports.Fixed, "Plaque remise en place.")
		other := w.category("essai-eclairage", "Lampadaire d'essai")
		d := w.draft(300, "Le lampadaire clignote toute la nuit.")
		d.CategoryID, d.Answers = other.ID, nil
		lamp := w.trusted(d, "compte-essai")
		guest, _ := w.submit(w.draft(50, "Pas encore confirmé par son auteur."))

		b := e.Browser(e.Town)
		res := b.Get(reportsweb.ListPath).Want(t, 200)
		res.WantBody(t, "<svg", `href="/signalements/nouveau"`, `href="/signalements/alertes"`, `href="/signalements/chiffres"`,
			// Each pin is a link named in words, its colour a second cue.
			`<a href="/signalements/`+open.ID+`" aria-label="`+open.Reference+` — Nid-de-poule d&#39;essai — Nouveau"><path class="pin pin-open"`,
			`aria-label="`+fixed.Reference+` — Nid-de-poule d&#39;essai — Résolu"><path class="pin pin-fixed"`,
			"3 signalements sur la carte\u00a0: 2 à traiter, 1 résolu ou clos.", lamp.Reference,
			`<option value="essai-eclairage">Lampadaire d&#39;essai</option>`)
		wantNone(t, res.Body, append(privateOf, guest.Reference, "Pas encore confirmé")...)
		if typ := ldType(t, res.Body); typ != "CollectionPage" {
			t.Errorf("the list's JSON-LD is a %q", typ)
		}

		// The filters narrow the list and the map alike.
		res = b.Get(reportsweb.ListPath+"?etat=resolus").Want(t, 200).WantBody(t, fixed.Reference, "1 signalement sur la carte")
		wantNone(t, res.Body, open.Reference, lamp.Reference)
		res = b.Get(reportsweb.ListPath+"?categorie=essai-eclairage&etat=ouverts").Want(t, 200).WantBody(t, lamp.Reference)
		wantNone(t, res.Body, open.Reference, fixed.Reference)
		// An unknown filter is no filter.
		b.Get(reportsweb.ListPath+"?categorie=inconnue&etat=nimporte").Want(t, 200).WantBody(t, open.Reference, fixed.Reference, lamp.Reference)
	})
}

func TestTheListPagesByItsCursor(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		var all []*reports.Report
		for i := range 23 {
			all = append(all, w.trusted(w.draft(float64(i*10), "Trou numéro "+string(rune('A'+i))+" sur la route."), "compte-essai"))
		}
		b := e.Browser(e.Town)
		first := b.Get(reportsweb.ListPath+"?etat=ouverts").Want(t, 200)
		next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(first.Body)
		if next == nil {
			t.Fatal("no link to the next page")
		}
		second := b.Get(html.UnescapeString(next[1])).Want(t, 200)
		seen := 0
		for _, r := range all {
			item := `href="` + r.Path() + `">` + r.Reference
			in1, in2 := strings.Contains(first.Body, item), strings.Contains(second.Body, item)
			if in1 == in2 {
				t.Errorf("%s is on page one %v, page two %v", r.Reference, in1, in2)
			}
			if in2 {
				seen++
			}
		}
		if seen != 3 {
			t.Errorf("the second page lists %d reports, want 3", seen)
		}
	})
}

func TestAReportsPageShowsItsHistoryAndPhotosWithoutItsAuthor(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		red, blue := jpegOf(t, color.RGBA{200, 30, 30, 255}), jpegOf(t, color.RGBA{30, 30, 200, 255})
		d := w.draft(0, "Un trou profond devant l'école.\nAttention aux vélos.")
		d.Photos = []reports.PhotoUpload{
			{ContentType: "image/jpeg", Width: 64, Height: 48, Body: bytes.NewReader(red)},
			{ContentType: "image/jpeg", Width: 64, Height: 48, Body: bytes.NewReader(blue)},
		}
		r := w.trusted(d, "compte-essai")
		w.change(r.ID, reports.InProgress, "Intervention prévue lundi.")
		detail, err := w.s.PublicReport(context.Background(), e.Town.ID, r.ID)
		if err != nil || len(detail.Photos) != 2 {
			t.Fatalf("the report's photos: %v %v", detail, err)
		}

		b := e.Browser(e.Town)
		res := b.Get(r.Path()).Want(t, 200)
		res.WantBody(t, "<h1>"+r.Reference, "12 rue des Écoles", "Un trou profond devant l&#39;école.", "Taille du trou",
			"Grand comme une roue", "Intervention prévue lundi.", "Services techniques", `class="report-status report-status--in_progress"`,
			`href="`+html.EscapeString(reports.OSMLink(r.Lat, r.Lon))+`"`, `href="`+detail.Photos[0].Path()+`"><img src="`+detail.Photos[0].Path()+`/vignette"`,
			`href="/signalements/alertes?lat=`, `action="`+r.Path()+`/suivre"`, `name="email"`, "<svg")
		wantNone(t, res.Body, privateOf...)
		if typ := ldType(t, res.Body); typ != "WebPage" {
			t.Errorf("the report's JSON-LD is a %q", typ)
		}
		// The history's dates are the collectivité's, in words.
		loc := e.Town.Location()
		at := r.CreatedAt.In(loc)
		res.WantBody(t, guichet.LongDate(at, "fr")+" à "+at.Format("15:04"))

		// The photos' bytes, as stored, shown and never sniffed.
		ph := b.Get(detail.Photos[1].Path()).Want(t, 200)
		if ph.Body != string(blue) {
			t.Error("the second photo's bytes differ from those sent")
		}
		for k, v := range map[string]string{"Content-Type": "image/jpeg", "X-Content-Type-Options": "nosniff",
			"Content-Disposition": "inline"} {
			if got := ph.Header.Get(k); got != v {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
		if cc := ph.Header.Get("Cache-Control"); cc != "public, max-age=600" {
			t.Errorf("Cache-Control: %q", cc)
		}
		thumb := b.Get(detail.Photos[0].Path()+"/vignette").Want(t, 200)
		if thumb.Header.Get("Content-Type") != "image/jpeg" || len(thumb.Body) == 0 {
			t.Errorf("the thumbnail: %q, %d bytes", thumb.Header.Get("Content-Type"), len(thumb.Body))
		}
		b.Get(r.Path()+"/photos/"+detail.Photos[0].ID+"x").Want(t, 404)

		// A guest's report is nobody's business until confirmed: neither
		// its page nor its photos.
		gd := w.draft(20, "Un autre trou, pas encore confirmé.")
		gd.Photos = []reports.PhotoUpload{{ContentType: "image/jpeg", Width: 64, Height: 48, Body: bytes.NewReader(red)}}
		guest, _ := w.submit(gd)
		b.Get(guest.Path()).Want(t, 404)
		var photoID string
		if err := w.s.DB().QueryRow(context.Background(), `SELECT id FROM report_photos WHERE report_id = ?`, guest.ID).Scan(&photoID); err != nil {
			t.Fatal(err)
		}
		b.Get(reports.PhotoPath(guest.ID, photoID)).Want(t, 404)
		b.Get(reports.PhotoPath(guest.ID, photoID)+"/vignette").Want(t, 404)

		// A duplicate links to its original.
		dup := w.trusted(w.draft(5, "Le même trou, signalé deux fois."), "compte-essai")
		if _, err := w.s.Change(context.Background(), e.Town.ID, dup.ID, reports.Change{Status: reports.Duplicate,
			DuplicateOf: r.Reference, By: "Services techniques"}); err != nil {
			t.Fatal(err, guichet.FieldErrors(err))
		}
		b.Get(dup.Path()).Want(t, 200).WantBody(t, `<a href="`+r.Path()+`">`+r.Reference+`</a>`)
	})
}

func TestAGuestFollowsAReportThroughTheirMailbox(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		r := w.trusted(w.draft(0, "Un trou profond devant l'école."), "compte-essai")
		b := e.Browser(e.Town)
		b.Post(r.Path()+"/suivre", url.Values{"email": {"pas une adresse"}}).Want(t, 422).
			WantBody(t, `id="champ-email-error"`, "Indiquez une adresse électronique valide")
		b.Post(r.Path()+"/suivre", url.Values{"email": {"voisine@courriel.localhost"}}).Want(t, 200).
			WantBody(t, "Vérifiez votre messagerie")

		link := e.Mail.WaitFor(t, "voisine@courriel.localhost", mailWait).Link(reports.FollowConfirmPrefix)
		if link == "" {
			t.Fatal("the mail has no confirmation link")
		}
		token := link[strings.LastIndex(link, "/")+1:]
		// Opening the link changes nothing: a mail scanner may have.
		b.Get(link).Want(t, 200).WantBody(t, r.Reference, "voisine@courriel.localhost", "Confirmer le suivi")
		f, err := w.s.FollowByLink(context.Background(), e.Town.ID, token)
		if err != nil || f.ConfirmedAt != nil {
			t.Fatalf("the follow after opening its link: %+v, %v", f, err)
		}
		b.Post(link, nil).Want(t, 200).WantBody(t, "Suivi confirmé")
		b.Post(link, nil).Want(t, 200).WantBody(t, "Suivi déjà confirmé")

		// Each step reaches the follower, with the link that stops it.
		w.change(r.ID, reports.Acknowledged, "Vu par les services.")
		update := e.Mail.WaitFor(t, "voisine@courriel.localhost", mailWait)
		stop := update.Link(reports.UnfollowPrefix)
		if !strings.Contains(update.Text, "Vu par les services.") || stop == "" {
			t.Fatalf("the update mail:\n%s", update.Text)
		}
		b.Get(stop).Want(t, 200).WantBody(t, "Ne plus suivre")
		b.Post(stop, nil).Want(t, 200).WantBody(t, "Suivi arrêté")
		w.change(r.ID, reports.Fixed, "Rebouché.")
		// The author's mail is the last of this change: none to the former follower.
		e.Mail.WaitFor(t, "dominique.secret@courriel.localhost", mailWait)
		for _, m := range e.Mail.Messages() {
			if m.IsTo("voisine@courriel.localhost") && strings.Contains(m.Text, "Rebouché.") {
				t.Error("a follower who stopped is still mailed")
			}
		}
	}, apptest.WithMail())
}

func TestAGuestConfirmsTheirReportByAButtonNotByOpeningTheLink(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		r, token := w.submit(w.draft(0, "Un trou profond devant l'école."))
		b := e.Browser(e.Town)
		link := reports.ConfirmPrefix + token
		b.Get(link).Want(t, 200).WantBody(t, "Confirmer le signalement", r.Reference, "Un trou profond")
		b.Get(link).Want(t, 200)
		b.Get(r.Path()).Want(t, 404) // opening the link confirmed nothing
		b.Get(reports.ConfirmPrefix+"jeton-invente").Want(t, 404)

		b.Post(link, nil).Want(t, 200).WantBody(t, "Signalement confirmé", `href="`+r.Path()+`"`)
		b.Get(r.Path()).Want(t, 200).WantBody(t, r.Reference)
		b.Post(link, nil).Want(t, 200).WantBody(t, "Signalement déjà confirmé", `href="`+r.Path()+`"`)
		b.Get(link).Want(t, 200).WantBody(t, "Signalement déjà confirmé")
	})
}

func TestTheAuthorReopensByTheirLink(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		r, token := w.submit(w.draft(0, "Un trou profond devant l'école."))
		b := e.Browser(e.Town)
		b.Post(reports.ConfirmPrefix+token, nil).Want(t, 200)
		manage := e.Mail.WaitFor(t, "dominique.secret@courriel.localhost", mailWait)
		for manage.Link(reports.ManagePrefix) == "" { // the confirmation's own mail came first
			manage = e.Mail.WaitFor(t, "dominique.secret@courriel.localhost", mailWait)
		}
		link := manage.Link(reports.ManagePrefix)

		// Still open: nothing to reopen.
		b.Get(link).Want(t, 200).WantBody(t, r.Reference, "en cours de traitement")
		w.change(r.ID, reports.Fixed, "Rebouché.")
		page := b.Get(link).Want(t, 200).WantBody(t, "Rouvrir le signalement", `name="reason"`, "Rebouché.")
		wantNone(t, page.Body, "dominique.secret@", "05 49 12 34 56")
		b.Post(link, url.Values{"reason": {"Non"}}).Want(t, 422).WantBody(t, `id="champ-reason-error"`)
		if st := w.status(r.ID); st != reports.Fixed {
			t.Fatalf("a refused reopening left %s", st)
		}
		b.Post(link, url.Values{"reason": {"Le trou s'est rouvert après la pluie."}}).WantRedirect(t, reports.ManagePrefix)
		if st := w.status(r.ID); st != reports.ReopenedTo {
			t.Fatalf("reopened, the report is %s", st)
		}
		b.Get(r.Path()).Want(t, 200).WantBody(t, "Le trou s&#39;est rouvert après la pluie.")
		b.Get(reports.ManagePrefix+"jeton-invente").Want(t, 404)
	}, apptest.WithMail())
}

func TestAResidentFollowsReopensAndListsTheirReports(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		u := e.Resident(e.Town, "camille.habitante@courriel.localhost", "Camille Habitante")
		mine := w.trusted(w.draft(0, "Un trou profond devant l'école."), u.ID)
		d := w.draft(40, "Un second trou, à confirmer.")
		d.AccountID = u.ID
		waiting, _ := w.submit(d) // a guest's draft of the same account, not confirmed
		someone := w.trusted(w.draft(80, "Le trou d'un autre."), "compte-autre")

		b := e.Browser(e.Town)
		b.Get(reportsweb.MinePath).WantRedirect(t, "/connexion")
		b.SignIn(t, u.Email, apptest.Password)

		// One button follows, one stops.
		b.Get(someone.Path()).Want(t, 200).WantBody(t, "camille.habitante@courriel.localhost", "Suivre ce signalement")
		b.Post(someone.Path()+"/suivre", url.Values{}).WantRedirect(t, someone.Path()+"?suivi=1")
		b.Get(someone.Path()+"?suivi=1").Want(t, 200).WantBody(t, "Vous suivez ce signalement", `action="`+someone.Path()+`/ne-plus-suivre"`)
		if ok, err := w.s.FollowsByAccount(context.Background(), e.Town.ID, someone.ID, u.ID); err != nil || !ok {
			t.Fatalf("follows: %v %v", ok, err)
		}
		b.Post(someone.Path()+"/ne-plus-suivre", nil).WantRedirect(t, someone.Path()+"?suivi=0")
		if ok, _ := w.s.FollowsByAccount(context.Background(), e.Town.ID, someone.ID, u.ID); ok {
			t.Error("still following")
		}
		b.Post(someone.Path()+"/autre-chose", nil).Want(t, 404)

		// The author reopens their own fixed report, nobody else's.
		w.change(mine.ID, reports.Fixed, "Rebouché.")
		w.change(someone.ID, reports.Fixed, "Rebouché aussi.")
		b.Get(someone.Path()).Want(t, 200)
		if strings.Contains(b.Get(someone.Path()).Body, "Rouvrir le signalement") {
			t.Error("a resident is offered to reopen another's report")
		}
		b.Post(someone.Path()+"/rouvrir", url.Values{"reason": {"Pas réglé du tout."}}).Want(t, 403)
		b.Get(mine.Path()).Want(t, 200).WantBody(t, "Rouvrir le signalement")
		b.Post(mine.Path()+"/rouvrir", url.Values{"reason": {""}}).Want(t, 422).WantBody(t, `id="champ-reason-error"`)
		b.Post(mine.Path()+"/rouvrir", url.Values{"reason": {"Le trou est revenu."}}).WantRedirect(t, mine.Path()+"?rouvert=1")
		if st := w.status(mine.ID); st != reports.ReopenedTo {
			t.Errorf("reopened, the report is %s", st)
		}
		// A visitor signed out may do neither.
		anon := e.Browser(e.Town)
		anon.Post(mine.Path()+"/rouvrir", url.Values{"reason": {"Le trou est revenu."}}).Want(t, 401)
		anon.Post(mine.Path()+"/ne-plus-suivre", nil).Want(t, 401)

		// Their own reports, the one waiting for its confirmation too.
		res := b.Get(reportsweb.MinePath).Want(t, 200).WantBody(t, `<a href="`+mine.Path()+`">`+mine.Reference+`</a>`,
			waiting.Reference, "En attente de votre confirmation")
		wantNone(t, res.Body, someone.Reference)
		b.Get("/").WantBody(t, `href="/compte/signalements"`)
	})
}

func TestAnAreaAlertIsAskedForConfirmedAndStopped(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		w := newPub(t, e)
		b := e.Browser(e.Town)
		page := b.Get(reportsweb.AlertsPath+"?lat=46.580200&lon=0.340400").Want(t, 200)
		page.WantBody(t, `value="46.580200,0.340400"`, `name="radius"`, `<option value="2000"`, `<option value="essai-nid-de-poule"`)
		form := url.Values{"lat": {"46.580200"}, "lon": {"0.340400"}, "position": {"46.580200,0.340400"}, "radius": {"5000"},
			"category": {"essai-nid-de-poule"}, "email": {"riverain@courriel.localhost"}}
		b.Post(reportsweb.AlertsPath, form).Want(t, 422).WantBody(t, `id="champ-radius-error"`, `value="46.580200,0.340400"`)
		form.Set("radius", "500")
		b.Post(reportsweb.AlertsPath, form).Want(t, 200).WantBody(t, "Vérifiez votre messagerie")

		link := e.Mail.WaitFor(t, "riverain@courriel.localhost", mailWait).Link(reports.AlertConfirmPrefix)
		token := link[strings.LastIndex(link, "/")+1:]
		b.Get(link).Want(t, 200).WantBody(t, "500 mètres", "Nid-de-poule d&#39;essai", "Confirmer l&#39;alerte")
		if a, err := w.s.AreaAlertByLink(context.Background(), e.Town.ID, token); err != nil || a.ConfirmedAt != nil {
			t.Fatalf("the alert after opening its link: %+v %v", a, err)
		}
		b.Post(link, nil).Want(t, 200).WantBody(t, "Alerte confirmée")
		b.Post(link, nil).Want(t, 200).WantBody(t, "Alerte déjà confirmée")

		// A report 200 m away reaches the address, with the link that stops the alert.
		w.trusted(w.draft(200, "Un trou tout près de chez le riverain."), "compte-essai")
		alert := e.Mail.WaitFor(t, "riverain@courriel.localhost", mailWait)
		stop := alert.Link(reports.AlertUnsubscribePrefix)
		if !strings.Contains(alert.Text, "Un trou tout près") || stop == "" {
			t.Fatalf("the alert's mail:\n%s", alert.Text)
		}
		b.Get(stop).Want(t, 200).WantBody(t, "Arrêter l&#39;alerte")
		b.Post(stop, nil).Want(t, 200).WantBody(t, "Alerte arrêtée")

		// Without a place, the address is asked for first.
		b.Get(reportsweb.AlertsPath).Want(t, 200).WantBody(t, `name="adresse"`)
		b.Post(reportsweb.AlertsPath, url.Values{"radius": {"300"}, "email": {"riverain@courriel.localhost"}}).Want(t, 422).
			WantBody(t, "Choisissez le lieu autour duquel être alerté.")
	}, apptest.WithMail())
}
