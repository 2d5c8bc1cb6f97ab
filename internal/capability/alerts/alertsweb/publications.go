package alertsweb

import (
	"context"
	"time"

	"guichet/internal/capability/alerts"
	"guichet/internal/kernel"
	"guichet/internal/publishing"
)

// publications is what the alerts offer the capabilities that carry
// publications elsewhere (the fediverse, the newsletter's blocks): an
// alert counts as published when it begins to show.
func publications(s *alerts.Store) kernel.PublicationSource {
	return kernel.PublicationSource{Kind: alerts.KindAlert,
		Published: func(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]kernel.Publication, error) {
			list, err := s.StartedBetween(ctx, tenantID, from, to, limit)
			return publicationsOf(list), err
		},
		Recent: func(ctx context.Context, tenantID string, now time.Time, limit int) ([]kernel.Publication, error) {
			list, err := s.LatestStarted(ctx, tenantID, now, limit)
			return publicationsOf(list), err
		},
		Get: func(ctx context.Context, tenantID, id string, now time.Time) (kernel.Publication, error) {
			a, err := s.ByID(ctx, tenantID, id)
			if err != nil {
				return kernel.Publication{}, err
			}
			if a.Withdrawn || a.Start.After(now) {
				return kernel.Publication{}, publishing.ErrNotFound
			}
			return publicationOf(a), nil
		}}
}

func publicationsOf(list []*alerts.Alert) []kernel.Publication {
	out := make([]kernel.Publication, len(list))
	for i, a := range list {
		out[i] = publicationOf(a)
	}
	return out
}

func publicationOf(a *alerts.Alert) kernel.Publication {
	return kernel.Publication{Kind: alerts.KindAlert, ID: a.ID, Title: a.Title, Summary: a.Body,
		Path: "/alertes#alerte-" + a.ID, Published: a.Start, Updated: a.UpdatedAt, Lang: "fr",
		Starts: a.Start, Ends: a.Expires, Severity: a.Severity, Area: a.Area}
}
