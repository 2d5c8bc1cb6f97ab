package procedureweb_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/procedure"
	"guichet/internal/capability/procedure/procedureweb"
)

// waitingDemoCase returns the demo resident's school registration that
// the service asked documents for.
func waitingDemoCase(t *testing.T, e *apptest.Env) *procedure.Case {
	t.Helper()
	ctx := context.Background()
	u, err := e.App.Kernel.Accounts.ByEmail(ctx, e.Town.ID, "habitante@courriel.localhost")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := procedureweb.Of(e.App.Kernel).Store.MyCases(ctx, e.Town.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.State == procedure.Waiting {
			return c
		}
	}
	t.Fatalf("no demo case waiting for documents among %d", len(cases))
	return nil
}

// messagesOf returns the messages section of a case page, up to the next
// section.
func messagesOf(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `<h2 id="messages">`)
	if !ok {
		t.Fatalf("no messages section in:\n%s", body)
	}
	if end := strings.Index(rest, "<h2"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// TestCasePagesFromRequestToDecision walks a case from a request for
// documents to its acceptance on both sides: the agent's page heads the
// resident's answers as theirs, the request shows among the messages on
// both pages with the answer after it, the deadline shows until the
// decision, and the decision is confirmed once.
func TestCasePagesFromRequestToDecision(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		c := waitingDemoCase(t, e)
		agentPath, residentPath := "/gestion/dossiers/"+c.ID, "/dossiers/"+c.ID
		agent := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		request := "Le justificatif de domicile est illisible : merci d&#39;en joindre un nouveau."

		page := agent.Get(agentPath).Want(t, http.StatusOK).WantBody(t, "<h2>Réponses du demandeur</h2>")
		if strings.Contains(page.Body, "Vos réponses") {
			t.Error("the agent's page calls the resident's answers « Vos réponses »")
		}
		for who, body := range map[string]string{"agent": page.Body, "resident": resident.Get(residentPath).Want(t, http.StatusOK).Body} {
			msgs := messagesOf(t, body)
			if !strings.Contains(msgs, "<strong>Demande de compléments</strong>") || !strings.Contains(msgs, request) ||
				strings.Contains(msgs, "Aucun message pour le moment") {
				t.Errorf("the %s's messages lack the request for documents:\n%s", who, msgs)
			}
		}
		agent.SetCookie("lang", "en")
		agent.Get(agentPath).Want(t, http.StatusOK).WantBody(t, "<h2>The applicant&#39;s answers</h2>", "<strong>Request for further documents</strong>")
		agent.SetCookie("lang", "fr")

		postMultipart(t, resident, residentPath+"/messages", url.Values{"body": {"Voici un justificatif lisible."}},
			upload{"files", "domicile.pdf", pdf}).WantRedirect(t, residentPath)
		page = agent.Get(agentPath).Want(t, http.StatusOK).WantBody(t, "Décision attendue au plus tard le")
		msgs := messagesOf(t, page.Body)
		if i, j := strings.Index(msgs, request), strings.Index(msgs, "Voici un justificatif lisible."); i < 0 || j < i {
			t.Errorf("the request (at %d) should come before its answer (at %d):\n%s", i, j, msgs)
		}

		agent.Post(agentPath+"/etat", url.Values{"state": {"accepte"}, "reason": {"Inscription confirmée."}}).
			WantRedirect(t, agentPath+"?ok=accepte")
		notice := "Décision enregistrée\u00a0: la demande est acceptée. Le demandeur en est informé par courriel."
		page = agent.Get(agentPath+"?ok=accepte").Want(t, http.StatusOK).WantBody(t, `<div class="notice notice-success" role="status"><p>`+notice+"</p></div>")
		if n := strings.Count(page.Body, notice); n != 1 {
			t.Errorf("the confirmation shows %d times", n)
		}
		if strings.Contains(page.Body, "Décision attendue") {
			t.Error("the decided case still shows the decision's deadline")
		}
		// A link naming another state than the case's confirms nothing.
		if res := agent.Get(agentPath+"?ok=refuse").Want(t, http.StatusOK); strings.Contains(res.Body, "Décision enregistrée") {
			t.Error("a stale confirmation link shows a decision that was not taken")
		}
	}, apptest.WithDemoData())
}

// TestInboxTableTakesTheContentWidth: the inbox's table sits in the bulk
// actions' form, which the stylesheet otherwise narrows to a form's
// reading width (48rem of the 72rem content).
func TestInboxTableTakesTheContentWidth(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		agent := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		body := agent.Get("/gestion/dossiers").Want(t, http.StatusOK).Body
		form := strings.Index(body, `<form method="post" action="/gestion/dossiers/lot" class="wide">`)
		if table := strings.Index(body, "<table>"); form < 0 || table < form {
			t.Fatalf("the inbox's table is not inside a wide form:\n%s", body)
		}
		css := regexp.MustCompile(`href="(/static/css/guichet[^"]*\.css)"`).FindStringSubmatch(body)
		if css == nil {
			t.Fatal("no stylesheet linked")
		}
		agent.Get(css[1]).Want(t, http.StatusOK).WantBody(t, "form { max-width: 48rem; }", "form.wide { max-width: none; }")
	}, apptest.WithDemoData())
}

// TestResidentReachesTheirCases: a signed-in resident finds « Mes
// démarches » (and their appointments) in the header of every page and on
// their account page; visitors and the operator's host do not.
func TestResidentReachesTheirCases(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		mine := `<li><a href="/mes-demarches">Mes démarches</a></li>`
		if res := e.Browser(e.Town).Get("/").Want(t, http.StatusOK); strings.Contains(res.Body, `href="/mes-demarches"`) {
			t.Error("a visitor's header links to « Mes démarches »")
		}
		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		resident.Get("/").Want(t, http.StatusOK).
			WantBody(t, mine+`<li><a href="/rendez-vous/mes-rendez-vous">Mes rendez-vous</a></li>`, `<li><a href="/compte">Mon compte</a></li>`)
		account := resident.Get("/compte").Want(t, http.StatusOK).WantBody(t, `<h2 id="compte-suivi">Mes demandes</h2>`).Body
		_, section, _ := strings.Cut(account, `<h2 id="compte-suivi">`)
		section, _, _ = strings.Cut(section, "</section>")
		for _, link := range []string{`<li><a href="/mes-demarches">Mes démarches</a></li>`, `<li><a href="/rendez-vous/mes-rendez-vous">Mes rendez-vous</a></li>`} {
			if !strings.Contains(section, link) {
				t.Errorf("the account page's section lacks %s:\n%s", link, section)
			}
		}
		resident.Get("/mes-demarches").Want(t, http.StatusOK).
			WantBody(t, `<li><a href="/mes-demarches" aria-current="page">Mes démarches</a></li>`, "Inscription scolaire")
		resident.SetCookie("lang", "en")
		resident.Get("/compte").Want(t, http.StatusOK).WantBody(t, `<h2 id="compte-suivi">My requests</h2>`, `<a href="/mes-demarches">My procedures</a>`)

		operator := e.BrowserFor("localhost").SignInDemo(t, "operateur@guichet.localhost")
		if res := operator.Get("/compte").Want(t, http.StatusOK); strings.Contains(res.Body, "/mes-demarches") || strings.Contains(res.Body, "compte-suivi") {
			t.Error("the operator's host links to a collectivité's cases")
		}
	}, apptest.WithDemoData())
}

// TestDraftSavedNoticeShowsOnce: the « draft saved » confirmation is the
// layout's, not repeated by the case page.
func TestDraftSavedNoticeShowsOnce(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		resident := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		start := resident.Post("/demarches/inscription-scolaire/commencer", url.Values{})
		id := caseURL.FindStringSubmatch(start.Location)[1]
		body := resident.Get("/dossiers/"+id+"?enregistre=1").Want(t, http.StatusOK).Body
		if n := strings.Count(body, "Votre brouillon est enregistré."); n != 1 {
			t.Errorf("the saved notice shows %d times", n)
		}
	}, apptest.WithDemoData())
}
