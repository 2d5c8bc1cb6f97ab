package reports_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/reports"
	"guichet/internal/identity/account"
)

// TestExportAndErase: a person's export holds their reports, follows and
// alerts, found by account and by proven address; erasing them keeps
// their confirmed reports public without anything of them, deletes the
// unconfirmed ones with their photos, their follows and alerts, and
// touches no one else's.
func TestExportAndErase(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		d := draft(c, 0, "camille@exemple.fr")
		d.AccountID, d.EmailVerified = "u-1", true
		byAccount, _ := e.submit(e.town, d)
		e.advance(time.Minute)
		byEmail := e.confirmed(e.town, draft(c, 10, "Camille@exemple.fr"))
		pending := draft(c, 20, "camille@exemple.fr")
		pending.Photos = []reports.PhotoUpload{photo("photo en attente")}
		waiting, _ := e.submit(e.town, pending)
		other := e.confirmed(e.town, draft(c, 30, "dominique@exemple.fr"))
		e.follow(other.ID, "camille@exemple.fr", "fr")
		e.follow(byAccount.ID, "dominique@exemple.fr", "fr")
		e.alert("camille@exemple.fr", 0, 300, "")
		e.alert("dominique@exemple.fr", 0, 300, "")
		e.out.take()
		p := account.Person{TenantID: e.town, UserID: "u-1", Email: "camille@exemple.fr"}
		got, err := e.s.Export(e.ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(got)
		var view struct {
			Reports []struct{ Reference, Email, Category string }
			Follows []struct{ Reference string }
			Alerts  []struct{ Radius int } `json:"area_alerts"`
		}
		if err := json.Unmarshal(raw, &view); err != nil {
			t.Fatal(err)
		}
		if len(view.Reports) != 3 || view.Reports[0].Reference != byAccount.Reference || view.Reports[0].Category != c.Name ||
			len(view.Follows) != 1 || view.Follows[0].Reference != other.Reference || len(view.Alerts) != 1 ||
			strings.Contains(string(raw), "dominique") {
			t.Fatalf("export: %s", raw)
		}
		if empty, _ := e.s.Export(e.ctx, account.Person{TenantID: e.vill, UserID: "u-1", Email: "camille@exemple.fr"}); !strings.Contains(mustJSON(t, empty), `"reports":[]`) {
			t.Errorf("the village's export: %s", mustJSON(t, empty))
		}
		keys, _ := e.s.FileKeys(e.ctx, e.d, e.town)
		if err := e.s.Erase(e.ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{byAccount.ID, byEmail.ID} {
			r, err := e.s.Report(e.ctx, e.town, id)
			if err != nil || r.Contact != (reports.Contact{}) || r.AccountID != "" {
				t.Errorf("after erasure: %+v, %v", r, err)
			}
			if _, err := e.s.PublicReport(e.ctx, e.town, id); err != nil {
				t.Errorf("the erased person's report left the public: %v", err)
			}
		}
		if _, err := e.s.Report(e.ctx, e.town, waiting.ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("an unconfirmed report stayed: %v", err)
		}
		if after, _ := e.s.FileKeys(e.ctx, e.d, e.town); len(keys) != 1 || len(after) != 0 {
			t.Errorf("photo keys %v, then %v", keys, after)
		}
		if _, err := e.s.Files.Size(e.ctx, keys[0]); err == nil {
			t.Error("the unconfirmed report's photo stayed in the files")
		}
		if left, _ := e.s.Export(e.ctx, p); mustJSON(t, left) != `{"reports":[],"follows":[],"area_alerts":[]}` {
			t.Errorf("after erasure: %s", mustJSON(t, left))
		}
		someone, _ := e.s.Export(e.ctx, account.Person{TenantID: e.town, Email: "dominique@exemple.fr"})
		if s := mustJSON(t, someone); strings.Count(s, `"reference"`) != 2 || !strings.Contains(s, `"radius_metres":300`) {
			t.Errorf("someone else's data after the erasure: %s", s)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRetention: what was never confirmed goes once its link expired; a
// year after a report was resolved it loses its author and followers,
// and stays public; a day earlier nothing changes.
func TestRetention(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		start := e.clock()
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		pending := draft(c, 0, "oublie@exemple.fr")
		pending.Photos = []reports.PhotoUpload{photo("jamais confirmé")}
		forgotten, _ := e.submit(e.town, pending)
		open := e.confirmed(e.town, draft(c, 0, "ouvert@exemple.fr"))
		resolved := e.confirmed(e.town, draft(c, 0, "regle@exemple.fr"))
		e.follow(resolved.ID, "voisin@exemple.fr", "fr")
		e.follow(open.ID, "voisin@exemple.fr", "fr")
		lat, lon := north(0)
		if _, err := e.s.SubscribeArea(e.ctx, e.town, reports.AreaAlert{Email: "jamais@exemple.fr", Lat: lat, Lon: lon, Radius: 200}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Follow(e.ctx, e.town, open.ID, "jamais@exemple.fr", "fr"); err != nil {
			t.Fatal(err)
		}
		e.change(e.town, resolved.ID, reports.Fixed, "")
		count := func(q string) int {
			t.Helper()
			var n int
			if err := e.d.QueryRow(e.ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		e.set(start.Add(time.Duration(reports.UnconfirmedDays)*24*time.Hour - time.Minute))
		if n, err := e.s.PurgeUnconfirmed(e.ctx); n != 0 || err != nil {
			t.Errorf("a minute early: %d, %v", n, err)
		}
		e.set(start.Add(time.Duration(reports.UnconfirmedDays)*24*time.Hour + time.Minute))
		if n, err := e.s.PurgeUnconfirmed(e.ctx); n != 3 || err != nil {
			t.Errorf("unconfirmed purged: %d, %v", n, err)
		}
		if _, err := e.s.Report(e.ctx, e.town, forgotten.ID); !errors.Is(err, reports.ErrNotFound) || count(`SELECT COUNT(*) FROM report_photos`) != 0 {
			t.Errorf("the forgotten report: %v", err)
		}
		if count(`SELECT COUNT(*) FROM report_area_alerts`) != 0 || count(`SELECT COUNT(*) FROM report_followers`) != 2 {
			t.Error("unconfirmed follows and alerts stayed, or confirmed ones went")
		}
		e.set(start.Add(reports.ContactDays*24*time.Hour - time.Hour))
		if n, err := e.s.PurgeContacts(e.ctx); n != 0 || err != nil {
			t.Errorf("an hour early: %d, %v", n, err)
		}
		e.set(start.Add(reports.ContactDays*24*time.Hour + time.Hour))
		if n, err := e.s.PurgeContacts(e.ctx); n != 2 || err != nil {
			t.Errorf("contacts purged: %d, %v", n, err)
		}
		r, _ := e.s.Report(e.ctx, e.town, resolved.ID)
		o, _ := e.s.Report(e.ctx, e.town, open.ID)
		if r.Contact != (reports.Contact{}) || o.Contact.Email != "ouvert@exemple.fr" || count(`SELECT COUNT(*) FROM report_followers`) != 1 {
			t.Errorf("after a year: resolved %+v, open %+v", r.Contact, o.Contact)
		}
		if _, err := e.s.PublicReport(e.ctx, e.town, resolved.ID); err != nil {
			t.Errorf("the resolved report left the public: %v", err)
		}
		if n, _ := e.s.PurgeContacts(e.ctx); n != 0 {
			t.Errorf("purged again: %d", n)
		}
		if rules := e.s.RetentionRules(); len(rules) != 3 {
			t.Errorf("rules: %v", rules)
		}
		acts := e.s.Processing()
		if len(acts) != 2 || acts[0].Retention.Args[1] != reports.ContactDays {
			t.Errorf("register: %+v", acts)
		}
		if used, err := e.s.InUse(e.ctx, e.vill); used || err != nil {
			t.Errorf("the village takes reports: %v, %v", used, err)
		}
	})
}
