package eventsweb

import (
	"context"
	"fmt"
	"guichet/internal/capability/events"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
	"net/http"
	"net/url"
	"time"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: an event the town alone has,
// its registrations, its editor's pages and revisions.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("read a town event", anon, "GET", nil, c.townEvent(func(e *events.Event) string { return e.URL() }), http.StatusNotFound, nil),
		row("download a town event", anon, "GET", nil, c.townEvent(func(e *events.Event) string { return e.URL() + ".ics" }), http.StatusNotFound, nil),
		row("read a town event by API", anon, "GET", nil, c.townEvent(func(e *events.Event) string { return "/api/v1/events/" + e.ID }), http.StatusNotFound, nil),
		row("register to a town event", anon, "POST", url.Values{"name": {"Intrus"}, "email": {"intrus@courriel.localhost"}},
			c.townEvent(func(e *events.Event) string { return e.URL() + "/inscription" }), http.StatusNotFound, nil),
		row("cancel a town event", admin, "POST", url.Values{"status": {"cancelled"}},
			c.townEvent(func(e *events.Event) string { return "/gestion/agenda/" + e.ID + "/statut" }), http.StatusNotFound, c.townEventIntact),
		row("read a town event's history", admin, "GET", nil, c.townEvent(func(e *events.Event) string { return "/gestion/agenda/" + e.ID + "/historique" }), http.StatusNotFound, nil),
		row("read a town event revision", admin, "GET", nil, c.townEventRevision(""), http.StatusNotFound, nil),
		row("restore a town event revision", admin, "POST", nil, c.townEventRevision("/restaurer"), http.StatusNotFound, publishingweb.NotRestored(c.Store.Desk, c.eventID)),
		row("cancel a town registration", anon, "POST", nil, c.townRegistration, http.StatusNotFound, c.townRegistrationIntact),
	}
}

// townOnly marks records that exist in the town alone (the demo gives
// both collectivités the same slugs).
const townOnly = "réservé à Montclair"

func (c *Capability) townEventRevision(suffix string) kernel.IsolationTarget {
	return publishingweb.RevisionTarget(c.Store.Desk, "/gestion/agenda/", c.eventID, suffix)
}

func (c *Capability) firstTownEvent(ctx context.Context, town *tenant.Tenant) (*events.Event, error) {
	list, _, err := c.Store.ListStaff(ctx, town.ID, publishing.ListFilter{Query: townOnly})
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return list[0], nil
	}
	start := c.k.Now().Add(72 * time.Hour).Truncate(time.Hour)
	ev := &events.Event{TenantID: town.ID, Category: "culture", Title: "Soirée " + townOnly, Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 10, Status: publishing.StatusPublished}
	return ev, c.Store.Save(ctx, ev, town.Location(), "test", "published")
}

func (c *Capability) townEvent(p func(*events.Event) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		ev, err := c.firstTownEvent(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return p(ev), []string{townOnly}, nil
	}
}

func (c *Capability) townEventIntact(ctx context.Context, town *tenant.Tenant) error {
	ev, err := c.firstTownEvent(ctx, town)
	if err != nil {
		return err
	}
	if ev.Cancelled || ev.Status != publishing.StatusPublished {
		return fmt.Errorf("the town's event changed: cancelled %v, %s", ev.Cancelled, ev.Status)
	}
	return nil
}

func (c *Capability) townRegistration(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	ev, err := c.firstTownEvent(ctx, town)
	if err != nil {
		return "", nil, err
	}
	regs, _ := c.Store.Registrations(ctx, town.ID, ev.ID)
	if len(regs) > 0 {
		return "", nil, fmt.Errorf("the town's event has %d registrations already: this row needs it without any", len(regs))
	}
	_, token, err := c.Store.Register(ctx, town.ID, events.RegistrationRequest{Slug: ev.Slug, Name: "Habitante",
		Email: "inscrite@courriel.localhost", Loc: town.Location()})
	if err != nil {
		return "", nil, err
	}
	return "/inscriptions/" + token, []string{"inscrite@courriel.localhost"}, nil
}

func (c *Capability) townRegistrationIntact(ctx context.Context, town *tenant.Tenant) error {
	ev, err := c.firstTownEvent(ctx, town)
	if err != nil {
		return err
	}
	seats, err := c.Store.SeatsByDate(ctx, town.ID, ev.ID)
	taken := 0
	for _, st := range seats {
		taken += st.Taken
	}
	if err != nil || taken != 1 {
		return fmt.Errorf("the town's registration changed: %d seats taken, %v", taken, err)
	}
	return nil
}

func (c *Capability) eventID(ctx context.Context, town *tenant.Tenant) (string, error) {
	ev, err := c.firstTownEvent(ctx, town)
	if err != nil {
		return "", err
	}
	return ev.ID, nil
}
