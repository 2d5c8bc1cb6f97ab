package reportsweb_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"guichet/internal/apptest"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/photo/phototest"
	"guichet/internal/capability/reports/reportsweb"
	"guichet/internal/capability/urbanism/urbanismweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/svgmap"
)

// formCategory adds an active category to the town, with questions.
func formCategory(t *testing.T, e *apptest.Env, code, name, group string, qs ...reports.Question) *reports.Category {
	t.Helper()
	c := &reports.Category{TenantID: e.Town.ID, Code: code, Name: name, Group: group, Active: true, Questions: qs,
		Description: "Description de " + name + "."}
	if err := reportsweb.Of(e.App.Kernel).Store.CreateCategory(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// demoAddress is the demo's address the tests report at.
func demoAddress(t *testing.T, e *apptest.Env) kernel.Address {
	t.Helper()
	found, err := e.App.Kernel.FindAddresses(context.Background(), e.Town.ID, urbanismweb.DemoAddress)
	if err != nil || len(found) != 1 {
		t.Fatalf("the demo address: %v, %v", found, err)
	}
	return found[0]
}

var (
	hiddenRE  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	checkedRE = regexp.MustCompile(`<input type="radio" id="[^"]*" name="(category)" value="([^"]*)" checked`)
)

// carried are the hidden fields of the form a page shows, and the
// category checked.
func carried(body string) url.Values {
	v := url.Values{}
	for _, re := range []*regexp.Regexp{hiddenRE, checkedRE} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
	}
	return v
}

// step sends the form of page with its hidden fields, changed by set,
// and files, as the browser would.
func step(b *apptest.Browser, page *apptest.Response, set url.Values, files ...apptest.File) *apptest.Response {
	v := carried(page.Body)
	for k, vs := range set {
		v[k] = vs
	}
	return b.PostFiles(reportsweb.NewPath, v, files...)
}

// hidden is the value of a hidden field of the page.
func hidden(page *apptest.Response, name string) string { return carried(page.Body).Get(name) }

// clickAt is the pixel of the form's map, at st's view, where pt is
// drawn: the map is drawn as reportsweb draws it, 320 pixels wide.
func clickAt(box orb.Bound, centre orb.Point, level int, pt orb.Point) (int, int) {
	proj := svgmap.New(svgmap.Zoom(box, centre, level), 320, svgmap.Options{MinHeight: 200 * 320 / 800, MaxHeight: 440 * 320 / 800})
	x, y := proj.XY(pt)
	return int(x), int(y)
}

func TestAGuestPlacesTheirReportByAddressAndConfirmsItFromTheirMailbox(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := reportsweb.Of(e.App.Kernel).Store
		cat := formCategory(t, e, "essai-banc", "Banc cassé", "Mobilier urbain",
			reports.Question{Code: "lattes", Label: "Combien de lattes manquent\u00a0?", Datatype: reports.TypeNumber, Required: true, Order: 1})
		addr := demoAddress(t, e)
		guest := e.Browser(e.Town)

		page := guest.Get(reportsweb.NewPath).Want(t, 200)
		page.WantBody(t, "Étape 1 sur 3", "Mobilier urbain", "Banc cassé", `aria-describedby="champ-category`,
			`<input type="image" name="map"`, `src="data:image/svg&#43;xml;base64,`, "niveau de zoom 0 sur")

		// Nothing chosen: both errors, tied to their fields.
		res := step(guest, page, url.Values{"action": {"next"}}).Want(t, 422)
		res.WantBody(t, `href="#champ-category"`, `id="champ-category-error"`, `href="#champ-position"`, `id="champ-position-error"`)

		// An address no one has, then several, then one picked.
		res = step(guest, page, url.Values{"category": {cat.ID}, "action": {"search"}, "where": {"99 impasse des Songes"}}).Want(t, 422)
		res.WantBody(t, "Aucune adresse ne correspond", `value="99 impasse des Songes"`, `value="`+cat.ID+`" checked`)
		res = step(guest, res, url.Values{"category": {cat.ID}, "action": {"search"}, "where": {"Grande Rue"}}).Want(t, 200)
		res.WantBody(t, "adresses trouvées", `name="address_id" value="`+addr.ID+`"`)
		res = step(guest, res, url.Values{"category": {cat.ID}, "action": {"pick"}, "where": {"Grande Rue"},
			"address_id": {addr.ID}}).Want(t, 200)
		res.WantBody(t, "Lieu choisi", addr.Label)
		if hidden(res, "address") != addr.Label || hidden(res, "lat") == "" {
			t.Fatalf("the place is not carried: %v", carried(res.Body))
		}

		// No open report around: straight to the description.
		res = step(guest, res, url.Values{"category": {cat.ID}, "action": {"next"}}).Want(t, 200)
		res.WantBody(t, "Étape 3 sur 3", "Banc cassé", addr.Label, `name="answer-lattes"`, "Combien de lattes manquent",
			`name="email"`, `class="default-action"`)

		// Errors keep what was typed.
		res = step(guest, res, url.Values{"action": {"send"}, "description": {"Cassé"}, "answer-lattes": {"trois"},
			"name": {"Jeanne Martin"}}).Want(t, 422)
		res.WantBody(t, `id="champ-description-error"`, `id="champ-email-error"`, `id="champ-answer-lattes-error"`,
			">Cassé</textarea>", `value="Jeanne Martin"`, "Erreur")

		// Back to the first step and on again: nothing is lost.
		res = step(guest, res, url.Values{"action": {"back"}, "description": {"Cassé en deux"}, "answer-lattes": {"trois"},
			"name": {"Jeanne Martin"}}).Want(t, 200)
		res.WantBody(t, "Étape 1 sur 3", "Lieu choisi")
		if got := carried(res.Body); got.Get("description") != "Cassé en deux" || got.Get("name") != "Jeanne Martin" ||
			got.Get("answer-lattes") != "trois" {
			t.Fatalf("the first step dropped the description's fields: %v", got)
		}
		res = step(guest, res, url.Values{"category": {cat.ID}, "action": {"next"}}).Want(t, 200)
		res.WantBody(t, ">Cassé en deux</textarea>", `value="trois"`)

		const email = "jeanne.martin@exemple.fr"
		sent := step(guest, res, url.Values{"action": {"send"}, "description": {"Le banc devant le numéro 1 est cassé en deux."},
			"answer-lattes": {"3"}, "email": {email}})
		sent.WantRedirect(t, reportsweb.SentPath)
		guest.Get(sent.Location).Want(t, 200).WantBody(t, "Vérifiez votre messagerie")

		// The link in the mail confirms it, placed at the address chosen.
		link := e.Mail.WaitFor(t, email, 20*time.Second).Link(reports.ConfirmPrefix)
		if link == "" {
			t.Fatal("no confirmation link in the mail")
		}
		token := link[strings.Index(link, reports.ConfirmPrefix)+len(reports.ConfirmPrefix):]
		r, err := store.Confirm(ctx, e.Town.ID, token)
		if err != nil {
			t.Fatal(err)
		}
		if r.CategoryID != cat.ID || r.Address != addr.Label || r.Contact.Email != email || r.Answers["lattes"][0] != "3" ||
			reports.Distance(r.Lat, r.Lon, addr.Point.Lat(), addr.Point.Lon()) > 1 {
			t.Errorf("the report filed: %+v", r)
		}
	}, apptest.WithDemoData(), apptest.WithMail())
}

func TestTheMapZoomsInByLevelsAroundTheClickThenChoosesThePlace(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		cat := formCategory(t, e, "essai-lampe", "Lampe grillée", "Éclairage")
		addr := demoAddress(t, e)
		box, ok, err := e.App.Kernel.TerritoryBound(context.Background(), e.Town.ID)
		if err != nil || !ok {
			t.Fatalf("the town has no territory: %v", err)
		}
		deepest := svgmap.MaxLevel(box)
		if deepest < 2 {
			t.Fatalf("the demo territory has %d levels", deepest)
		}
		b := e.Browser(e.Town)
		page := b.Get(reportsweb.NewPath).Want(t, 200)
		page = step(b, page, url.Values{"category": {cat.ID}})

		// Pressed from the keyboard, the map says to search instead.
		res := step(b, page, url.Values{"map.x": {"0"}, "map.y": {"0"}}).Want(t, 200)
		res.WantBody(t, "Au clavier, cherchez plutôt")
		if hidden(res, "niveau") != "0" {
			t.Fatalf("a key press zoomed in: %v", carried(res.Body))
		}

		// Each click zooms in around the place clicked.
		centre := box.Center()
		for level := 0; level < deepest; level++ {
			x, y := clickAt(box, centre, level, addr.Point)
			res = step(b, res, url.Values{"map.x": {strconv.Itoa(x)}, "map.y": {strconv.Itoa(y)}}).Want(t, 200)
			if got := hidden(res, "niveau"); got != strconv.Itoa(level+1) {
				t.Fatalf("after a click at level %d: level %s", level, got)
			}
			if hidden(res, "lat") != "" {
				t.Fatalf("a click at level %d chose the place", level)
			}
			lat, _ := strconv.ParseFloat(hidden(res, "clat"), 64)
			lon, _ := strconv.ParseFloat(hidden(res, "clon"), 64)
			centre = orb.Point{lon, lat}
			if d := reports.Distance(lat, lon, addr.Point.Lat(), addr.Point.Lon()); d > 20*float64(int(1)<<(deepest-level)) {
				t.Fatalf("level %d: the view's centre is %.0f m from the place clicked", level+1, d)
			}
		}
		res.WantBody(t, "Carte au plus près", "Éloigner la vue")

		// Zoomed out, then in again.
		out := step(b, res, url.Values{"action": {"zoomout"}}).Want(t, 200)
		if got := hidden(out, "niveau"); got != strconv.Itoa(deepest-1) {
			t.Fatalf("zoomed out to level %s", got)
		}

		// At the deepest level, the click chooses the place, named by the
		// nearest address, shown as a pin.
		x, y := clickAt(box, centre, deepest, addr.Point)
		res = step(b, res, url.Values{"map.x": {strconv.Itoa(x)}, "map.y": {strconv.Itoa(y)}}).Want(t, 200)
		lat, _ := strconv.ParseFloat(hidden(res, "lat"), 64)
		lon, _ := strconv.ParseFloat(hidden(res, "lon"), 64)
		if d := reports.Distance(lat, lon, addr.Point.Lat(), addr.Point.Lon()); d > 5 {
			t.Fatalf("the place chosen is %.1f m from the one clicked", d)
		}
		if hidden(res, "address") == "" {
			t.Errorf("the place clicked has no address: %v", carried(res.Body))
		}
		res.WantBody(t, "Lieu choisi", hidden(res, "address"))
		res = step(b, res, url.Values{"action": {"next"}}).Want(t, 200)
		res.WantBody(t, "Étape 3 sur 3", "Lampe grillée")
	}, apptest.WithDemoData())
}

func TestAPhotoWithAPositionPlacesTheReportAndStaysThroughErrors(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := reportsweb.Of(e.App.Kernel).Store
		cat := formCategory(t, e, "essai-tag", "Tag sur un mur", "Propreté")
		addr := demoAddress(t, e)
		e.Resident(e.Town, "lucie.petit@exemple.fr", "Lucie Petit")
		b := e.Browser(e.Town)
		b.SignIn(t, "lucie.petit@exemple.fr", apptest.Password)

		// A photo taken outside the territory: its place is refused.
		page := b.Get(reportsweb.NewPath).Want(t, 200)
		paris := phototest.JPEGWithGPS(48.8566, 2.3522, 1)
		res := step(b, page, url.Values{"category": {cat.ID}, "action": {"photo"}},
			apptest.File{Field: "photo", Name: "paris.jpg", Body: paris}).Want(t, 200)
		res.WantBody(t, "Placer le signalement où la photo a été prise")
		res = step(b, res, url.Values{"category": {cat.ID}, "action": {"photo-place"}}).Want(t, 422)
		res.WantBody(t, "en dehors du territoire")

		// Removed, and one taken at the address sent instead: its thumbnail
		// is shown, without metadata, and its place proposed.
		first := hidden(res, "staged")
		photo := phototest.JPEGWithGPS(addr.Point.Lat(), addr.Point.Lon(), 1)
		res = step(b, res, url.Values{"category": {cat.ID}, "action": {"photo"}, "remove": {first}},
			apptest.File{Field: "photo", Name: "mur.jpg", Body: photo}).Want(t, 200)
		token := hidden(res, "staged")
		if token == "" || token == first || len(carried(res.Body)["staged"]) != 1 {
			t.Fatalf("staged photos: %v", carried(res.Body)["staged"])
		}
		res.WantBody(t, `src="`+reportsweb.StagedPhotoPath(token)+`"`, "Photo jointe n° 1")
		thumb := b.Get(reportsweb.StagedPhotoPath(token)).Want(t, 200)
		if thumb.Header.Get("Content-Type") != "image/jpeg" || phototest.HasEXIF([]byte(thumb.Body)) {
			t.Errorf("the thumbnail: %s, EXIF %v", thumb.Header.Get("Content-Type"), phototest.HasEXIF([]byte(thumb.Body)))
		}
		res = step(b, res, url.Values{"category": {cat.ID}, "action": {"photo-place"}}).Want(t, 200)
		res.WantBody(t, "Lieu choisi", addr.Label)

		// Errors at the last step keep the photo; the resident's address
		// is their account's.
		res = step(b, res, url.Values{"category": {cat.ID}, "action": {"next"}}).Want(t, 200)
		res.WantBody(t, "Étape 3 sur 3", `value="Lucie Petit"`, "lucie.petit@exemple.fr", reportsweb.StagedPhotoPath(token))
		if strings.Contains(res.Body, `id="champ-email"`) {
			t.Error("a signed-in resident is asked for an address")
		}
		res = step(b, res, url.Values{"action": {"send"}, "description": {"Court"}}).Want(t, 422)
		res.WantBody(t, `id="champ-description-error"`, reportsweb.StagedPhotoPath(token))
		if hidden(res, "staged") != token {
			t.Fatalf("the error dropped the photo: %v", carried(res.Body))
		}

		// Sent: trusted, the report is public at once with its photo, whose
		// bytes carry no metadata.
		sent := step(b, res, url.Values{"action": {"send"}, "description": {"Un grand tag sur le mur de l'école."}})
		sent.WantRedirect(t, reports.BasePath+"/")
		id := strings.TrimPrefix(sent.Location, reports.BasePath+"/")
		detail, err := store.PublicReport(ctx, e.Town.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(detail.Photos) != 1 || !detail.Photos[0].HasPosition || detail.Address != addr.Label {
			t.Fatalf("the report: %+v, photos %+v", detail.Report, detail.Photos)
		}
		_, body, err := store.OpenPhoto(ctx, e.Town.ID, id, detail.Photos[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(body)
		body.Close()
		if phototest.HasEXIF(raw) {
			t.Error("the published photo carries EXIF")
		}
		// The staged photo went with the report.
		b.Get(reportsweb.StagedPhotoPath(token)).Want(t, 404)
	}, apptest.WithDemoData())
}

func TestOpenReportsNearbyAreShownBeforeANewOne(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := reportsweb.Of(e.App.Kernel).Store
		cat := formCategory(t, e, "essai-trou", "Trou dans la chaussée", "Voirie")
		other := formCategory(t, e, "essai-poubelle", "Poubelle pleine", "Propreté")
		addr := demoAddress(t, e)
		u := e.Resident(e.Town, "marc.roux@exemple.fr", "Marc Roux")
		description := "Un trou profond de vingt centimètres s'est formé devant le numéro 1, " + strings.Repeat("il grandit chaque jour ", 10)
		r, _, err := store.Submit(ctx, e.Town.ID, reports.Draft{CategoryID: cat.ID, Lat: addr.Point.Lat(), Lon: addr.Point.Lon() + 0.0003,
			Address: addr.Label, Description: description, AccountID: u.ID, EmailVerified: true,
			Contact: reports.Contact{Email: "marc.roux@exemple.fr"}, Lang: "fr"})
		if err != nil {
			t.Fatal(err)
		}

		placed := func(b *apptest.Browser, c *reports.Category) *apptest.Response {
			page := b.Get(reportsweb.NewPath).Want(t, 200)
			return step(b, page, url.Values{"category": {c.ID}, "action": {"search"}, "where": {urbanismweb.DemoAddress}}).Want(t, 200)
		}
		guest := e.Browser(e.Town)
		res := step(guest, placed(guest, cat), url.Values{"action": {"next"}}).Want(t, 200)
		res.WantBody(t, "Étape 2 sur 3", "déjà été signalé", r.Reference, `href="`+r.Path()+`"`, "report-status--new",
			fmt.Sprintf("à %d m", int(reports.Distance(addr.Point.Lat(), addr.Point.Lon(), r.Lat, r.Lon)+0.5)),
			`action="`+r.Path()+`/suivre"`, `name="email"`, "Suivre ce signalement", "…</p>")
		if strings.Contains(res.Body, "marc.roux") || strings.Contains(res.Body, html.EscapeString(description)) {
			t.Error("the nearby list shows its author, or the whole description")
		}
		res = step(guest, res, url.Values{"action": {"new"}}).Want(t, 200)
		res.WantBody(t, "Étape 3 sur 3", "Trou dans la chaussée")

		// Signed in, following needs no address; another category has
		// nothing around.
		e.Resident(e.Town, "ines.blanc@exemple.fr", "Inès Blanc")
		resident := e.Browser(e.Town)
		resident.SignIn(t, "ines.blanc@exemple.fr", apptest.Password)
		res = step(resident, placed(resident, cat), url.Values{"action": {"next"}}).Want(t, 200)
		res.WantBody(t, "Étape 2 sur 3", `action="`+r.Path()+`/suivre"`)
		if strings.Contains(res.Body, `name="email"`) {
			t.Error("a signed-in resident is asked for an address to follow")
		}
		step(resident, placed(resident, other), url.Values{"action": {"next"}}).Want(t, 200).WantBody(t, "Étape 3 sur 3")
	}, apptest.WithDemoData())
}

// TestTheFormRefusesWhatIsNotTheTowns: a category the collectivité does
// not have, a token it did not stage, too many photos.
func TestTheFormRefusesWhatIsNotTheTowns(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		cat := formCategory(t, e, "essai-arbre", "Arbre tombé", "Espaces verts")
		b := e.Browser(e.Town)
		page := b.Get(reportsweb.NewPath).Want(t, 200)
		res := step(b, page, url.Values{"category": {cat.ID}, "action": {"photo"}},
			apptest.File{Field: "photo", Name: "a.jpg", Body: phototest.JPEGWithGPS(46.58, 0.34, 1)},
			apptest.File{Field: "photo", Name: "b.jpg", Body: phototest.JPEGWithGPS(46.58, 0.34, 1)},
			apptest.File{Field: "photo", Name: "c.jpg", Body: phototest.JPEGWithGPS(46.58, 0.34, 1)},
			apptest.File{Field: "photo", Name: "d.jpg", Body: phototest.JPEGWithGPS(46.58, 0.34, 1)}).Want(t, 422)
		res.WantBody(t, "nombre maximal de photos")
		if n := len(carried(res.Body)["staged"]); n != reports.MaxPhotos {
			t.Fatalf("%d photos staged", n)
		}
		// Not a photo: refused on its field.
		res = step(b, page, url.Values{"category": {cat.ID}, "action": {"photo"}},
			apptest.File{Field: "photo", Name: "note.txt", Body: []byte("pas une image")}).Want(t, 422)
		res.WantBody(t, `id="champ-photo-error"`)
		// A made-up token is dropped with a word; a thumbnail of none is
		// not found.
		res = step(b, page, url.Values{"category": {cat.ID}, "staged": {"AAAAAAAAAAAAAAAAAAAAAA"}}).Want(t, 422)
		res.WantBody(t, "plus disponible")
		b.Get(reportsweb.StagedPhotoPath("AAAAAAAAAAAAAAAAAAAAAA")).Want(t, http.StatusNotFound)
		// The village's form knows no town category.
		village := e.Browser(e.Village)
		res = village.PostFiles(reportsweb.NewPath, url.Values{"etape": {"3"}, "category": {cat.ID}, "action": {"send"},
			"lat": {"46.58"}, "lon": {"0.34"}, "description": {"Un arbre barre le chemin."}, "email": {"a@exemple.fr"}}).Want(t, 422)
		if strings.Contains(res.Body, "Arbre tombé") {
			t.Error("the village's form names the town's category")
		}
	}, apptest.WithDemoData())
}
