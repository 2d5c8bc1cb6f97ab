package e2e

import (
	"strings"
	"testing"
)

// TestDebateInBrowser walks a debate as the acceptance tells it: a
// resident argues for, another against, a third reports the argument
// against, the moderator hides it with a reason from the queue, and its
// author reads the reason on the debate's page and may appeal. Every page
// has no axe violation, fits 320 px and passes the Nu HTML Checker.
func TestDebateInBrowser(t *testing.T) {
	needBrowser(t)
	s := newStory(t, "montclair")
	check, open := s.check, s.open
	const (
		question = "Faut-il rendre la rue du Marché piétonne le samedi"
		forText  = "Les familles du quartier pourraient enfin faire le marché à pied, sans craindre les voitures qui reculent."
		against  = "Les commerçants de la rue perdront leurs clients du samedi qui viennent en voiture des hameaux."
		reason   = "Propos hors sujet, contraires à la charte."
	)

	visitor := newTab(t, true)
	open(visitor, "/participer", "participer")
	open(visitor, "/participer/debats", "débats")
	click(t, visitor, `main a[href^="/participer/debats/"]`)
	wantText(t, visitor, question, "Pour", "Contre", "Connectez-vous")
	check(visitor, "un débat, en visiteur")
	debate := strings.SplitN(visitor.location(), "?", 2)[0]
	debate = debate[strings.Index(debate, "/participer/"):]

	pro := newTab(t, true)
	signInAs(t, pro, demoSignIn(t, "habitante@courriel.localhost"))
	open(pro, debate, "un débat, à argumenter")
	fill(t, pro, map[string]string{"side": "pour", "body": forText}, `form[action$="/arguments"] button[type=submit]`)
	wantText(t, pro, "Votre argument est publié.", forText)
	check(pro, "argument pour publié")

	con := newTab(t, true)
	signInAs(t, con, demoSignIn(t, "habitant@courriel.localhost"))
	open(con, debate, "un débat, à contredire")
	fill(t, con, map[string]string{"side": "contre", "body": against}, `form[action$="/arguments"] button[type=submit]`)
	wantText(t, con, "Votre argument est publié.", against)
	hash, err := eval[string](con, `location.hash`)
	if err != nil || !strings.HasPrefix(hash, "#argument-") {
		t.Fatalf("the new argument's anchor: %q, %v", hash, err)
	}
	argument := strings.TrimPrefix(hash, "#argument-")

	reporter := newTab(t, true)
	signInAs(t, reporter, demoSignIn(t, "association@courriel.localhost"))
	open(reporter, debate, "un débat, à lire")
	click(t, reporter, `#argument-`+argument+` a[href$="/signaler"]`)
	wantText(t, reporter, against)
	check(reporter, "signaler un argument")
	fill(t, reporter, map[string]string{"reason": "hors-sujet", "comment": "Cela ne répond pas à la question."},
		`main form[action$="/signaler"] button[type=submit]`)
	wantText(t, reporter, "votre signalement est transmis aux modérateurs")
	check(reporter, "argument signalé")

	moderator := newTab(t, true)
	signInAs(t, moderator, demoSignIn(t, "moderation@montclair.localhost"))
	open(moderator, "/gestion/participation", "file de modération")
	wantText(t, moderator, against)
	form := `#message-` + argument + ` form[action$="/messages/` + argument + `"]`
	if _, err := eval[bool](moderator, `(() => { const ta = document.querySelector(`+quote(form+` textarea[name="reason"]`)+`);
		ta.value = `+quote(reason)+`; return true; })()`); err != nil {
		t.Fatalf("the reason's field: %v", err)
	}
	click(t, moderator, form+` button[type=submit]`)
	wantText(t, moderator, "Le message est masqué")
	check(moderator, "argument masqué")

	open(con, debate, "mon argument masqué")
	wantText(t, con, "Argument masqué par un modérateur.", reason)
	if strings.Contains(bodyText(t, visitor), against) {
		t.Error("the visitor's earlier page is read again below")
	}
	open(visitor, debate, "le débat après modération, en visiteur")
	if strings.Contains(bodyText(t, visitor), against) {
		t.Error("a visitor still reads the hidden argument")
	}
	open(con, "/participer/messages/"+argument+"/appel", "faire appel")
	wantText(t, con, reason)

	s.finish()
}
