package appointment

import (
	"context"
	"log/slog"
	"strings"

	"guichet/internal/publishing/search"
)

// KindAppointment is the kinds of appointment in the site search.
const KindAppointment = "appointment"

// SearchKind is the kinds of appointment residents can book, as the site
// search lists them: indexed whole after every change to an agenda.
func (s *Store) SearchKind() search.Kind {
	return search.Kind{Name: KindAppointment, Label: "appointment.search.kind", Action: "appointment.search.action", Boost: 170, Docs: s.searchDocs}
}

func (s *Store) searchDocs(ctx context.Context, tenantID string) ([]search.Doc, error) {
	agendas, err := s.Agendas(ctx, tenantID, true)
	if err != nil {
		return nil, err
	}
	var docs []search.Doc
	for _, listed := range agendas {
		a, err := s.Agenda(ctx, tenantID, listed.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range a.Types {
			// "Rendez-vous" is what residents add to the service they want.
			body := strings.Join([]string{"Rendez-vous", a.Name, a.Service, a.Description, a.Place, t.Documents}, "\n")
			docs = append(docs, search.Doc{ID: t.ID, Title: t.Name, URL: "/rendez-vous/" + a.Slug + "/" + t.Slug,
				Body: body, PublishedAt: a.CreatedAt})
		}
	}
	return docs, nil
}

// indexChanged refreshes the search after a change to an agenda; a
// failure leaves the index as it was until the next change, and is logged.
func (s *Store) indexChanged(ctx context.Context, tenantID string) {
	if s.Search == nil {
		return
	}
	if err := s.Search.Sync(ctx, tenantID, s.SearchKind()); err != nil {
		slog.ErrorContext(ctx, "search: appointments not indexed", "tenant", tenantID, "error", err)
	}
}
