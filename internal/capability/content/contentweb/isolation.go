package contentweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: news, events and
// registrations, images.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("read a town news item", anon, "GET", nil, c.townNews(func(n *content.News) string { return n.URL() }), http.StatusNotFound, nil),
		row("read a town news item by API", anon, "GET", nil, c.townNews(func(n *content.News) string { return "/api/v1/news/" + n.ID }), http.StatusNotFound, nil),
		row("edit a town news item", admin, "GET", nil, c.townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID }), http.StatusNotFound, nil),
		row("change a town news item", admin, "POST", url.Values{"title": {"Piraté"}, "category": {"travaux"}, "body": {"x"}, "action": {"save"}},
			c.townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID }), http.StatusNotFound, c.townNewsIntact),
		row("unpublish a town news item", admin, "POST", url.Values{"status": {"unpublished"}},
			c.townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID + "/statut" }), http.StatusNotFound, c.townNewsIntact),
		row("read a town news item's history", admin, "GET", nil, c.townNews(func(n *content.News) string { return "/gestion/actualites/" + n.ID + "/historique" }), http.StatusNotFound, nil),
		row("read a town news revision", admin, "GET", nil, c.townNewsRevision(""), http.StatusNotFound, nil),
		row("restore a town news revision", admin, "POST", nil, c.townNewsRevision("/restaurer"), http.StatusNotFound, c.townNotRestored(c.newsID)),
		row("read a town event", anon, "GET", nil, c.townEvent(func(e *content.Event) string { return e.URL() }), http.StatusNotFound, nil),
		row("download a town event", anon, "GET", nil, c.townEvent(func(e *content.Event) string { return e.URL() + ".ics" }), http.StatusNotFound, nil),
		row("read a town event by API", anon, "GET", nil, c.townEvent(func(e *content.Event) string { return "/api/v1/events/" + e.ID }), http.StatusNotFound, nil),
		row("register to a town event", anon, "POST", url.Values{"name": {"Intrus"}, "email": {"intrus@courriel.localhost"}},
			c.townEvent(func(e *content.Event) string { return e.URL() + "/inscription" }), http.StatusNotFound, nil),
		row("cancel a town event", admin, "POST", url.Values{"status": {"cancelled"}},
			c.townEvent(func(e *content.Event) string { return "/gestion/agenda/" + e.ID + "/statut" }), http.StatusNotFound, c.townEventIntact),
		row("read a town event's history", admin, "GET", nil, c.townEvent(func(e *content.Event) string { return "/gestion/agenda/" + e.ID + "/historique" }), http.StatusNotFound, nil),
		row("read a town event revision", admin, "GET", nil, c.townEventRevision(""), http.StatusNotFound, nil),
		row("restore a town event revision", admin, "POST", nil, c.townEventRevision("/restaurer"), http.StatusNotFound, c.townNotRestored(c.eventID)),
		row("cancel a town registration", anon, "POST", nil, c.townRegistration, http.StatusNotFound, c.townRegistrationIntact),
		row("see a town image", anon, "GET", nil, c.townImage, http.StatusNotFound, nil),
	}
}

// townOnly marks records that exist in the town alone (the demo gives
// both collectivités the same pages and slugs).
const townOnly = "réservé à Montclair"

func (c *Capability) townNews(p func(*content.News) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		n, err := c.firstTownNews(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return p(n), []string{townOnly}, nil
	}
}

func (c *Capability) firstTownNews(ctx context.Context, town *tenant.Tenant) (*content.News, error) {
	list, _, err := c.Store.ListNews(ctx, town.ID, content.NewsFilter{Query: townOnly})
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return list[0], nil
	}
	n := &content.News{TenantID: town.ID, Category: "culture", Title: "Article " + townOnly, Body: "Texte " + townOnly,
		Status: content.StatusPublished}
	return n, c.Store.SaveNews(ctx, n, "test", "published")
}

func (c *Capability) townNewsIntact(ctx context.Context, town *tenant.Tenant) error {
	n, err := c.firstTownNews(ctx, town)
	if err != nil {
		return err
	}
	if n.Title == "Piraté" || n.Status != content.StatusPublished {
		return fmt.Errorf("the town's news item changed: %q %s", n.Title, n.Status)
	}
	return nil
}

func (c *Capability) firstTownEvent(ctx context.Context, town *tenant.Tenant) (*content.Event, error) {
	list, _, err := c.Store.ListStaffEvents(ctx, town.ID, content.NewsFilter{Query: townOnly})
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return list[0], nil
	}
	start := c.k.Now().Add(72 * time.Hour).Truncate(time.Hour)
	ev := &content.Event{TenantID: town.ID, Category: "culture", Title: "Soirée " + townOnly, Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 10, Status: content.StatusPublished}
	return ev, c.Store.SaveEvent(ctx, ev, town.Location(), "test", "published")
}

func (c *Capability) townEvent(p func(*content.Event) string) kernel.IsolationTarget {
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
	if ev.Cancelled || ev.Status != content.StatusPublished {
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
	_, token, err := c.Store.Register(ctx, town.ID, content.RegistrationRequest{Slug: ev.Slug, Name: "Habitante",
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

func (c *Capability) newsID(ctx context.Context, town *tenant.Tenant) (string, error) {
	n, err := c.firstTownNews(ctx, town)
	if err != nil {
		return "", err
	}
	return n.ID, nil
}

func (c *Capability) eventID(ctx context.Context, town *tenant.Tenant) (string, error) {
	ev, err := c.firstTownEvent(ctx, town)
	if err != nil {
		return "", err
	}
	return ev.ID, nil
}

// itemID finds a town item's id.
type itemID func(ctx context.Context, town *tenant.Tenant) (string, error)

// firstRevision returns the oldest revision of a town item.
func (c *Capability) firstRevision(ctx context.Context, town *tenant.Tenant, id string) (content.Revision, error) {
	revs, err := c.Store.Revisions(ctx, town.ID, id)
	if err != nil || len(revs) == 0 {
		return content.Revision{}, fmt.Errorf("no revision of %s: %v", id, err)
	}
	return revs[len(revs)-1], nil
}

// revisionPath targets a revision of a town item, or (suffix "/restaurer")
// its restoration; its title is the leak marker.
func (c *Capability) revisionPath(base string, id itemID, suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		item, err := id(ctx, town)
		if err != nil {
			return "", nil, err
		}
		rev, err := c.firstRevision(ctx, town, item)
		if err != nil {
			return "", nil, err
		}
		return base + item + "/historique/" + rev.ID + suffix, []string{rev.Title}, nil
	}
}

func (c *Capability) townNewsRevision(suffix string) kernel.IsolationTarget {
	return c.revisionPath("/gestion/actualites/", c.newsID, suffix)
}

func (c *Capability) townEventRevision(suffix string) kernel.IsolationTarget {
	return c.revisionPath("/gestion/agenda/", c.eventID, suffix)
}

// townNotRestored checks that no restoration reached the town's item.
func (c *Capability) townNotRestored(id itemID) kernel.IsolationCheck {
	return func(ctx context.Context, town *tenant.Tenant) error {
		item, err := id(ctx, town)
		if err != nil {
			return err
		}
		revs, err := c.Store.Revisions(ctx, town.ID, item)
		if err != nil {
			return err
		}
		var restored []error
		for _, r := range revs {
			if r.Action == content.ActionRestored {
				restored = append(restored, fmt.Errorf("the town's item %s was restored", item))
			}
		}
		return errors.Join(restored...)
	}
}

// pngPixel is the smallest valid PNG image.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func (c *Capability) townImage(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	id, err := c.Store.SaveImage(ctx, town.ID, pngPixel)
	if err != nil {
		return "", nil, err
	}
	return "/medias/" + id, nil, nil
}
