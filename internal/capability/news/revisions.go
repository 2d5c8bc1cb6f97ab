package news

import (
	"context"
	"guichet/internal/publishing"
)

// Revised returns the news item as revision r saved it.
func Revised(r *publishing.Revision) (*News, error) {
	var n News
	return &n, publishing.ContentHistory.Decode(r, Kind, &n)
}

// Restore brings back what the editor's form held in a revision of a
// news item and saves it as a new revision. The item stays as published as
// it is now: restoring publishes nothing by itself.
func (s *Store) Restore(ctx context.Context, tenantID, id, revisionID, author string) (*News, error) {
	rev, err := s.Revision(ctx, tenantID, Kind, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := Revised(rev)
	if err != nil {
		return nil, err
	}
	n, err := s.ByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	n.Title, n.Category, n.Summary, n.Body, n.EasyRead = old.Title, old.Category, old.Summary, old.Body, old.EasyRead
	n.TitleEN, n.BodyEN, n.ImageID, n.ImageAlt = old.TitleEN, old.BodyEN, old.ImageID, old.ImageAlt
	return n, s.Save(ctx, n, author, publishing.ActionRestored)
}
