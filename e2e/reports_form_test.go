package e2e

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/photo/phototest"
	"guichet/internal/capability/reports/reportsweb"
	"guichet/internal/capability/urbanism/urbanismweb"
	"guichet/internal/kernel/svgmap"
)

// TestReportAProblemInBrowser: a resident without an account reports a
// problem in Chromium with a photo taken on the spot: the form proposes
// the place the photo's EXIF gives, the report is sent, confirmed from
// the mailbox, and the photo its page publishes carries no metadata.
// Every step of the form has no axe violation, fits 320 px and passes
// the Nu HTML Checker.
func TestReportAProblemInBrowser(t *testing.T) {
	needBrowser(t)
	srv := startMailServer(t)
	s := newStory(t, "montclair")
	ctx := context.Background()
	town, err := srv.app.Tenants.BySlug(ctx, "montclair")
	if err != nil {
		t.Fatal(err)
	}
	cat := &reports.Category{TenantID: town.ID, Code: "essai-navigateur", Name: "Banc public abîmé", Group: "Mobilier urbain",
		Description: "Banc cassé, tagué ou descellé.", Active: true}
	if err := reportsweb.Of(srv.app.Kernel).Store.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	found, err := srv.app.Kernel.FindAddresses(ctx, town.ID, urbanismweb.DemoAddress)
	if err != nil || len(found) != 1 {
		t.Fatalf("the demo address: %v %v", found, err)
	}
	addr := found[0]
	photo := filepath.Join(t.TempDir(), "banc.jpg")
	if err := os.WriteFile(photo, phototest.JPEGWithGPS(addr.Point.Lat(), addr.Point.Lon(), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	const email = "camille.durand@exemple.fr"

	res := newTab(t, true)
	if _, err := res.open(srv.url(reportsweb.NewPath)); err != nil {
		t.Fatal(err)
	}
	wantText(t, res, "Étape 1 sur 3", "Mobilier urbain", "Banc public abîmé")
	s.check(res, "signaler : catégorie et lieu")

	// The photo sent first: its thumbnail is shown, its place proposed.
	upload(t, res, "photo", photo)
	fill(t, res, map[string]string{"category": cat.ID}, `button[value=photo]`)
	wantText(t, res, "Une photo jointe indique où elle a été prise")
	if n, err := eval[int](res, `document.querySelectorAll('img[src^="/signalements/nouveau/photos/"]').length`); err != nil || n != 1 {
		t.Fatalf("%d thumbnails shown: %v", n, err)
	}
	s.check(res, "signaler : photo jointe")
	fill(t, res, nil, `button[value=photo-place]`)
	wantText(t, res, "Lieu choisi", addr.Label)
	s.check(res, "signaler : lieu de la photo")

	// Zoomed out, the map zooms in again where it is clicked.
	box, _, err := srv.app.Kernel.TerritoryBound(ctx, town.ID)
	if err != nil {
		t.Fatal(err)
	}
	deepest := strconv.Itoa(svgmap.MaxLevel(box))
	fill(t, res, nil, `button[value=zoomout]`)
	wantText(t, res, "niveau de zoom")
	s.check(res, "signaler : carte")
	if err := res.do(chromedp.Click(chromedp.CSS(`input[name=map]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, res, "the deepest view", `document.readyState === 'complete' && (document.querySelector('input[name=niveau]') || {}).value === `+
		strconv.Quote(deepest), 10*time.Second)
	wantText(t, res, "Carte au plus près", "Lieu choisi", addr.Label)

	fill(t, res, nil, `button[value=next]`)
	wantText(t, res, "Étape 3 sur 3", "Banc public abîmé", addr.Label)
	s.check(res, "signaler : description")

	// Sent without a description: refused on its field, the photo kept.
	fill(t, res, map[string]string{"email": email}, `.actions button[value=send]`)
	wantText(t, res, "Décrivez le problème")
	if n, err := eval[int](res, `document.querySelectorAll('img[src^="/signalements/nouveau/photos/"]').length`); err != nil || n != 1 {
		t.Fatalf("the error lost the photo: %d, %v", n, err)
	}
	s.check(res, "signaler : erreur")
	fill(t, res, map[string]string{"description": "Deux lattes du banc sont cassées, on ne peut plus s'y asseoir."},
		`.actions button[value=send]`)
	wantText(t, res, "Vérifiez votre messagerie")
	s.check(res, "signaler : envoyé")

	// Confirmed from the mailbox, the report is public at the address.
	link := srv.mail.WaitFor(t, email, 30*time.Second).Link(reports.ConfirmPrefix)
	if link == "" {
		t.Fatal("no confirmation link")
	}
	// The mail names the site without the test server's port.
	if _, err := res.open(srv.url(link[strings.Index(link, reports.ConfirmPrefix):])); err != nil {
		t.Fatal(err)
	}
	fill(t, res, nil, `main form button[type=submit]`)
	r, _, err := reportsweb.Of(srv.app.Kernel).Store.PublicList(ctx, town.ID, reports.PublicFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	reportID := ""
	for _, x := range r {
		if x.CategoryID == cat.ID {
			reportID = x.ID
		}
	}
	if reportID == "" {
		t.Fatalf("the report is not public: %v", reportID)
	}
	if _, err := res.open(srv.url(reports.ReportPath(reportID))); err != nil {
		t.Fatal(err)
	}
	wantText(t, res, addr.Label, "Deux lattes du banc sont cassées")

	// The photo the page links to is served without metadata.
	src, err := eval[string](res, `(document.querySelector('a[href*="/photos/"]') || {}).href || (document.querySelector('img[src*="/photos/"]') || {}).src || ''`)
	if err != nil || src == "" {
		t.Fatalf("the report's page shows no photo: %q %v", src, err)
	}
	b64, err := eval[string](res, `fetch(`+strconv.Quote(src)+`).then(r => r.arrayBuffer()).then(b => {
		const u = new Uint8Array(b); let s = '';
		for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
		return btoa(s); })`, chromedp.EvalAwaitPromise)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) < 100 {
		t.Fatalf("the photo: %d bytes, %v", len(raw), err)
	}
	if phototest.HasEXIF(raw) {
		t.Error("the published photo carries EXIF")
	}
	s.finish()
}
