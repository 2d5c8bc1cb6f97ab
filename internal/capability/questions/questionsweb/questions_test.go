package questionsweb_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/questions"
	"guichet/internal/capability/questions/questionsweb"
)

// link is the path of the first link to the town in a mail.
var link = regexp.MustCompile(`http://montclair\.localhost(/\S+)`)

// TestQuestionLinkAsksForAClick: the link mailed to someone who asked a
// question without an account shows a page whose button passes the
// question on; opening it (as a mail scanner does) changes nothing, the
// page never shows the text the visitor typed, a second use says the
// question went, and a link past its week works no more.
func TestQuestionLinkAsksForAClick(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const who, text = "curieuse@courriel.localhost", "Texte de la visiteuse à ne pas montrer ?"
		b := e.Browser(e.Town)
		b.Post("/questions/poser", url.Values{"question": {text}, "email": {who}}).Want(t, http.StatusOK)
		m := link.FindStringSubmatch(e.Mail.WaitFor(t, who, 10*time.Second).Text)
		if m == nil || !strings.HasPrefix(m[1], "/questions/verifier/") {
			t.Fatal("no verification link mailed")
		}
		status := func() string {
			t.Helper()
			var s string
			if err := e.App.DB.QueryRow(t.Context(), `SELECT status FROM content_questions WHERE tenant_id = ? AND asker_email = ?`,
				e.Town.ID, who).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		page := b.Get(m[1]).Want(t, http.StatusOK).WantBody(t, "<h1>Confirmez l&#39;envoi de votre question</h1>",
			`<form method="post" action="`+m[1]+`">`, "Transmettre ma question")
		if strings.Contains(page.Body, "Texte de la visiteuse") {
			t.Error("the link's page shows the text the visitor typed")
		}
		en := e.Browser(e.Town)
		en.SetCookie("lang", "en")
		en.Get(m[1]).Want(t, http.StatusOK).WantBody(t, "<h1>Confirm sending your question</h1>", "Send my question")
		if s := status(); s != questions.QUnverified {
			t.Fatalf("opening the link made the question %q", s)
		}
		b.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Question transmise</h1>")
		if s := status(); s != questions.QPending {
			t.Fatalf("confirmed question is %q, want it with the moderators", s)
		}
		b.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Question déjà transmise</h1>")
		en.Get(m[1]).Want(t, http.StatusOK).WantBody(t, "<h1>Question already sent</h1>")

		const late = "tardive@courriel.localhost"
		b.Post("/questions/poser", url.Values{"question": {"Une question oubliée ?"}, "email": {late}}).Want(t, http.StatusOK)
		old := link.FindStringSubmatch(e.Mail.WaitFor(t, late, 10*time.Second).Text)
		clock := questionsweb.Of(e.App.Kernel).Store.Now
		questionsweb.Of(e.App.Kernel).Store.Now = func() time.Time { return clock().Add(7*24*time.Hour + time.Minute) }
		defer func() { questionsweb.Of(e.App.Kernel).Store.Now = clock }()
		b.Get(old[1]).Want(t, http.StatusNotFound).WantBody(t, "Ce lien de vérification n&#39;est plus valable.")
		b.Post(old[1], nil).Want(t, http.StatusNotFound)
	}, apptest.WithMail())
}
