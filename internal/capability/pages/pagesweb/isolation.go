package pagesweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the town's swimming-pool page,
// which the village does not have, its editor's pages and its revisions.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("read a town page", anon, "GET", nil, kernel.Path("/vie-pratique/piscine-municipale", "Piscine municipale"), http.StatusNotFound, nil),
		row("edit a town page", admin, "GET", nil, c.townPagePath(""), http.StatusNotFound, nil),
		row("unpublish a town page", admin, "POST", url.Values{"status": {"unpublished"}}, c.townPagePath("/statut"), http.StatusNotFound, c.townPageIntact),
		row("read a town page's history", admin, "GET", nil, c.townPagePath("/historique"), http.StatusNotFound, nil),
		row("read a town page revision", admin, "GET", nil, c.townPageRevision(""), http.StatusNotFound, nil),
		row("restore a town page revision", admin, "POST", nil, c.townPageRevision("/restaurer"), http.StatusNotFound, c.townPageIntact),
		row("restore a town revision into a village page", admin, "POST", nil, c.townRevisionOnVillagePage, http.StatusNotFound, c.townPageIntact),
	}
}

// townPagePath targets the editor's page of the town's swimming pool.
func (c *Capability) townPagePath(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		id, err := c.townPageID(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return "/gestion/pages/" + id + suffix, []string{"Piscine municipale"}, nil
	}
}

func (c *Capability) townPageID(ctx context.Context, town *tenant.Tenant) (string, error) {
	list, err := c.Store.All(ctx, town.ID)
	if err != nil {
		return "", err
	}
	for _, p := range list {
		if p.Slug == "piscine-municipale" {
			return p.ID, nil
		}
	}
	return "", errors.New("no town swimming-pool page")
}

// firstRevision returns the oldest revision of the town's page.
func (c *Capability) firstRevision(ctx context.Context, town *tenant.Tenant) (string, *publishing.Revision, error) {
	id, err := c.townPageID(ctx, town)
	if err != nil {
		return "", nil, err
	}
	revs, err := c.Store.Revisions(ctx, town.ID, id)
	if err != nil || len(revs) == 0 {
		return "", nil, fmt.Errorf("no revision of %s: %v", id, err)
	}
	return id, &revs[len(revs)-1], nil
}

// townPageRevision targets a revision of the town's page, or (suffix
// "/restaurer") its restoration; its title is the leak marker.
func (c *Capability) townPageRevision(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		id, rev, err := c.firstRevision(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return "/gestion/pages/" + id + "/historique/" + rev.ID + suffix, []string{rev.Title}, nil
	}
}

// townRevisionOnVillagePage pairs the village's own page with a revision
// of the town's: the revision must stay out of reach.
func (c *Capability) townRevisionOnVillagePage(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	village, err := c.k.Tenants.BySlug(ctx, demo.Village)
	if err != nil {
		return "", nil, err
	}
	menu, err := c.Store.Menu(ctx, village.ID)
	if err != nil || len(menu) == 0 {
		return "", nil, fmt.Errorf("no village page: %v", err)
	}
	_, rev, err := c.firstRevision(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/gestion/pages/" + menu[0].ID + "/historique/" + rev.ID + "/restaurer", []string{rev.Title}, nil
}

// townPageIntact checks that the town's page is still public and was
// never restored.
func (c *Capability) townPageIntact(ctx context.Context, town *tenant.Tenant) error {
	id, err := c.townPageID(ctx, town)
	if err != nil {
		return err
	}
	revs, err := c.Store.Revisions(ctx, town.ID, id)
	if err != nil {
		return err
	}
	var problems []error
	for _, r := range revs {
		if r.Action == publishing.ActionRestored {
			problems = append(problems, errors.New("the town's page was restored"))
		}
	}
	if _, err := c.Store.Public(ctx, town.ID, "piscine-municipale"); err != nil {
		problems = append(problems, fmt.Errorf("the town's page is no longer public: %v", err))
	}
	return errors.Join(problems...)
}
