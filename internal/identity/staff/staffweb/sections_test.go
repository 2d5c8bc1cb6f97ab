package staffweb

import (
	"slices"
	"testing"

	"guichet/internal/identity/account"
)

// A section narrowed to a service opens to its agents, to administrators
// and to its other roles, and not to the agents of other services.
func TestSectionsNarrowedToAService(t *testing.T) {
	m := &Module{}
	m.AddSection(Section{Key: "etat-civil", Roles: []account.Role{account.RoleAgent}, Order: 1},
		Section{Key: "vie-locale", Roles: []account.Role{account.RoleEditor, account.RoleAgent}, Services: []string{"vie-locale"}, Order: 2})
	for _, c := range []struct {
		name string
		id   *account.Identity
		want []string
	}{
		{"agent of the service", &account.Identity{Roles: []account.Role{account.RoleAgent}, Services: []string{"vie-locale"}}, []string{"etat-civil", "vie-locale"}},
		{"agent of another service", &account.Identity{Roles: []account.Role{account.RoleAgent}, Services: []string{"etat-civil"}}, []string{"etat-civil"}},
		{"editor", &account.Identity{Roles: []account.Role{account.RoleEditor}}, []string{"vie-locale"}},
		{"administrator", &account.Identity{Roles: []account.Role{account.RoleAdmin}}, []string{"etat-civil", "vie-locale"}},
		{"moderator", &account.Identity{Roles: []account.Role{account.RoleModerator}}, nil},
	} {
		var got []string
		for _, s := range m.SectionsFor(c.id) {
			got = append(got, s.Key)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s sees %v, want %v", c.name, got, c.want)
		}
	}
}
