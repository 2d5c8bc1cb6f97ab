package content

import (
	"context"
	"guichet/internal/publishing"
)

// ActionRestored names a revision that brought back an earlier one.
const ActionRestored = publishing.ActionRestored

// Revision is one saved version of a news item, event or page.
type Revision = publishing.Revision

// RevisedNews returns the news item as revision r saved it.
func RevisedNews(r *Revision) (*News, error) {
	var n News
	return &n, publishing.ContentHistory.Decode(r, KindNews, &n)
}

// RestoreNews brings back what the editor's form held in a revision of a
// news item and saves it as a new revision. The item stays as published as
// it is now: restoring publishes nothing by itself.
func (s *Store) RestoreNews(ctx context.Context, tenantID, id, revisionID, author string) (*News, error) {
	rev, err := s.Revision(ctx, tenantID, KindNews, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := RevisedNews(rev)
	if err != nil {
		return nil, err
	}
	n, err := s.NewsByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	n.Title, n.Category, n.Summary, n.Body, n.EasyRead = old.Title, old.Category, old.Summary, old.Body, old.EasyRead
	n.TitleEN, n.BodyEN, n.ImageID, n.ImageAlt = old.TitleEN, old.BodyEN, old.ImageID, old.ImageAlt
	return n, s.SaveNews(ctx, n, author, ActionRestored)
}
