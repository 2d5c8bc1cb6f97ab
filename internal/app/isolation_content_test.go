package app_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/content"
	"guichet/internal/capability/content/contentweb"
	"guichet/internal/kernel/tenant"
)

// Rows of local information: news, events and registrations, pages,
// alerts and subscriptions, questions, images, search.
func init() {
	anon, admin := "anonymous", "village-admin"
	row := func(name, as, method string, form url.Values, target func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string),
		want int, unchanged func(*testing.T, *apptest.Env, *tenant.Tenant)) isolationRow {
		return isolationRow{name: name, as: as, method: method, form: form, target: target, want: want, unchanged: unchanged}
	}
	isolationRows = append(isolationRows,
		row("read a town news item", anon, "GET", nil, townNews(func(n *content.News) string { return n.URL() }), http.StatusNotFound, nil),
		row("read a town news item by API", anon, "GET", nil, townNews(func(n *content.News) string { return "/api/v1/news/" + n.ID }), http.StatusNotFound, nil),
		row("edit a town news item", admin, "GET", nil, townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID }), http.StatusNotFound, nil),
		row("change a town news item", admin, "POST", url.Values{"title": {"Piraté"}, "category": {"travaux"}, "body": {"x"}, "action": {"save"}},
			townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID }), http.StatusNotFound, townNewsIntact),
		row("unpublish a town news item", admin, "POST", url.Values{"status": {"unpublished"}},
			townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID + "/statut" }), http.StatusNotFound, townNewsIntact),
		row("read a town news item's history", admin, "GET", nil, townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID + "/historique" }), http.StatusNotFound, nil),
		row("read a town news revision", admin, "GET", nil, townNewsRevision(""), http.StatusNotFound, nil),
		row("restore a town news revision", admin, "POST", nil, townNewsRevision("/restaurer"), http.StatusNotFound, townNotRestored(newsID)),
		row("read a town event", anon, "GET", nil, townEvent(func(e *content.Event) string { return e.URL() }), http.StatusNotFound, nil),
		row("download a town event", anon, "GET", nil, townEvent(func(e *content.Event) string { return e.URL() + ".ics" }), http.StatusNotFound, nil),
		row("read a town event by API", anon, "GET", nil, townEvent(func(e *content.Event) string { return "/api/v1/events/" + e.ID }), http.StatusNotFound, nil),
		row("register to a town event", anon, "POST", url.Values{"name": {"Intrus"}, "email": {"intrus@courriel.localhost"}},
			townEvent(func(e *content.Event) string { return e.URL() + "/inscription" }), http.StatusNotFound, nil),
		row("cancel a town event", admin, "POST", url.Values{"status": {"cancelled"}},
			townEvent(func(e *content.Event) string { return "/gestion/agenda/" + e.ID + "/statut" }), http.StatusNotFound, townEventIntact),
		row("read a town event's history", admin, "GET", nil, townEvent(func(e *content.Event) string { return "/gestion/agenda/" + e.ID + "/historique" }), http.StatusNotFound, nil),
		row("read a town event revision", admin, "GET", nil, townEventRevision(""), http.StatusNotFound, nil),
		row("restore a town event revision", admin, "POST", nil, townEventRevision("/restaurer"), http.StatusNotFound, townNotRestored(eventID)),
		row("cancel a town registration", anon, "POST", nil, townRegistration, http.StatusNotFound, townRegistrationIntact),
		row("read a town page", anon, "GET", nil, path("/vie-pratique/piscine-municipale", "Piscine municipale"), http.StatusNotFound, nil),
		row("edit a town page", admin, "GET", nil, townPage, http.StatusNotFound, nil),
		row("unpublish a town page", admin, "POST", url.Values{"status": {"unpublished"}}, townPagePath("/statut"), http.StatusNotFound, townPageIntact),
		row("read a town page's history", admin, "GET", nil, townPagePath("/historique"), http.StatusNotFound, nil),
		row("read a town page revision", admin, "GET", nil, townPageRevision(""), http.StatusNotFound, nil),
		row("restore a town page revision", admin, "POST", nil, townPageRevision("/restaurer"), http.StatusNotFound, townPageIntact),
		row("restore a town revision into a village page", admin, "POST", nil, townRevisionOnVillagePage, http.StatusNotFound, townPageIntact),
		row("withdraw a town alert", admin, "POST", nil, townAlert, http.StatusNotFound, townAlertIntact),
		row("unsubscribe a town subscriber", anon, "POST", nil, townSubscriber, http.StatusOK, townSubscriberIntact),
		row("open a town subscription's confirmation", anon, "GET", nil, townUnconfirmedSubscription, http.StatusNotFound, townSubscriptionUnconfirmed),
		row("confirm a town subscription", anon, "POST", nil, townUnconfirmedSubscription, http.StatusNotFound, townSubscriptionUnconfirmed),
		row("open a town question's verification", anon, "GET", nil, townUnverifiedQuestion, http.StatusNotFound, townQuestionUnverified),
		row("pass on a town question", anon, "POST", nil, townUnverifiedQuestion, http.StatusNotFound, townQuestionUnverified),
		row("read a town question", anon, "GET", nil, townQuestion(""), http.StatusNotFound, nil),
		row("answer a town question", admin, "POST", url.Values{"answer": {"Piraté"}, "action": {"publish"}}, townQuestion("/gestion"), http.StatusNotFound, nil),
		row("see a town image", anon, "GET", nil, townImage, http.StatusNotFound, nil),
		row("search the village", anon, "GET", nil, path("/recherche?q=piscine", "Piscine municipale"), http.StatusOK, nil),
		row("the village's alerts feed", anon, "GET", nil, townAlertFeed, http.StatusOK, nil),
	)
}

// townOnly marks records that exist in the town alone (the demo gives
// both collectivités the same pages and slugs).
const townOnly = "réservé à Montclair"

func townNews(p func(*content.News) string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		return p(firstTownNews(t, e, town)), []string{townOnly}
	}
}

func firstTownNews(t *testing.T, e *apptest.Env, town *tenant.Tenant) *content.News {
	ctx := context.Background()
	list, _, err := contentweb.Of(e.App.Kernel).Store.ListNews(ctx, town.ID, content.NewsFilter{Query: townOnly})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0]
	}
	n := &content.News{TenantID: town.ID, Category: "culture", Title: "Article " + townOnly, Body: "Texte " + townOnly,
		Status: content.StatusPublished}
	if err := contentweb.Of(e.App.Kernel).Store.SaveNews(ctx, n, "test", "published"); err != nil {
		t.Fatal(err)
	}
	return n
}

func townNewsIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	n := firstTownNews(t, e, town)
	if n.Title == "Piraté" || n.Status != content.StatusPublished {
		t.Errorf("the town's news item changed: %q %s", n.Title, n.Status)
	}
}

func firstTownEvent(t *testing.T, e *apptest.Env, town *tenant.Tenant) *content.Event {
	ctx := context.Background()
	list, _, err := contentweb.Of(e.App.Kernel).Store.ListStaffEvents(ctx, town.ID, content.NewsFilter{Query: townOnly})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0]
	}
	start := e.App.Now().Add(72 * time.Hour).Truncate(time.Hour)
	ev := &content.Event{TenantID: town.ID, Category: "culture", Title: "Soirée " + townOnly, Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 10, Status: content.StatusPublished}
	if err := contentweb.Of(e.App.Kernel).Store.SaveEvent(ctx, ev, town.Location(), "test", "published"); err != nil {
		t.Fatal(err)
	}
	return ev
}

func townEvent(p func(*content.Event) string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		return p(firstTownEvent(t, e, town)), []string{townOnly}
	}
}

func townEventIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	if ev := firstTownEvent(t, e, town); ev.Cancelled || ev.Status != content.StatusPublished {
		t.Errorf("the town's event changed: cancelled %v, %s", ev.Cancelled, ev.Status)
	}
}

func townRegistration(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	ev := firstTownEvent(t, e, town)
	ctx := context.Background()
	regs, _ := contentweb.Of(e.App.Kernel).Store.Registrations(ctx, town.ID, ev.ID)
	if len(regs) > 0 {
		t.Fatalf("the town's event has %d registrations already: this row needs it without any", len(regs))
	}
	_, token, err := contentweb.Of(e.App.Kernel).Store.Register(ctx, town.ID, content.RegistrationRequest{Slug: ev.Slug, Name: "Habitante",
		Email: "inscrite@courriel.localhost", Loc: town.Location()})
	if err != nil {
		t.Fatal(err)
	}
	return "/inscriptions/" + token, []string{"inscrite@courriel.localhost"}
}

func townRegistrationIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	ev := firstTownEvent(t, e, town)
	seats, err := contentweb.Of(e.App.Kernel).Store.SeatsByDate(context.Background(), town.ID, ev.ID)
	taken := 0
	for _, st := range seats {
		taken += st.Taken
	}
	if err != nil || taken != 1 {
		t.Errorf("the town's registration changed: %d seats taken, %v", taken, err)
	}
}

func townPage(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	pg, err := contentweb.Of(e.App.Kernel).Store.PublicPage(context.Background(), town.ID, "piscine-municipale")
	if err != nil {
		t.Fatal(err)
	}
	return "/gestion/pages/" + pg.ID, []string{"Piscine municipale"}
}

func townPagePath(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		p, leak := townPage(t, e, town)
		return p + suffix, leak
	}
}

func townPageID(t *testing.T, e *apptest.Env, town *tenant.Tenant) string {
	pages, err := contentweb.Of(e.App.Kernel).Store.AllPages(context.Background(), town.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if p.Slug == "piscine-municipale" {
			return p.ID
		}
	}
	t.Fatal("no town swimming-pool page")
	return ""
}

func newsID(t *testing.T, e *apptest.Env, town *tenant.Tenant) string {
	return firstTownNews(t, e, town).ID
}
func eventID(t *testing.T, e *apptest.Env, town *tenant.Tenant) string {
	return firstTownEvent(t, e, town).ID
}

// firstRevision returns the oldest revision of a town item.
func firstRevision(t *testing.T, e *apptest.Env, town *tenant.Tenant, itemID string) content.Revision {
	revs, err := contentweb.Of(e.App.Kernel).Store.Revisions(context.Background(), town.ID, itemID)
	if err != nil || len(revs) == 0 {
		t.Fatalf("no revision of %s: %v", itemID, err)
	}
	return revs[len(revs)-1]
}

// revisionPath targets a revision of a town item, or (suffix "/restaurer")
// its restoration; its title is the leak marker.
func revisionPath(base string, id func(*testing.T, *apptest.Env, *tenant.Tenant) string, suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		itemID := id(t, e, town)
		rev := firstRevision(t, e, town, itemID)
		return base + itemID + "/historique/" + rev.ID + suffix, []string{rev.Title}
	}
}

func townNewsRevision(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return revisionPath("/gestion/actualites/", newsID, suffix)
}

func townEventRevision(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return revisionPath("/gestion/agenda/", eventID, suffix)
}

func townPageRevision(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return revisionPath("/gestion/pages/", townPageID, suffix)
}

// townRevisionOnVillagePage pairs the village's own page with a revision
// of the town's: the revision must stay out of reach.
func townRevisionOnVillagePage(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	menu, err := contentweb.Of(e.App.Kernel).Store.Menu(context.Background(), e.Village.ID)
	if err != nil || len(menu) == 0 {
		t.Fatalf("no village page: %v", err)
	}
	rev := firstRevision(t, e, town, townPageID(t, e, town))
	return "/gestion/pages/" + menu[0].ID + "/historique/" + rev.ID + "/restaurer", []string{rev.Title}
}

// townNotRestored checks that no restoration reached the town's item.
func townNotRestored(id func(*testing.T, *apptest.Env, *tenant.Tenant) string) func(*testing.T, *apptest.Env, *tenant.Tenant) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
		itemID := id(t, e, town)
		revs, err := contentweb.Of(e.App.Kernel).Store.Revisions(context.Background(), town.ID, itemID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range revs {
			if r.Action == content.ActionRestored {
				t.Errorf("the town's item %s was restored", itemID)
			}
		}
	}
}

func townPageIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	townNotRestored(townPageID)(t, e, town)
	if _, err := contentweb.Of(e.App.Kernel).Store.PublicPage(context.Background(), town.ID, "piscine-municipale"); err != nil {
		t.Errorf("the town's page is no longer public: %v", err)
	}
}

func townActiveAlert(t *testing.T, e *apptest.Env, town *tenant.Tenant) *content.Alert {
	list, err := contentweb.Of(e.App.Kernel).Store.ActiveAlerts(context.Background(), town.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("no town alert: %v", err)
	}
	return list[0]
}

func townAlert(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	return "/gestion/alertes/" + townActiveAlert(t, e, town).ID + "/retirer", nil
}

func townAlertIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) { townActiveAlert(t, e, town) }

func townAlertFeed(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	return "/alertes/flux.atom", []string{townActiveAlert(t, e, town).ID}
}

const townSubscriberEmail = "abonnee@courriel.localhost"

func townSubscriber(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	ctx := context.Background()
	if err := contentweb.Of(e.App.Kernel).Store.Subscribe(ctx, town.ID, townSubscriberEmail, []string{"eau"}, nil, "http://montclair.localhost", "fr"); err != nil {
		t.Fatal(err)
	}
	var token string
	if err := e.App.DB.QueryRow(ctx, `SELECT unsubscribe_token FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		town.ID, townSubscriberEmail).Scan(&token); err != nil {
		t.Fatal(err)
	}
	return "/alertes/desabonnement/" + token, []string{townSubscriberEmail}
}

func townSubscriberIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	var n int
	if err := e.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		town.ID, townSubscriberEmail).Scan(&n); err != nil || n != 1 {
		t.Errorf("the town's subscriber is gone: %d, %v", n, err)
	}
}

func townQuestion(prefix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		q := &content.Question{TenantID: town.ID, Kind: content.QuestionFAQ, Question: "Question " + townOnly + " ?", Answer: "Réponse."}
		if err := contentweb.Of(e.App.Kernel).Store.SavePost(context.Background(), q, "test"); err != nil {
			t.Fatal(err)
		}
		return prefix + "/questions/" + q.ID, []string{townOnly}
	}
}

// pngPixel is the smallest valid PNG image.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func townImage(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	id, err := contentweb.Of(e.App.Kernel).Store.SaveImage(context.Background(), town.ID, pngPixel)
	if err != nil {
		t.Fatal(err)
	}
	return "/medias/" + id, nil
}

const townUnconfirmedEmail = "abonnement-en-attente@courriel.localhost"

// townUnconfirmedSubscription subscribes an address to the town's alerts
// and returns a confirmation link the test knows (its hash planted).
func townUnconfirmedSubscription(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	ctx := context.Background()
	if err := contentweb.Of(e.App.Kernel).Store.Subscribe(ctx, town.ID, townUnconfirmedEmail, []string{"eau"}, nil, "http://montclair.localhost", "fr"); err != nil {
		t.Fatal(err)
	}
	token := "jeton-d-abonnement-de-montclair-0123456789"
	if _, err := e.App.DB.Exec(ctx, `UPDATE content_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
		hashHex(token), town.ID, townUnconfirmedEmail); err != nil {
		t.Fatal(err)
	}
	return "/alertes/confirmer/" + token, []string{townUnconfirmedEmail}
}

func townSubscriptionUnconfirmed(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	var confirmed sql.NullTime
	if err := e.App.DB.QueryRow(context.Background(), `SELECT confirmed_at FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		town.ID, townUnconfirmedEmail).Scan(&confirmed); err != nil || confirmed.Valid {
		t.Errorf("the town's subscription was confirmed from the village: %v, %v", confirmed, err)
	}
}

var townQuestionID string

// townUnverifiedQuestion asks the town a question without an account and
// returns a verification link the test knows (its hash planted).
func townUnverifiedQuestion(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	ctx := context.Background()
	q, err := contentweb.Of(e.App.Kernel).Store.Ask(ctx, town.ID, "", "", "curieux@courriel.localhost", "Question "+townOnly+" ?", "", "", "fr")
	if err != nil {
		t.Fatal(err)
	}
	townQuestionID = q.ID
	token := "jeton-de-question-de-montclair-" + q.ID
	if _, err := e.App.DB.Exec(ctx, `UPDATE content_questions SET verify_hash = ? WHERE tenant_id = ? AND id = ?`,
		hashHex(token), town.ID, q.ID); err != nil {
		t.Fatal(err)
	}
	return "/questions/verifier/" + token, []string{townOnly, "curieux@courriel.localhost"}
}

func townQuestionUnverified(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	q, err := contentweb.Of(e.App.Kernel).Store.QuestionByID(context.Background(), town.ID, townQuestionID)
	if err != nil || q.Status != content.QUnverified {
		t.Errorf("the town's question was passed on from the village: %+v, %v", q, err)
	}
}
