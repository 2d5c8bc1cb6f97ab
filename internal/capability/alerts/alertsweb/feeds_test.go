package alertsweb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts"
	"guichet/internal/capability/alerts/alertsweb"
)

// TestAlertsFeedReadByAnIndependentParser publishes an alert and reads
// the alerts' Atom feed with @rowanmanning/feed-parser.
func TestAlertsFeedReadByAnIndependentParser(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		b := e.Browser(e.Town)
		a := &alerts.Alert{TenantID: e.Town.ID, Title: "Vigilance orages", Severity: alerts.SeverityWarning, Topic: "meteo",
			Expires: e.App.Now().Add(time.Hour)}
		if err := alertsweb.Of(e.App.Kernel).Store.Publish(ctx, a, "http://montclair.localhost"); err != nil {
			t.Fatal(err)
		}
		var feed struct {
			Entries []struct {
				ID, Title  string
				Categories []string
			}
		}
		apptest.ParseFeed(t, "atom", b.Get("/alertes/flux.atom").Want(t, 200).Body, &feed)
		found := false
		for _, en := range feed.Entries {
			found = found || (en.ID == "urn:uuid:"+a.ID && strings.HasSuffix(en.Title, "Vigilance orages") && en.Categories[0] == "meteo")
		}
		if !found {
			t.Errorf("alert missing from its feed: %+v", feed.Entries)
		}
	})
}
