package eventsweb

import (
	"context"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/kernel"
	"guichet/internal/publishing"
)

// publications is what the agenda offers the capabilities that carry
// publications elsewhere (the fediverse, the newsletter's blocks).
func publications(s *events.Store) kernel.PublicationSource {
	return kernel.PublicationSource{Kind: events.Kind,
		Published: func(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]kernel.Publication, error) {
			list, err := s.PublishedBetween(ctx, tenantID, from, to, limit)
			return publicationsOf(list), err
		},
		Recent: func(ctx context.Context, tenantID string, now time.Time, limit int) ([]kernel.Publication, error) {
			list, err := s.LatestPublished(ctx, tenantID, now, limit)
			return publicationsOf(list), err
		},
		Get: func(ctx context.Context, tenantID, id string, now time.Time) (kernel.Publication, error) {
			e, err := s.ByID(ctx, tenantID, id)
			if err != nil {
				return kernel.Publication{}, err
			}
			if !e.Public(now) {
				return kernel.Publication{}, publishing.ErrNotFound
			}
			return publicationOf(e), nil
		}}
}

func publicationsOf(list []*events.Event) []kernel.Publication {
	out := make([]kernel.Publication, len(list))
	for i, e := range list {
		out[i] = publicationOf(e)
	}
	return out
}

func publicationOf(e *events.Event) kernel.Publication {
	p := kernel.Publication{Kind: events.Kind, ID: e.ID, Title: e.Title, Summary: e.Summary, Body: e.Body,
		Path: e.URL(), Updated: e.UpdatedAt, Lang: "fr", Starts: e.Start, Ends: e.End, Place: e.Place, Category: e.Category}
	if e.PublishAt != nil {
		p.Published = *e.PublishAt
	}
	return p
}
