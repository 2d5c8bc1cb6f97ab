package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/capability/content/contentweb"
	"guichet/internal/identity/account"
)

// Rows of local information: its public pages, feeds and API, the links
// mailed to people without an account, and the editors' and moderators'
// back office.
func init() {
	fixtureSetups = append(fixtureSetups, contentFixtures)
	editor, moderator := staffOnly(account.RoleEditor), staffOnly(account.RoleModerator)
	named := func(param, name string) func(*fixtures) wild {
		return func(f *fixtures) wild { return wild{param: f.get(name)} }
	}
	taken := func(param, pool string) func(*testing.T, *fixtures) call {
		return func(_ *testing.T, f *fixtures) call { return call{params: wild{param: f.take(pool)}} }
	}
	authzRows = append(authzRows,
		row("site GET /actualites", public(), nil),
		row("site GET /actualites/flux.atom", public(), nil),
		row("site GET /actualites/{slug}", public(), fixed(named("slug", "news-slug"))),
		row("site GET /agenda", public(), nil),
		row("site GET /agenda/archives", public(), nil),
		row("site GET /agenda/flux.ics", public(), nil),
		row("site GET /agenda/categorie/{cat}", public(), fixed(func(*fixtures) wild { return wild{"cat": "culture.ics"} })),
		row("site GET /agenda/{slug}", public(), fixed(named("slug", "event-slug"))),
		row("site POST /agenda/{slug}/inscription", public(), posting(named("slug", "event-slug"), url.Values{"email": {"pas-une-adresse"}})),
		// The cancellation form asks for a click whatever the link: it shows nothing of the registration.
		row("site GET /inscriptions/{token}", tokenHolders(), fixed(named("token", "registration"))),
		row("site POST /inscriptions/{token}", tokenHolders(), taken("token", "registration")).renewed().secret("token"),
		row("site GET /vie-pratique", public(), nil),
		row("site GET /vie-pratique/{slug}", public(), fixed(named("slug", "page-slug"))),
		row("site GET /alertes", public(), nil),
		row("site GET /alertes/flux.atom", public(), nil),
		row("site POST /alertes/abonnement", public(), posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		// The confirmation links' pages show what the button does; the button does it.
		row("site GET /alertes/confirmer/{token}", tokenHolders(), taken("token", "subscription")).renewed().secret("token"),
		row("site POST /alertes/confirmer/{token}", tokenHolders(), taken("token", "subscription")).renewed().secret("token"),
		// Unsubscribing answers the same to any link: it tells nobody who subscribed.
		row("site GET /alertes/desabonnement/{token}", tokenHolders(), fixed(named("token", "unsubscribe"))),
		row("site POST /alertes/desabonnement/{token}", tokenHolders(), taken("token", "unsubscribe")).renewed(),
		row("site GET /questions", public(), nil),
		row("site GET /questions/poser", public(), nil),
		row("site POST /questions/poser", public(), posting(nil, url.Values{"question": {"?"}})),
		row("site GET /questions/verifier/{token}", tokenHolders(), taken("token", "question-token")).renewed().secret("token"),
		row("site POST /questions/verifier/{token}", tokenHolders(), taken("token", "question-token")).renewed().secret("token"),
		row("site GET /questions/{id}", public(), fixed(named("id", "published-question"))),
		row("site GET /recherche", public(), func(*testing.T, *fixtures) call {
			return call{query: url.Values{"q": {"matrice"}}}
		}),
		row("site GET /medias/{id}", public(), fixed(named("id", "media"))),
		row("site GET /api/v1/news", public(), nil),
		row("site GET /api/v1/news/{id}", public(), fixed(named("id", "news"))),
		row("site GET /api/v1/events", public(), nil),
		row("site GET /api/v1/events/{id}", public(), fixed(named("id", "event"))),
		row("site GET /api/v1/alerts", public(), nil),

		row("site GET /gestion/alertes", editor, nil),
		row("site POST /gestion/alertes", editor, posting(nil, url.Values{"title": {""}})),
		row("site POST /gestion/alertes/quartiers", editor, func(_ *testing.T, f *fixtures) call {
			return call{form: url.Values{"areas": {f.get("areas")}}}
		}),
		row("site POST /gestion/alertes/{id}/retirer", editor, taken("id", "alert")).renewed(),
		row("site GET /gestion/questions", moderator, nil),
		row("site POST /gestion/questions/publication", moderator, posting(nil, url.Values{"question": {""}})),
		row("site GET /gestion/questions/{id}", moderator, fixed(named("id", "pending-question"))),
		row("site POST /gestion/questions/{id}", moderator, posting(named("id", "pending-question"), url.Values{"answer": {""}})),
	)
	// News, events and pages share the editors' routes.
	for _, k := range []struct{ path, kind, created string }{
		{"/gestion/actualites", "news", "nouvelle"}, {"/gestion/agenda", "event", "nouveau"}, {"/gestion/pages", "page", "nouvelle"},
	} {
		item := named("id", k.kind)
		rev := func(f *fixtures) wild { return wild{"id": f.get(k.kind), "rev": f.get(k.kind + "-revision")} }
		authzRows = append(authzRows,
			row("site GET "+k.path, editor, nil),
			row("site GET "+k.path+"/"+k.created, editor, nil),
			row("site POST "+k.path+"/"+k.created, editor, posting(nil, url.Values{"title": {""}})),
			row("site GET "+k.path+"/{id}", editor, fixed(item)),
			row("site POST "+k.path+"/{id}", editor, posting(item, url.Values{"title": {""}})),
			row("site POST "+k.path+"/{id}/statut", editor, posting(item, url.Values{"status": {"inconnu"}})),
			row("site GET "+k.path+"/{id}/historique", editor, fixed(item)),
			row("site GET "+k.path+"/{id}/historique/{rev}", editor, fixed(rev)),
			// Restoring the first version of an item that never changed changes nothing.
			row("site POST "+k.path+"/{id}/historique/{rev}/restaurer", editor, posting(rev, nil)),
		)
	}
}

func contentFixtures(f *fixtures) {
	s, town, loc := contentweb.Of(f.e.App.Kernel).Store, f.town, f.town.Location()
	const who = "Matrice"
	n := &content.News{TenantID: town.ID, Category: "culture", Title: "Actualité de la matrice", Body: "Texte.",
		Status: content.StatusPublished}
	f.fatal("news", s.SaveNews(ctx, n, who, "published"))
	f.set("news", n.ID)
	f.set("news-slug", n.Slug)
	start := s.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	e := &content.Event{TenantID: town.ID, Category: "culture", Title: "Soirée de la matrice", Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 100, Status: content.StatusPublished}
	f.fatal("event", s.SaveEvent(ctx, e, loc, who, "published"))
	f.set("event", e.ID)
	f.set("event-slug", e.Slug)
	pg := &content.Page{TenantID: town.ID, Title: "Page de la matrice", Body: "Texte.", Status: content.StatusPublished}
	f.fatal("page", s.SavePage(ctx, pg, who, "published"))
	f.set("page", pg.ID)
	f.set("page-slug", pg.Slug)
	for _, kind := range []string{"news", "event", "page"} {
		revs, err := s.Revisions(ctx, town.ID, f.get(kind))
		f.fatal("revisions", err)
		if len(revs) == 0 {
			f.t.Fatalf("fixture %s: no revision", kind)
		}
		f.set(kind+"-revision", revs[len(revs)-1].ID)
	}

	register := func() string {
		_, tok, err := s.Register(ctx, town.ID, content.RegistrationRequest{Slug: e.Slug, Name: "Inscrite",
			Email: fmt.Sprintf("inscrite-%d@courriel.localhost", f.next()), Loc: loc})
		f.fatal("registration", err)
		return tok
	}
	f.set("registration", register())
	f.fill("registration", uses, register)

	areas, err := s.Areas(ctx, town.ID)
	f.fatal("areas", err)
	f.set("areas", strings.Join(areas, "\n"))
	f.fill("alert", uses, func() string {
		a := &content.Alert{TenantID: town.ID, Title: fmt.Sprintf("Alerte %d de la matrice", f.next()),
			Severity: content.SeverityInfo, Topic: "autre", Expires: s.Now().UTC().Add(48 * time.Hour), Author: who}
		f.fatal("alert", s.PublishAlert(ctx, a, ""))
		return a.ID
	})

	// The confirmation links are mailed: the fixtures put their own
	// token's hash where the mailed one's was.
	subscribe := func() (email string) {
		email = fmt.Sprintf("abonne-%d@courriel.localhost", f.next())
		f.fatal("subscription", s.Subscribe(ctx, town.ID, email, []string{"eau"}, nil, "", "fr"))
		return email
	}
	f.fill("subscription", 2*uses, func() string {
		tok := fmt.Sprintf("jeton-de-confirmation-%d-de-la-matrice", f.next())
		_, err := s.DB().Exec(ctx, `UPDATE content_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
			hashHex(tok), town.ID, subscribe())
		f.fatal("subscription", err)
		return tok
	})
	unsubscribeToken := func() string {
		var tok string
		f.fatal("subscription", s.DB().QueryRow(ctx, `SELECT unsubscribe_token FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
			town.ID, subscribe()).Scan(&tok))
		return tok
	}
	f.set("unsubscribe", unsubscribeToken())
	f.fill("unsubscribe", uses, unsubscribeToken)
	f.fill("question-token", 2*uses, func() string {
		q, err := s.Ask(ctx, town.ID, "", "Visiteuse", fmt.Sprintf("visiteuse-%d@courriel.localhost", f.next()),
			"Une question de la matrice ?", "", "", "fr")
		f.fatal("question", err)
		tok := fmt.Sprintf("jeton-de-question-%d-de-la-matrice", f.next())
		_, err = s.DB().Exec(ctx, `UPDATE content_questions SET verify_hash = ? WHERE tenant_id = ? AND id = ?`, hashHex(tok), town.ID, q.ID)
		f.fatal("question", err)
		return tok
	})
	resident := f.userID(town, townResident)
	ask := func(text string) string {
		q, err := s.Ask(ctx, town.ID, resident, "Habitante", townResident, text, "", "", "fr")
		f.fatal("question", err)
		return q.ID
	}
	f.set("pending-question", ask("Une question en attente de la matrice ?"))
	published := ask("Une question publiée de la matrice ?")
	_, err = s.Answer(ctx, town.ID, published, "Une réponse.", who, true, "")
	f.fatal("answer", err)
	f.set("published-question", published)
	media, err := s.SaveImage(ctx, town.ID, pngPixel)
	f.fatal("media", err)
	f.set("media", media)
}
