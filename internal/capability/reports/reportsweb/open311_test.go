package reportsweb_test

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/open311"
	"guichet/internal/capability/reports/open311/open311test"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestOpen311ConformanceOnTheStore drives the Open311 endpoint over a
// real store through the conformance suite, on both engines, then
// checks what the suite cannot know: the store's reports as Open311
// writes them, the other collectivité's ids and keys refused, a posted
// report stored with its contact and answers, a revoked key refused.
func TestOpen311ConformanceOnTheStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newWorld(t, d)
		w.fill()
		t.Run("reads", w.reads)
		open311test.Run(t, w.base(w.town), w.fixtures())
		t.Run("isolation", w.isolation)
		t.Run("posted", w.posted)
		t.Run("refused", w.refused)
	})
}

// reads checks the store's reports as Open311 writes them.
func (w *world) reads(t *testing.T) {
	ctx := t.Context()
	list, a, err := w.town311.Requests(ctx, "json", nil)
	if err != nil || a.Status != 200 {
		t.Fatalf("requests: %v %+v", err, a)
	}
	if n := w.queries.Load(); n != 3 {
		t.Errorf("the list took %d queries, want 3 (categories, reports, first photos)", n)
	}
	got := map[string]open311test.Request{}
	for _, r := range list {
		got[string(r.ID)] = r
	}
	if len(list) != 4 || got[w.old.ID].ID != "" || got[w.guest.ID].ID != "" || got[w.villReport.ID].ID != "" {
		t.Errorf("the last 90 days list %v: want the town's 4 confirmed reports, not the older, the unconfirmed or the village's", ids(list))
	}
	detail, err := w.s.PublicReport(ctx, w.town.ID, w.withPhoto.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := got[w.withPhoto.ID]
	if want := "https://ville.guichet.test" + reports.PhotoPath(w.withPhoto.ID, detail.Photos[0].ID); p.MediaURL != open311test.Text(want) ||
		p.Status != "open" || p.ServiceCode != "voirie-nid-de-poule" || p.ServiceName != "Nid-de-poule" ||
		p.AgencyResponsible != "Ville de Test" || p.Address != "12 rue des Écoles" || !p.Lat.Set || p.Lat.Value != w.withPhoto.Lat ||
		p.Requested != open311test.Text(open311.FormatTime(w.withPhoto.CreatedAt, paris)) ||
		p.Updated != open311test.Text(open311.FormatTime(w.start.Add(-19*day), paris)) {
		t.Errorf("the report with photos reads %+v", p)
	}
	f := got[w.fixed.ID]
	if f.Status != "closed" || f.StatusNotes != "Ampoule changée." || f.MediaURL != "" || f.ServiceCode != "eclairage-panne" {
		t.Errorf("the fixed report reads %+v", f)
	}
	if body := string(a.Body); strings.Contains(body, "Durand") || strings.Contains(body, "dominique.durand@") ||
		strings.Contains(body, "compte-1") {
		t.Errorf("the list shows an author: %s", body)
	}
	w.window(t)
	w.catalogue(t)
}

func ids(list []open311test.Request) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = string(r.ID)
	}
	return out
}

// window: the report older than 90 days is found by its dates, the
// unconfirmed one by nothing.
func (w *world) window(t *testing.T) {
	ctx := t.Context()
	args := url.Values{"start_date": {w.start.Add(-101 * day).Format(time.RFC3339)}, "end_date": {w.start.Add(-91 * day).Format(time.RFC3339)}}
	list, _, err := w.town311.Requests(ctx, "xml", args)
	if err != nil || !slices.Equal(ids(list), []string{w.old.ID}) {
		t.Errorf("older window: %v, %v; want %s", ids(list), err, w.old.ID)
	}
	list, _, err = w.town311.Requests(ctx, "json", url.Values{"service_request_id": {w.guest.ID + "," + w.fixed.ID}})
	if err != nil || !slices.Equal(ids(list), []string{w.fixed.ID}) {
		t.Errorf("by ids with an unconfirmed one: %v, %v", ids(list), err)
	}
	_, a, err := w.town311.Request(ctx, "json", w.guest.ID)
	if err != nil || a.Status != 404 {
		t.Errorf("the unconfirmed report answers %v %+v, want 404", err, a)
	}
	list, _, err = w.town311.Requests(ctx, "json", url.Values{"service_code": {"ancien-service,service-inexistant"}})
	if err != nil || len(list) != 0 {
		t.Errorf("service codes with no report: %v, %v", ids(list), err)
	}
}

// catalogue: the active categories, their questions in order, and
// the discovery document naming the collectivité.
func (w *world) catalogue(t *testing.T) {
	ctx := t.Context()
	services, _, err := w.town311.Services(ctx, "xml")
	want := []open311test.Service{
		{Code: "voirie-nid-de-poule", Name: "Nid-de-poule", Description: "Trou dans la chaussée ou le trottoir.", Metadata: true,
			Type: "realtime", Keywords: "trou, chaussée", Group: "Voirie"},
		{Code: "eclairage-panne", Name: "Lampadaire éteint", Type: "realtime", Group: "Éclairage public"},
	}
	if err != nil || !reflect.DeepEqual(services, want) {
		t.Errorf("services:\n%+v\nwant\n%+v (%v)", services, want, err)
	}
	def, _, err := w.town311.Definition(ctx, "json", "voirie-nid-de-poule")
	if err != nil || len(def.Attributes) != 4 {
		t.Fatalf("definition: %+v, %v", def, err)
	}
	var order []string
	for _, a := range def.Attributes {
		order = append(order, string(a.Code)+":"+string(a.Datatype))
	}
	if !slices.Equal(order, []string{"profondeur:singlevaluelist", "largeur:number", "constate:datetime", "voies:multivaluelist"}) ||
		def.Attributes[0].Order != 1 || !bool(def.Attributes[0].Required) || def.Attributes[0].Description != "Profondeur du trou" ||
		len(def.Attributes[0].Values) != 2 || def.Attributes[0].Values[1] != (open311test.Value{Key: "forte", Name: "5 cm ou plus"}) ||
		def.Attributes[1].DatatypeDescription != "En centimètres" || bool(def.Attributes[1].Required) || def.Attributes[3].Order != 4 {
		t.Errorf("definition's attributes: %v %+v", order, def.Attributes)
	}
	_, a, err := w.town311.Definition(ctx, "json", "ancien-service")
	if err != nil || a.Status != 404 {
		t.Errorf("an inactive category's definition: %v %+v", err, a)
	}
	disc, _, err := w.town311.Discovery(ctx, "json")
	if err != nil || !strings.Contains(string(disc.Contact), "Ville de Test") || !strings.Contains(string(disc.KeyService), "mairie@ville.example") ||
		disc.Changeset != open311test.Text(open311.FormatTime(w.start.Add(-110*day), paris)) {
		t.Errorf("discovery: %+v, %v; want the town and its categories' last change", disc, err)
	}
}

// isolation: the village's endpoint knows none of the town's ids, and
// the town's refuses the village's key (Run's BadAPIKey, tried again).
func (w *world) isolation(t *testing.T) {
	ctx := t.Context()
	for _, f := range open311test.Formats {
		_, a, err := w.village311.Request(ctx, f, w.withPhoto.ID)
		if err != nil || a.Status != 404 {
			t.Errorf("%s: the village reads the town's report: %v %d %s", f, err, a.Status, a.Body)
		}
		list, _, err := w.village311.Requests(ctx, f, url.Values{"service_request_id": {w.withPhoto.ID + "," + w.villReport.ID}})
		if err != nil || !slices.Equal(ids(list), []string{w.villReport.ID}) {
			t.Errorf("%s: the village's ids lookup: %v, %v", f, ids(list), err)
		}
		_, a, err = w.town311.Post(ctx, f, with(post(), "api_key", w.villKey))
		if err != nil || a.Status != 403 {
			t.Errorf("%s: the village's key on the town: %v %d %s", f, err, a.Status, a.Body)
		}
		_, a, err = w.village311.Post(ctx, f, with(post(), "api_key", w.key))
		if err != nil || a.Status != 403 {
			t.Errorf("%s: the town's key on the village: %v %d %s", f, err, a.Status, a.Body)
		}
	}
	list, _, err := w.village311.Requests(ctx, "json", nil)
	if err != nil || !slices.Equal(ids(list), []string{w.villReport.ID}) {
		t.Errorf("the village lists %v, %v; want its one report", ids(list), err)
	}
}

// with copies form, setting the pairs given.
func with(form url.Values, pairs ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		out.Set(pairs[i], pairs[i+1])
	}
	return out
}

// posted: a POST is a confirmed report of the key's holder, with its
// contact and the answers to the category's questions only.
func (w *world) posted(t *testing.T) {
	ctx := t.Context()
	list, a, err := w.town311.Post(ctx, "json", with(post(), "api_key", w.key))
	if err != nil || a.Status != 200 || len(list) != 1 || list[0].ID == "" {
		t.Fatalf("post: %v %+v", err, a)
	}
	id := string(list[0].ID)
	r, err := w.s.Report(ctx, w.town.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	wantAnswers := reports.Answers{"profondeur": {"forte"}, "largeur": {"30.5"}, "constate": {"2027-03-08T18:30:00+01:00"},
		"voies": {"chaussee", "piste"}}
	if r.Contact != (reports.Contact{Name: "Camille Martin", Email: "camille.martin@example.org", Phone: "05 49 00 00 00"}) ||
		!reflect.DeepEqual(r.Answers, wantAnswers) || r.Source != reports.SourceOpen311 || r.APIKeyID != w.keyID ||
		!r.Confirmed() || r.Status != reports.New || r.Lat != 46.5811 || r.Lon != 0.3412 || r.Address != "3 place du Marché" ||
		r.Description != "Un trou de 30 cm devant la boulangerie.\nDangereux pour les vélos." {
		t.Errorf("stored %+v", r)
	}
	if notice := string(list[0].ServiceNotice); !strings.Contains(notice, r.Reference) ||
		!strings.Contains(notice, "https://ville.guichet.test"+reports.ReportPath(id)) {
		t.Errorf("service_notice %q: want the reference and the public page", notice)
	}
	if got, a, err := w.town311.Token(ctx, "xml", id); err != nil || a.Status != 200 || len(got) != 1 ||
		string(got[0].ID) != id || string(got[0].Token) != id {
		t.Errorf("tokens/%s: %v %+v; want the request's id as its own token", id, err, got)
	}
	_, a, err = w.town311.Token(ctx, "json", r.Reference)
	if err != nil || a.Status != 404 || len(a.Errors) != 1 || !strings.Contains(string(a.Errors[0].Description), "service_request_id") {
		t.Errorf("tokens/%s: %v %+v; want 404, no token being issued", r.Reference, err, a)
	}
	got, a, err := w.town311.Request(ctx, "xml", id)
	if err != nil || len(got) != 1 || got[0].MediaURL != "" || strings.Contains(string(a.Body), "camille") ||
		strings.Contains(string(a.Body), "05 49") {
		t.Errorf("the posted request reads %+v (%v): no photo fetched, no contact shown", got, err)
	}
}

// refused: an address alone, a point outside France, an answer the
// store refuses, and a key once revoked.
func (w *world) refused(t *testing.T) {
	ctx := t.Context()
	addressOnly := with(post(), "api_key", w.key)
	addressOnly.Del("lat")
	addressOnly.Del("long")
	for _, c := range []struct {
		name    string
		form    url.Values
		mention string
	}{
		{"address alone", addressOnly, "location\u00a0: Indiquez le lieu par lat et long"},
		{"outside France", with(post(), "api_key", w.key, "lat", "40.4168", "long", "-3.7038"), "lat\u00a0: Le point (lat, long) est hors de France"},
		{"number past the store's bound", with(post(), "api_key", w.key, "attribute[largeur]", "1e13"), "attribute[largeur]\u00a0: "},
		{"short description", with(post(), "api_key", w.key, "description", "Trou"), "description\u00a0: "},
	} {
		_, a, err := w.town311.Post(ctx, "json", c.form)
		if err != nil || a.Status != 400 || len(a.Errors) != 1 || !strings.HasPrefix(string(a.Errors[0].Description), c.mention) {
			t.Errorf("%s: %v %d %s; want 400 with %q", c.name, err, a.Status, a.Body, c.mention)
		}
	}
	form := with(post(), "api_key", w.second)
	if _, a, err := w.town311.Post(ctx, "json", form); err != nil || a.Status != 200 {
		t.Fatalf("the second key before its revocation: %v %+v", err, a)
	}
	if err := w.s.RevokeKey(ctx, w.town.ID, w.secondID); err != nil {
		t.Fatal(err)
	}
	for _, f := range open311test.Formats {
		_, a, err := w.town311.Post(ctx, f, form)
		if err != nil || a.Status != 403 || len(a.Errors) != 1 || a.Errors[0].Code != "403" {
			t.Errorf("%s: a revoked key: %v %d %s", f, err, a.Status, a.Body)
		}
	}
}
