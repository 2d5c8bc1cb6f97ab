package kernel

import "context"

// Community is a community of the collectivité as other capabilities
// see it: the participation's spaces and polls are tied to them.
type Community struct {
	ID, Slug, Name string
	// Kind is the communities' kind ("quartier", "ecole", …).
	Kind string
	// Path is its page on the collectivité's site.
	Path string
}

// CommunitySource is a capability keeping the communities and who
// belongs to them.
type CommunitySource interface {
	Capability
	// CommunityList lists a collectivité's communities by name.
	CommunityList(ctx context.Context, tenantID string) ([]Community, error)
	// MemberOf lists the ids of the communities userID belongs to.
	MemberOf(ctx context.Context, tenantID, userID string) ([]string, error)
}

// Communities lists a collectivité's communities, from the installed
// capability that keeps them; none when none is installed.
func (k *Kernel) Communities(ctx context.Context, tenantID string) ([]Community, error) {
	for _, c := range k.installed {
		if s, ok := c.(CommunitySource); ok {
			return s.CommunityList(ctx, tenantID)
		}
	}
	return nil, nil
}

// MemberOf lists the ids of the communities userID belongs to; none
// when no capability keeps communities.
func (k *Kernel) MemberOf(ctx context.Context, tenantID, userID string) ([]string, error) {
	for _, c := range k.installed {
		if s, ok := c.(CommunitySource); ok {
			return s.MemberOf(ctx, tenantID, userID)
		}
	}
	return nil, nil
}
