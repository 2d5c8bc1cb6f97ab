package procedure

import (
	"context"
	"log/slog"

	"guichet/internal/kernel/invalidate"
	"guichet/internal/publishing/search"
)

// KindProcedure is the procedures' kind in the site search.
const KindProcedure = "procedure"

// SearchKind is the open procedures as the site search lists them: a
// small catalogue, indexed whole after every change to it.
func (s *Store) SearchKind() search.Kind {
	return search.Kind{Name: KindProcedure, Label: "procedure.search.kind", Action: "procedure.search.action", Boost: 170, Docs: s.searchDocs}
}

func (s *Store) searchDocs(ctx context.Context, tenantID string) ([]search.Doc, error) {
	list, err := s.PublishedProcedures(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	docs := make([]search.Doc, 0, len(list))
	for _, p := range list {
		// The fields' labels carry the words residents type ("acte",
		// "naissance", "justificatif").
		body := p.Summary + "\n" + p.Service
		form, err := s.Form(ctx, tenantID, p.ID, p.Version)
		if err != nil {
			return nil, err
		}
		form.Each(func(sec *Section, f *Field) {
			if f.Label != sec.Title {
				body += "\n" + f.Label
			}
		})
		docs = append(docs, search.Doc{ID: p.ID, Title: p.Title, URL: "/demarches/" + p.Slug, Body: body, PublishedAt: p.CreatedAt})
	}
	return docs, nil
}

// changed announces a committed change to the procedures and refreshes
// them in the search; a failure leaves the index as it was until the next
// change, and is logged.
func (s *Store) changed(ctx context.Context, tenantID string) {
	if s.Changes != nil {
		s.Changes.Changed(ctx, invalidate.Change{Kind: invalidate.Procedure, TenantID: tenantID})
	}
	if s.Search == nil {
		return
	}
	if err := s.Search.Sync(ctx, tenantID, s.SearchKind()); err != nil {
		slog.ErrorContext(ctx, "search: procedures not indexed", "tenant", tenantID, "error", err)
	}
}
