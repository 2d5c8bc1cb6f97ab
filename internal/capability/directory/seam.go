package directory

import (
	"context"
	"errors"
	"slices"

	"guichet/internal/kernel"
)

// Seam is what the directory answers the other capabilities through the
// kernel (kernel.SetDirectory).
func (s *Store) Seam() kernel.DirectorySource {
	return kernel.DirectorySource{List: s.seamList, Get: s.seamGet, ManagedBy: s.seamManagedBy,
		Manages: s.Manages}
}

// Shared returns an entry as the kernel's seam gives it.
func (e *Entry) Shared() kernel.DirectoryEntry {
	return kernel.DirectoryEntry{ID: e.ID, Slug: e.Slug, Name: e.Name, Category: e.Category, Organisation: e.Organisation,
		Summary: e.Summary, Path: e.Path(), Address: e.FullAddress(), Lat: e.Lat, Lon: e.Lon, Email: e.Email, Phone: e.Phone,
		Website: e.Website, OpeningHours: e.OpeningHours, Wheelchair: e.Wheelchair == WheelchairYes, HearingLoop: e.HearingLoop}
}

func (s *Store) seamList(ctx context.Context, tenantID string, q kernel.DirectoryQuery) ([]kernel.DirectoryEntry, error) {
	all, err := s.Published(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := []kernel.DirectoryEntry{}
	for _, e := range all {
		if len(q.Categories) > 0 && !slices.Contains(q.Categories, e.Category) {
			continue
		}
		if q.Organisations && !e.Organisation {
			continue
		}
		out = append(out, e.Shared())
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

func (s *Store) seamGet(ctx context.Context, tenantID, id string) (kernel.DirectoryEntry, error) {
	e, err := s.Entry(ctx, tenantID, id)
	if errors.Is(err, ErrNotFound) || (err == nil && !e.Published) {
		return kernel.DirectoryEntry{}, kernel.ErrNoDirectoryEntry
	}
	if err != nil {
		return kernel.DirectoryEntry{}, err
	}
	return e.Shared(), nil
}

func (s *Store) seamManagedBy(ctx context.Context, tenantID, accountID string) ([]string, error) {
	list, err := s.ManagedBy(ctx, tenantID, accountID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	return ids, nil
}
