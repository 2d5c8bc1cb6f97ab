package networkweb_test

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/network"
	"guichet/internal/capability/network/networkweb"
)

// odd are values a form may receive from a careless hand or a script.
var odd = []string{"", " ", "NaN", "-1", "0", "99999999999999999999", "1e308", "2026-02-30", "24:00", "\xff\xfe", "a\x00b",
	"<script>alert(1)</script>", "' OR 1=1 --", strings.Repeat("é", 5000), "/%09/evil.example"}

// TestFormsAnswerOddValuesWithoutAServerError sends every form of the
// network, valid but for one field holding an odd value: the answer is a
// page, a redirect or a refusal, never a server error.
func TestFormsAnswerOddValuesWithoutAServerError(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		amicale, cinema := entryID(t, e, "amicale-des-tilleuls"), entryID(t, e, "cinema-le-rex")
		proposals, err := networkweb.Of(e.App.Kernel).Store.Ties(t.Context(), e.Town.ID, network.Proposed)
		if err != nil || len(proposals) == 0 {
			t.Fatalf("no proposal in the demo: %v", err)
		}
		proposal := proposals[0].ID
		tie := url.Values{"from": {amicale}, "to": {cinema}, "kind": {network.KindMembers}, "since": {"2020"}, "note": {"Note."},
			"funded": {"1"}}
		contact := url.Values{"name": {"Anne Petit"}, "role": {"secrétaire"}, "email": {"anne.petit@courriel.localhost"},
			"phone": {"05 49 00 00 01"}, "leader": {"1"}, "consent_date": {e.App.Now().Format("2006-01-02")},
			"consent_source": {network.ConsentEmail}, "consent": {"1"}}
		campaign := url.Values{"target": {network.TargetSelection}, "orgs": {amicale, cinema}, "cluster": {"A"},
			"category": {"association"}, "kind": {network.Invitation}, "subject": {"Réunion"}, "body": {"Texte."}, "event": {""},
			"event_date": {e.App.Now().AddDate(0, 1, 0).Format("2006-01-02")}, "event_time": {"18:30"}, "place": {"Mairie"},
			"target_kind": {network.TargetCluster}, "target_label": {"Groupe A"}}
		staff := e.Browser(e.Town).SignInDemo(t, engagement)
		manager := e.Browser(e.Town).SignInDemo(t, networkweb.DemoManager)
		for _, form := range []struct {
			b      *apptest.Browser
			action string
			base   url.Values
		}{
			{staff, networkweb.TiesPath, tie},
			{staff, networkweb.OrgPath + amicale + "/liens", tie},
			{staff, networkweb.OrgPath + amicale + "/contacts", contact},
			{staff, networkweb.TiesPath + "/" + proposal + "/refuser", url.Values{"reason-" + proposal: {"Non."}}},
			{staff, networkweb.CampaignsPath + "/apercu", campaign},
			{staff, networkweb.CampaignsPath, campaign},
			{manager, networkweb.MinePath + "/" + amicale + "/liens", tie},
			{manager, networkweb.MinePath + "/" + amicale + "/contacts", contact},
		} {
			for _, field := range slices.Sorted(maps.Keys(form.base)) {
				for _, v := range odd {
					values := maps.Clone(form.base)
					values[field] = []string{v}
					if res := form.b.Post(form.action, values); res.Status >= 500 {
						t.Errorf("%s with %s=%q: %d\n%.300s", form.action, field, v, res.Status, res.Body)
					}
				}
			}
		}
	}, apptest.WithDemoData())
}
