package communitiesweb

import (
	"context"

	"guichet/internal/kernel"
)

var _ kernel.CommunitySource = (*Capability)(nil)

// CommunityList implements kernel.CommunitySource.
func (c *Capability) CommunityList(ctx context.Context, tenantID string) ([]kernel.Community, error) {
	list, err := c.Store.List(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]kernel.Community, len(list))
	for i, cm := range list {
		out[i] = kernel.Community{ID: cm.ID, Slug: cm.Slug, Name: cm.Name, Kind: cm.Kind, Path: cm.Path()}
	}
	return out, nil
}

// MemberOf implements kernel.CommunitySource.
func (c *Capability) MemberOf(ctx context.Context, tenantID, userID string) ([]string, error) {
	ms, err := c.Store.Memberships(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.Community.ID
	}
	return ids, nil
}
