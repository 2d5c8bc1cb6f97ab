package reports_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/files"
	"guichet/internal/publishing"
)

// TestGuestReportWaitsForItsLink: a guest's report is numbered but
// neither public nor routed until its author confirms it; the link's
// page changes nothing; confirming routes it to the contractor (without
// the author's contact), acknowledges it with its reference and secret
// link, and alerts the areas around; a second use is told so.
func TestGuestReportWaitsForItsLink(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "voirie@entreprise.example",
			reports.Question{Code: "profondeur", Label: "Profondeur (cm)", Datatype: reports.TypeNumber})
		d := draft(c, 0, "Camille@Exemple.fr")
		d.Answers = reports.Answers{"profondeur": {"12"}}
		d.Photos = []reports.PhotoUpload{photo("premier"), photo("second")}
		r, token := e.submit(e.town, d)
		year := e.clock().In(paris).Year()
		if r.Reference != fmt.Sprintf("SIG-%d-000001", year) || r.Confirmed() || token == "" || r.Contact.Email != "camille@exemple.fr" {
			t.Fatalf("submitted: %+v, token %q", r, token)
		}
		mails := e.out.take()
		if len(mails) != 1 || mails[0].To != "camille@exemple.fr" || mails[0].Template != "reports/report_confirm" ||
			linkToken(t, mails[0].Text, "https://ville.example"+reports.ConfirmPrefix) != token ||
			strings.Contains(mails[0].Text, d.Description) {
			t.Fatalf("confirmation mail: %+v", mails)
		}
		// Not public, not near, not in the queue.
		if _, err := e.s.PublicReport(e.ctx, e.town, r.ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("unconfirmed report public: %v", err)
		}
		if near, _ := e.s.Nearby(e.ctx, e.town, c.ID, d.Lat, d.Lon, 100, 10); len(near) != 0 {
			t.Errorf("unconfirmed report near: %v", near)
		}
		if q, _, _ := e.s.Queue(e.ctx, e.town, reports.QueueFilter{Scope: reports.Scope{All: true}}); len(q) != 0 {
			t.Errorf("unconfirmed report queued: %v", q)
		}
		e.alert("voisin@exemple.fr", 0, 300, "")
		e.alert("loin@exemple.fr", 900, 300, "")
		// The link's page shows the report and changes nothing.
		e.advance(time.Hour)
		for range 2 {
			shown, err := e.s.ReportByLink(e.ctx, e.town, token)
			if err != nil || shown.ID != r.ID || shown.Confirmed() {
				t.Fatalf("by link: %+v, %v", shown, err)
			}
		}
		if len(e.out.take()) != 0 {
			t.Fatal("opening the link mailed someone")
		}
		got, err := e.s.Confirm(e.ctx, e.town, token)
		if err != nil || !got.Confirmed() || !got.ConfirmedAt.Equal(e.clock()) {
			t.Fatalf("confirm: %+v, %v", got, err)
		}
		mails = e.out.take()
		contractor := mailsTo(mails, "voirie@entreprise.example", "report_contractor")
		if len(contractor) != 1 {
			t.Fatalf("contractor's mails: %+v", mails)
		}
		text := contractor[0].Text
		for _, want := range []string{r.Reference, c.Name, "12 rue des Écoles", d.Description, "Profondeur (cm)\u00a0: 12",
			reports.OSMLink(d.Lat, d.Lon), "https://ville.example" + r.Path(), "/photos/"} {
			if !strings.Contains(text, want) {
				t.Errorf("the contractor's mail lacks %q:\n%s", want, text)
			}
		}
		for _, secret := range []string{"camille", "Camille", "05 49"} {
			if strings.Contains(text, secret) {
				t.Errorf("the contractor's mail gives the author's contact %q", secret)
			}
		}
		if strings.Count(text, "/photos/") != 2 {
			t.Errorf("the contractor's mail links %d photos:\n%s", strings.Count(text, "/photos/"), text)
		}
		ack := mailsTo(mails, "camille@exemple.fr", "report_received")
		if len(ack) != 1 || !strings.Contains(ack[0].Subject, r.Reference) {
			t.Fatalf("acknowledgement: %+v", mails)
		}
		manage := linkToken(t, ack[0].Text, "https://ville.example"+reports.ManagePrefix)
		if mine, err := e.s.ReportByManageLink(e.ctx, e.town, manage); err != nil || mine.ID != r.ID || mine.Contact.Email == "" {
			t.Errorf("the secret link: %+v, %v", mine, err)
		}
		alerts := mailsTo(mails, "voisin@exemple.fr", "area_alert")
		if len(alerts) != 1 || !strings.HasPrefix(alerts[0].Unsubscribe, "https://ville.example"+reports.AlertUnsubscribePrefix) ||
			len(mailsTo(mails, "loin@exemple.fr", "area_alert")) != 0 || len(mails) != 3 {
			t.Errorf("mails on confirmation: %+v", mails)
		}
		if _, err := e.s.Confirm(e.ctx, e.town, token); !errors.Is(err, reports.ErrAlreadyConfirmed) {
			t.Errorf("second confirmation: %v", err)
		}
		if shown, err := e.s.ReportByLink(e.ctx, e.town, token); err != nil || !shown.Confirmed() {
			t.Errorf("the link once used: %+v, %v", shown, err)
		}
		pub, err := e.s.PublicReport(e.ctx, e.town, r.ID)
		if err != nil || pub.Contact != (reports.Contact{}) || pub.AccountID != "" || len(pub.Photos) != 2 ||
			len(pub.Updates) != 1 || pub.Updates[0].By != reports.ReporterName || pub.Category.ID != c.ID {
			t.Errorf("public report: %+v, %v", pub, err)
		}
		if len(e.out.take()) != 0 {
			t.Error("mails after a refused confirmation")
		}
	})
}

// alert subscribes addr and confirms it: metres north of the centre,
// within radius, of category (or any).
func (e *env) alert(addr string, metres float64, radius int, category string) {
	e.t.Helper()
	lat, lon := north(metres)
	token, err := e.s.SubscribeArea(e.ctx, e.town, reports.AreaAlert{Email: addr, Lat: lat, Lon: lon, Radius: radius,
		CategoryID: category, Lang: "fr"})
	if err != nil {
		e.t.Fatal(err, guichet.FieldErrors(err))
	}
	if err := e.s.ConfirmAreaAlert(e.ctx, e.town, token); err != nil {
		e.t.Fatal(err)
	}
	e.out.take()
}

// TestConfirmationLinks: a link expires after its week, and works only
// in its own collectivité.
func TestConfirmationLinks(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "proprete-depot", "technique", "")
		_, late := e.submit(e.town, draft(c, 0, "a@exemple.fr"))
		e.advance(publishing.ConfirmWithin)
		_, token := e.submit(e.town, draft(c, 0, "b@exemple.fr"))
		for name, tc := range map[string]struct{ tenant, token string }{
			"expired": {e.town, late}, "other collectivité": {e.vill, token}, "unknown": {e.town, "pas-un-jeton"}, "empty": {e.town, ""}} {
			if _, err := e.s.ReportByLink(e.ctx, tc.tenant, tc.token); !errors.Is(err, reports.ErrLinkInvalid) {
				t.Errorf("%s: by link %v", name, err)
			}
			if _, err := e.s.Confirm(e.ctx, tc.tenant, tc.token); !errors.Is(err, reports.ErrLinkInvalid) {
				t.Errorf("%s: confirm %v", name, err)
			}
		}
		if _, err := e.s.Confirm(e.ctx, e.town, token); err != nil {
			t.Fatal(err)
		}
	})
}

// TestTrustedReportsAreConfirmedAtOnce: an account with a proven address
// and an Open311 client need no link; an unproven account does, and a
// revoked key is refused.
func TestTrustedReportsAreConfirmedAtOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "eclairage-panne", "technique", "")
		d := draft(c, 0, "compte@exemple.fr")
		d.AccountID, d.EmailVerified, d.Lang = "u-1", true, "en"
		r, token := e.submit(e.town, d)
		if token != "" || !r.Confirmed() || r.Source != reports.SourceWeb || r.Lang != "en" {
			t.Fatalf("verified account: %+v, %q", r, token)
		}
		ack := mailsTo(e.out.take(), "compte@exemple.fr", "report_received")
		if len(ack) != 1 || ack[0].Lang != "en" || !strings.HasPrefix(ack[0].Subject, "Report SIG-") {
			t.Errorf("acknowledgement: %+v", ack)
		}
		d.EmailVerified = false
		if r, token := e.submit(e.town, d); token == "" || r.Confirmed() {
			t.Errorf("unverified account: %+v, %q", r, token)
		}
		e.out.take()
		key, _, err := e.s.CreateKey(e.ctx, e.town, "Application Ma Ville")
		if err != nil {
			t.Fatal(err)
		}
		d = draft(c, 0, "")
		d.APIKeyID = key.ID
		if r, token := e.submit(e.town, d); token != "" || !r.Confirmed() || r.Source != reports.SourceOpen311 || r.APIKeyID != key.ID {
			t.Errorf("Open311: %+v, %q", r, token)
		}
		if len(e.out.take()) != 0 {
			t.Error("a report without address mailed someone")
		}
		if err := e.s.RevokeKey(e.ctx, e.town, key.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.Submit(e.ctx, e.town, d); guichet.FieldErrors(err)["api_key"] == "" {
			t.Errorf("a revoked key: %v", err)
		}
		if _, _, err := e.s.Submit(e.ctx, e.vill, d); code(err) != guichet.EInvalid {
			t.Errorf("another collectivité's key: %v", err)
		}
	})
}

// TestSubmitChecksEverything: each wrong field is named with a French
// message, and nothing is stored.
func TestSubmitChecksEverything(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "eclairage-panne", "technique", "",
			reports.Question{Code: "etat", Label: "État", Datatype: reports.TypeSingle, Required: true,
				Values: []reports.Choice{{Key: "eteint", Name: "Éteint"}}})
		off := e.category(e.town, "ancienne", "technique", "")
		if err := e.s.DeactivateCategory(e.ctx, e.town, off.ID); err != nil {
			t.Fatal(err)
		}
		other := e.category(e.vill, "eclairage-panne", "", "")
		ok := draft(c, 0, "camille@exemple.fr")
		ok.Answers = reports.Answers{"etat": {"eteint"}}
		for _, tc := range []struct {
			field string
			mod   func(*reports.Draft)
		}{
			{"category", func(d *reports.Draft) { d.CategoryID = off.ID }},
			{"category", func(d *reports.Draft) { d.CategoryID = other.ID }},
			{"category", func(d *reports.Draft) { d.CategoryID = "" }},
			{"position", func(d *reports.Draft) { d.Lat, d.Lon = d.Lon, d.Lat }},
			{"position", func(d *reports.Draft) { d.Lat, d.Lon = 0, 0 }},
			{"description", func(d *reports.Draft) { d.Description = " Trou. " }},
			{"description", func(d *reports.Draft) { d.Description = strings.Repeat("é", 5001) }},
			{"email", func(d *reports.Draft) { d.Contact.Email = "" }},
			{"email", func(d *reports.Draft) { d.Contact.Email = "pas une adresse" }},
			{"phone", func(d *reports.Draft) { d.Contact.Phone = "appelez-moi" }},
			{reports.AnswerField("etat"), func(d *reports.Draft) { d.Answers = nil }},
			{"photos", func(d *reports.Draft) {
				d.Photos = []reports.PhotoUpload{{ContentType: "image/gif", Width: 1, Height: 1}}
			}},
			{"photos", func(d *reports.Draft) {
				d.Photos = []reports.PhotoUpload{photo("1"), photo("2"), photo("3"), photo("4")}
			}},
		} {
			d := ok
			tc.mod(&d)
			_, _, err := e.s.Submit(e.ctx, e.town, d)
			if f := guichet.FieldErrors(err); f[tc.field] == "" || len(f) != 1 {
				t.Errorf("%s: %v", tc.field, err)
			}
		}
		var n int
		if err := e.d.QueryRow(e.ctx, `SELECT COUNT(*) FROM reports`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d reports stored (%v)", n, err)
		}
		if r, _ := e.submit(e.town, ok); r.Answers["etat"][0] != "eteint" {
			t.Errorf("answers %v", r.Answers)
		}
	})
}

// TestReferencesNeverRepeat: reports sent at once take each its own
// number, per collectivité and per year of the collectivité's calendar.
func TestReferencesNeverRepeat(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.set(time.Date(2026, 12, 31, 22, 0, 0, 0, time.UTC)) // 23:00 in Paris
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		v := e.category(e.vill, "voirie-nid-de-poule", "technique", "")
		var mu sync.Mutex
		var refs []string
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Go(func() {
				r, _, err := e.s.Submit(e.ctx, e.town, draft(c, float64(i), fmt.Sprintf("p%d@exemple.fr", i)))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				refs = append(refs, r.Reference)
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.Sort(refs)
		for i, ref := range refs {
			if want := fmt.Sprintf("SIG-2026-%06d", i+1); ref != want {
				t.Errorf("reference %d: %s, want %s", i, ref, want)
			}
		}
		if r, _ := e.submit(e.vill, draft(v, 0, "v@exemple.fr")); r.Reference != "SIG-2026-000001" {
			t.Errorf("the village's first: %s", r.Reference)
		}
		e.advance(time.Hour) // midnight in Paris, still 2026 in UTC
		if r, _ := e.submit(e.town, draft(c, 0, "n@exemple.fr")); r.Reference != "SIG-2027-000001" {
			t.Errorf("the new year's first: %s", r.Reference)
		}
	})
}

// TestPhotos: stored in the files, served for a confirmed report only,
// counted against the quota and listed for the backup; a position the
// camera put outside France is dropped; a full quota refuses them.
func TestPhotos(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "graffiti", "technique", "")
		d := draft(c, 0, "camille@exemple.fr")
		located, wrong := photo("avec position"), photo("position fausse")
		located.Lat, located.Lon, located.HasPosition = centreLat, centreLon, true
		wrong.Lat, wrong.Lon, wrong.HasPosition = 0, 0, true
		d.Photos = []reports.PhotoUpload{located, wrong}
		r, token := e.submit(e.town, d)
		detail := func() *reports.Detail {
			t.Helper()
			dt, err := e.s.StaffReport(e.ctx, e.town, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			return dt
		}
		if _, err := e.s.StaffReport(e.ctx, e.town, r.ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("staff read an unconfirmed report: %v", err)
		}
		if _, err := e.s.Confirm(e.ctx, e.town, token); err != nil {
			t.Fatal(err)
		}
		ps := detail().Photos
		if len(ps) != 2 || !ps[0].HasPosition || ps[1].HasPosition || ps[0].Width != 640 || ps[0].Size != int64(len("avec position")) {
			t.Fatalf("photos: %+v", ps)
		}
		p, body, err := e.s.OpenPhoto(e.ctx, e.town, r.ID, ps[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(body)
		body.Close()
		if string(b) != "position fausse" || p.ContentType != "image/jpeg" || p.Path() != reports.PhotoPath(r.ID, ps[1].ID) {
			t.Errorf("photo %+v: %q", p, b)
		}
		if _, _, err := e.s.OpenPhoto(e.ctx, e.vill, r.ID, ps[1].ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village opens the town's photo: %v", err)
		}
		used, err := e.s.StorageUsed(e.ctx, e.town)
		keys, kerr := e.s.FileKeys(e.ctx, e.d, e.town)
		if err != nil || kerr != nil || used != int64(len("avec position")+len("position fausse")) || len(keys) != 2 {
			t.Errorf("used %d (%v), keys %v (%v)", used, err, keys, kerr)
		}
		if err := e.s.DeletePhoto(e.ctx, e.vill, r.ID, ps[0].ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village deleted the town's photo: %v", err)
		}
		if err := e.s.DeletePhoto(e.ctx, e.town, r.ID, ps[0].ID); err != nil {
			t.Fatal(err)
		}
		gone := 0
		for _, k := range keys {
			if _, err := e.s.Files.Size(e.ctx, k); errors.Is(err, files.ErrNotFound) {
				gone++
			}
		}
		if gone != 1 {
			t.Errorf("%d of the photos' files gone", gone)
		}
		if left := detail().Photos; len(left) != 1 || left[0].ID != ps[1].ID {
			t.Errorf("photos after deleting one: %+v", left)
		}
		if _, _, err := e.s.OpenPhoto(e.ctx, e.town, r.ID, ps[0].ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("a deleted photo is served: %v", err)
		}
		if used, _ := e.s.StorageUsed(e.ctx, e.town); used != int64(len("position fausse")) {
			t.Errorf("used after deleting: %d", used)
		}
		full := guichet.Errorf(guichet.ETooLarge, "L'espace de stockage est plein.")
		e.s.CheckStorage = func(_ context.Context, tenantID string) error { return full }
		pending := draft(c, 0, "autre@exemple.fr")
		pending.Photos = []reports.PhotoUpload{photo("refusée")}
		if _, _, err := e.s.Submit(e.ctx, e.town, pending); !errors.Is(err, full) {
			t.Errorf("a full quota: %v", err)
		}
		e.s.CheckStorage = nil
		waiting, _ := e.submit(e.town, pending)
		var id string
		if err := e.d.QueryRow(e.ctx, `SELECT id FROM report_photos WHERE report_id = ?`, waiting.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.OpenPhoto(e.ctx, e.town, waiting.ID, id); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("a photo of an unconfirmed report is served: %v", err)
		}
	})
}
