package newsweb

import (
	"context"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel"
	"guichet/internal/publishing"
)

// publications is what the news offer the capabilities that carry
// publications elsewhere (the fediverse, the newsletter's blocks).
func publications(s *news.Store) kernel.PublicationSource {
	return kernel.PublicationSource{Kind: news.Kind,
		Published: func(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]kernel.Publication, error) {
			list, err := s.PublishedBetween(ctx, tenantID, from, to, limit)
			return publicationsOf(list), err
		},
		Recent: func(ctx context.Context, tenantID string, _ time.Time, limit int) ([]kernel.Publication, error) {
			list, err := s.FeedPublic(ctx, tenantID, limit)
			return publicationsOf(list), err
		},
		Get: func(ctx context.Context, tenantID, id string, now time.Time) (kernel.Publication, error) {
			n, err := s.ByID(ctx, tenantID, id)
			if err != nil {
				return kernel.Publication{}, err
			}
			if !n.Public(now) {
				return kernel.Publication{}, publishing.ErrNotFound
			}
			return publicationOf(n), nil
		}}
}

func publicationsOf(list []*news.News) []kernel.Publication {
	out := make([]kernel.Publication, len(list))
	for i, n := range list {
		out[i] = publicationOf(n)
	}
	return out
}

func publicationOf(n *news.News) kernel.Publication {
	p := kernel.Publication{Kind: news.Kind, ID: n.ID, Title: n.Title, Summary: n.Summary, Body: n.Body,
		Path: n.URL(), Updated: n.UpdatedAt, Lang: "fr", ImageAlt: n.ImageAlt}
	if n.PublishAt != nil {
		p.Published = *n.PublishAt
	}
	if n.ImageID != "" {
		p.Image = "/medias/" + n.ImageID
	}
	return p
}
