package publishingweb

import (
	"context"
	"errors"
	"fmt"

	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// ItemID finds the id of a town item an isolation row targets.
type ItemID func(ctx context.Context, town *tenant.Tenant) (string, error)

// RevisionTarget targets the oldest revision of the town's item under base
// ("/gestion/agenda/"), or with suffix "/restaurer" its restoration; the
// revision's title is the leak marker.
func RevisionTarget(d *publishing.Desk, base string, id ItemID, suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		item, err := id(ctx, town)
		if err != nil {
			return "", nil, err
		}
		revs, err := d.Revisions(ctx, town.ID, item)
		if err != nil || len(revs) == 0 {
			return "", nil, fmt.Errorf("no revision of %s: %v", item, err)
		}
		rev := revs[len(revs)-1]
		return base + item + "/historique/" + rev.ID + suffix, []string{rev.Title}, nil
	}
}

// NotRestored checks that no restoration reached the town's item.
func NotRestored(d *publishing.Desk, id ItemID) kernel.IsolationCheck {
	return func(ctx context.Context, town *tenant.Tenant) error {
		item, err := id(ctx, town)
		if err != nil {
			return err
		}
		revs, err := d.Revisions(ctx, town.ID, item)
		if err != nil {
			return err
		}
		var restored []error
		for _, r := range revs {
			if r.Action == publishing.ActionRestored {
				restored = append(restored, fmt.Errorf("the town's item %s was restored", item))
			}
		}
		return errors.Join(restored...)
	}
}
