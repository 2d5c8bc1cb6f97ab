package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/capability/pages/pagesweb"
	"guichet/internal/publishing"
)

// The editors of news, events and pages share their form, preview,
// schedule and revision pages (publishing/publishingweb): these stories
// run each one.

const editor = "communication@montclair.localhost"

// kind is one of the three editors: its list path, its form's required
// fields, and how the store reads what it saved.
type kind struct {
	name, base, newPath string
	audit               string // the audit action of a restoration
	form                url.Values
	// clock is the kind's store's clock, which the tests move.
	clock     func(e *apptest.Env) *func() time.Time
	publicURL func(e *apptest.Env, id string) string
	load      func(e *apptest.Env, id string) (title string, pub publishing.Publication)
	count     func(e *apptest.Env) int
}

func kinds(t *testing.T, e *apptest.Env) []kind {
	start := e.App.Now().AddDate(0, 0, 10)
	return []kind{
		{name: "news", base: "/gestion/actualites", newPath: "/gestion/actualites/nouvelle", audit: "news.news_restored",
			clock: func(e *apptest.Env) *func() time.Time { return &newsweb.Of(e.App.Kernel).Store.Now },
			form:  url.Values{"category": {"culture"}, "summary": {"Programme de la saison."}},
			publicURL: func(e *apptest.Env, id string) string {
				n, err := newsweb.Of(e.App.Kernel).Store.ByID(context.Background(), e.Town.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return n.URL()
			},
			load: func(e *apptest.Env, id string) (string, publishing.Publication) {
				n, err := newsweb.Of(e.App.Kernel).Store.ByID(context.Background(), e.Town.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return n.Title, n.Publication()
			},
			count: func(e *apptest.Env) int {
				list, _, err := newsweb.Of(e.App.Kernel).Store.List(context.Background(), e.Town.ID, publishing.ListFilter{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				return len(list)
			}},
		{name: "event", base: "/gestion/agenda", newPath: "/gestion/agenda/nouveau", audit: "events.event_restored",
			clock: func(e *apptest.Env) *func() time.Time { return &eventsweb.Of(e.App.Kernel).Store.Now },
			form: url.Values{"category": {"culture"}, "place": {"Salle des fêtes"}, "start_date": {start.Format("2006-01-02")},
				"start_time": {"20:30"}},
			publicURL: func(e *apptest.Env, id string) string {
				ev, err := eventsweb.Of(e.App.Kernel).Store.ByID(context.Background(), e.Town.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return ev.URL()
			},
			load: func(e *apptest.Env, id string) (string, publishing.Publication) {
				ev, err := eventsweb.Of(e.App.Kernel).Store.ByID(context.Background(), e.Town.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return ev.Title, publishing.Publication{Status: ev.Status, PublishAt: ev.PublishAt}
			},
			count: func(e *apptest.Env) int {
				list, _, err := eventsweb.Of(e.App.Kernel).Store.ListStaff(context.Background(), e.Town.ID, publishing.ListFilter{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				return len(list)
			}},
		{name: "page", base: "/gestion/pages", newPath: "/gestion/pages/nouvelle", audit: "pages.page_restored",
			clock: func(e *apptest.Env) *func() time.Time { return &pagesweb.Of(e.App.Kernel).Store.Now },
			form:  url.Values{"menu_order": {"40"}, "summary": {"Horaires et tarifs."}},
			publicURL: func(e *apptest.Env, id string) string {
				p, err := pagesweb.Of(e.App.Kernel).Store.ByID(context.Background(), e.Town.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return p.URL()
			},
			load: func(e *apptest.Env, id string) (string, publishing.Publication) {
				p, err := pagesweb.Of(e.App.Kernel).Store.ByID(context.Background(), e.Town.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return p.Title, p.Publication()
			},
			count: func(e *apptest.Env) int {
				list, err := pagesweb.Of(e.App.Kernel).Store.All(context.Background(), e.Town.ID)
				if err != nil {
					t.Fatal(err)
				}
				return len(list)
			}},
	}
}

// with returns the kind's form with the fields given.
func (k kind) with(kv ...string) url.Values {
	f := url.Values{}
	for key, v := range k.form {
		f[key] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

var idInPath = regexp.MustCompile(`/([0-9a-f-]{36})(\?|/|$)`)

// create submits a new item and returns its id.
func create(t *testing.T, b *apptest.Browser, k kind, form url.Values) string {
	t.Helper()
	res := b.Post(k.newPath, form).WantRedirect(t, k.base+"/")
	m := idInPath.FindStringSubmatch(res.Location)
	if m == nil {
		t.Fatalf("no id in %q", res.Location)
	}
	return m[1]
}

// TestEditorsPreviewNothingSaved previews a new and an existing item of
// each kind: the text shows rendered and sanitised, and nothing is saved.
func TestEditorsPreviewNothingSaved(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town).SignInDemo(t, editor)
		for _, k := range kinds(t, e) {
			t.Run(k.name, func(t *testing.T) {
				before := k.count(e)
				form := k.with("title", "Aperçu seulement", "body", "Un **texte gras**.\n\n<script>alert(1)</script>", "action", "preview")
				res := b.Post(k.newPath, form).Want(t, http.StatusOK)
				res.WantBody(t, `id="apercu"`, "<strong>texte gras</strong>", `value="Aperçu seulement"`)
				if strings.Contains(res.Body, "<script>alert(1)") {
					t.Error("the preview runs the editor's script")
				}
				if after := k.count(e); after != before {
					t.Errorf("%d items after a preview, %d before", after, before)
				}

				id := create(t, b, k, k.with("title", "Version enregistrée", "body", "Texte enregistré.", "action", "save"))
				revs, _ := newsweb.Of(e.App.Kernel).Store.Revisions(context.Background(), e.Town.ID, id)
				b.Post(k.base+"/"+id, k.with("title", "Titre essayé", "body", "Texte *essayé*.", "action", "preview")).
					Want(t, http.StatusOK).WantBody(t, "<em>essayé</em>", "Titre essayé")
				if title, pub := k.load(e, id); title != "Version enregistrée" || pub.Status != publishing.StatusDraft {
					t.Errorf("after a preview: %q, %s", title, pub.Status)
				}
				if again, _ := newsweb.Of(e.App.Kernel).Store.Revisions(context.Background(), e.Town.ID, id); len(again) != len(revs) {
					t.Errorf("a preview recorded a revision: %d, then %d", len(revs), len(again))
				}
			})
		}
	}, apptest.WithDemoData())
}

// TestEditorsSchedule publishes each kind at a date to come, in the
// collectivité's time zone: visitors see nothing before it, and the item
// once the store's clock passes it. Unpublishing hides it again.
func TestEditorsSchedule(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		newsweb.Of(e.App.Kernel).Module.DisableCache()
		eventsweb.Of(e.App.Kernel).Module.DisableCache()
		b := e.Browser(e.Town).SignInDemo(t, editor)
		visitor := e.Browser(e.Town)
		loc := e.Town.Location()
		day := e.App.Now().In(loc).AddDate(0, 0, 2)
		want := time.Date(day.Year(), day.Month(), day.Day(), 7, 45, 0, 0, loc)
		eventDay := e.App.Now().AddDate(0, 0, 10).Format("2006-01-02") // as kinds() sets it
		lists := map[string]string{"news": "/actualites", "event": "/agenda?du=" + eventDay, "page": "/vie-pratique"}
		for _, k := range kinds(t, e) {
			t.Run(k.name, func(t *testing.T) {
				clock := k.clock(e)
				realNow := *clock
				t.Cleanup(func() { *clock = realNow })
				title := "Programmé " + k.name
				id := create(t, b, k, k.with("title", title, "body", "Bientôt.", "action", "publish",
					"publish_date", day.Format("2006-01-02"), "publish_time", "07:45"))
				_, pub := k.load(e, id)
				if pub.Status != publishing.StatusPublished || pub.PublishAt == nil || !pub.PublishAt.Equal(want) {
					t.Fatalf("saved %s at %v, want published at %v", pub.Status, pub.PublishAt, want)
				}
				b.Get(k.base+"/"+id).Want(t, http.StatusOK).WantBody(t, "Programmé</span>", "07:45", `value="07:45"`)
				path := k.publicURL(e, id)
				visitor.Get(path).Want(t, http.StatusNotFound)
				if res := visitor.Get(lists[k.name]).Want(t, http.StatusOK); strings.Contains(res.Body, title) {
					t.Errorf("%s lists the item before its time", lists[k.name])
				}

				*clock = func() time.Time { return want.Add(time.Minute) }
				visitor.Get(path).Want(t, http.StatusOK).WantBody(t, title)
				visitor.Get(lists[k.name]).Want(t, http.StatusOK).WantBody(t, title)
				b.Get(k.base+"/"+id).Want(t, http.StatusOK).WantBody(t, "Publié</span>")

				b.Post(k.base+"/"+id+"/statut", url.Values{"status": {"unpublished"}}).WantRedirect(t, k.base+"/"+id)
				visitor.Get(path).Want(t, http.StatusNotFound)
				if res := visitor.Get(lists[k.name]); strings.Contains(res.Body, title) {
					t.Errorf("%s lists the item after unpublishing", lists[k.name])
				}
				if _, pub := k.load(e, id); pub.Status != publishing.StatusUnpublished {
					t.Errorf("status %s after unpublishing", pub.Status)
				}
			})
		}
	}, apptest.WithDemoData())
}

// TestEditorsValidation sends wrong forms for events and pages: each
// wrong field is named and linked from the error summary, nothing saved.
func TestEditorsValidation(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town).SignInDemo(t, editor)
		ks := kinds(t, e)
		event, page := ks[1], ks[2]
		cases := []struct {
			name   string
			k      kind
			form   url.Values
			fields []string
		}{
			{"event without title nor place", event, event.with("title", " ", "place", "", "action", "publish"), []string{"title", "place"}},
			{"event with wrong dates", event, event.with("title", "Bal", "start_date", "2026-02-30", "publish_date", "demain",
				"publish_time", "25:99", "action", "save"), []string{"start_date", "publish_date", "publish_time"}},
			{"event with a time but no date of publication", event, event.with("title", "Bal", "publish_time", "10:00", "action", "publish"),
				[]string{"publish_date"}},
			{"page without text", page, page.with("title", "Plan", "body", "  ", "menu_order", "mille", "action", "save"),
				[]string{"body", "menu_order"}},
			{"page with a wrong date", page, page.with("title", "Plan", "body", "Texte.", "publish_date", "31/12/2026", "action", "publish"),
				[]string{"publish_date"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := c.k.count(e)
				res := b.Post(c.k.newPath, c.form).Want(t, http.StatusUnprocessableEntity)
				res.WantBody(t, `class="error-summary"`, "<title>Erreur")
				for _, f := range c.fields {
					res.WantBody(t, `href="#champ-`+f+`"`, `id="champ-`+f+`-error"`)
				}
				if n := strings.Count(res.Body, `<li><a href="#champ-`); n != len(c.fields) {
					t.Errorf("%d errors in the summary, want %d", n, len(c.fields))
				}
				if after := c.k.count(e); after != before {
					t.Errorf("%d items after a refused form, %d before", after, before)
				}
			})
		}
		// A refused "publish" leaves a draft a draft, and says so.
		for _, k := range []kind{event, page} {
			id := create(t, b, k, k.with("title", "Brouillon "+k.name, "body", "Texte.", "action", "save"))
			b.Post(k.base+"/"+id, k.with("title", "", "body", "Texte.", "action", "publish")).
				Want(t, http.StatusUnprocessableEntity).WantBody(t, "Brouillon</span>", `href="#champ-title"`)
			if title, pub := k.load(e, id); title != "Brouillon "+k.name || pub.Status != publishing.StatusDraft {
				t.Errorf("%s after a refused publication: %q, %s", k.name, title, pub.Status)
			}
		}
	}, apptest.WithDemoData())
}

var revisionLink = regexp.MustCompile(`href="(/gestion/[a-z]+/[0-9a-f-]{36}/historique/[0-9a-f-]{36})"`)

// TestEditorsRestoreRevision opens the history of an item of each kind,
// reads its first version and restores it: the text comes back as a new
// revision, an unpublished item stays unpublished, and the audit log says
// who restored it.
func TestEditorsRestoreRevision(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		b := e.Browser(e.Town).SignInDemo(t, editor)
		for _, k := range kinds(t, e) {
			t.Run(k.name, func(t *testing.T) {
				id := create(t, b, k, k.with("title", "Première rédaction "+k.name, "body", "Texte **d'origine**.", "action", "publish"))
				b.Post(k.base+"/"+id, k.with("title", "Seconde rédaction "+k.name, "body", "Texte changé.", "action", "save")).
					WantRedirect(t, k.base+"/"+id)
				b.Post(k.base+"/"+id+"/statut", url.Values{"status": {"unpublished"}}).WantRedirect(t, k.base+"/"+id)

				history := b.Get(k.base+"/"+id+"/historique").Want(t, http.StatusOK)
				links := revisionLink.FindAllStringSubmatch(history.Body, -1)
				if len(links) != 3 {
					t.Fatalf("%d versions in the history, want 3:\n%s", len(links), history.Body)
				}
				first := links[len(links)-1][1] // newest first
				b.Get(first).Want(t, http.StatusOK).WantBody(t, "Première rédaction "+k.name, "<strong>d&#39;origine</strong>", first+"/restaurer")

				b.Post(first+"/restaurer", nil).WantRedirect(t, k.base+"/"+id+"?restaure=1")
				title, pub := k.load(e, id)
				if title != "Première rédaction "+k.name || pub.Status != publishing.StatusUnpublished {
					t.Errorf("after restoring: %q, %s; want the first title, still unpublished", title, pub.Status)
				}
				b.Get(k.base+"/"+id+"?restaure=1").Want(t, http.StatusOK).WantBody(t, "Version restaurée", "Première rédaction")
				b.Get(k.base+"/"+id+"/historique").WantBody(t, "Restauration d&#39;une version")
				revs, err := newsweb.Of(e.App.Kernel).Store.Revisions(ctx, e.Town.ID, id)
				if err != nil || len(revs) != 4 || revs[0].Action != publishing.ActionRestored {
					t.Errorf("history after restoring: %d revisions, %v", len(revs), err)
				}
				visitor := e.Browser(e.Town)
				visitor.Get(k.publicURL(e, id)).Want(t, http.StatusNotFound)

				entries, _, err := e.App.Staff.Audit(ctx, e.Town.ID, "", 20)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, en := range entries {
					if en.Action == k.audit && en.Actor == editor && en.Target == title {
						found = true
					}
				}
				if !found {
					t.Errorf("no audit entry %s by %s", k.audit, editor)
				}

				// A revision of another item is not this item's.
				other := create(t, b, k, k.with("title", "Autre "+k.name, "body", "Autre texte.", "action", "save"))
				rev := first[strings.LastIndex(first, "/")+1:]
				b.Get(k.base+"/"+other+"/historique/"+rev).Want(t, http.StatusNotFound)
				b.Post(k.base+"/"+other+"/historique/"+rev+"/restaurer", nil).Want(t, http.StatusNotFound)
			})
		}
		// A revision of a news item is not an event's or a page's.
		newsKind := kinds(t, e)[0]
		id := create(t, b, newsKind, newsKind.with("title", "Une actualité", "body", "Texte.", "action", "save"))
		revs, _ := newsweb.Of(e.App.Kernel).Store.Revisions(ctx, e.Town.ID, id)
		b.Get("/gestion/pages/"+id+"/historique/"+revs[0].ID).Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}
