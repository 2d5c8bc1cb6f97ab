package council

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Member is an elected member of the council, for one term.
type Member struct {
	ID, TenantID, Name string
	Role               string // Mayor, Deputy, Delegate, Councillor
	Rank               int    // a deputy's order (1er adjoint…)
	Delegation         string // what a deputy or delegate is in charge of
	Group              string // political group
	TermStart, TermEnd string // calendar dates; TermEnd "" while in office
}

// InOffice reports whether the member sits on day (YYYY-MM-DD).
func (m *Member) InOffice(day string) bool {
	return m.TermStart <= day && (m.TermEnd == "" || m.TermEnd >= day)
}

func (m *Member) validate() error {
	errs := map[string]string{}
	m.Name, m.Delegation, m.Group = strings.TrimSpace(m.Name), strings.TrimSpace(m.Delegation), strings.TrimSpace(m.Group)
	publishing.CheckText(errs, "name", m.Name, 2, 120, "Indiquez le nom de l'élu.", "Le nom dépasse 120 caractères.")
	publishing.CheckText(errs, "delegation", m.Delegation, 0, 200, "", "La délégation dépasse 200 caractères.")
	publishing.CheckText(errs, "group", m.Group, 0, 120, "", "Le groupe dépasse 120 caractères.")
	if !slices.Contains(MemberRoles, m.Role) {
		errs["role"] = "Choisissez une fonction."
	}
	if m.Rank < 0 || m.Rank > 30 {
		errs["rank"] = "Le rang va de 0 à 30."
	}
	if _, err := ParseDate(m.TermStart); err != nil {
		errs["term_start"] = "Indiquez la date de début du mandat."
	}
	if m.TermEnd != "" {
		if _, err := ParseDate(m.TermEnd); err != nil || m.TermEnd < m.TermStart {
			errs["term_end"] = "La fin du mandat est une date après son début."
		}
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

const memberColumns = `id, tenant_id, name, role, rank, delegation, political_group, term_start, term_end`

func scanMember(row interface{ Scan(...any) error }) (*Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.TenantID, &m.Name, &m.Role, &m.Rank, &m.Delegation, &m.Group, &m.TermStart, &m.TermEnd)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &m, wrap("member", err)
}

// SaveMember creates (empty ID) or updates a member.
func (s *Store) SaveMember(ctx context.Context, m *Member) error {
	if err := m.validate(); err != nil {
		return err
	}
	defer s.Changed(ctx, m.TenantID) // the council's page lists them
	if m.ID == "" {
		m.ID = uuid.NewString()
		_, err := s.DB().Exec(ctx, `INSERT INTO council_members (`+memberColumns+`, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.TenantID, m.Name, m.Role, m.Rank, m.Delegation, m.Group, m.TermStart, m.TermEnd, s.Stamp())
		return wrap("add member", err)
	}
	n, err := db.Affected(ctx, s.DB(), `UPDATE council_members SET name = ?, role = ?, rank = ?, delegation = ?, political_group = ?,
		term_start = ?, term_end = ? WHERE tenant_id = ? AND id = ?`, m.Name, m.Role, m.Rank, m.Delegation, m.Group,
		m.TermStart, m.TermEnd, m.TenantID, m.ID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return wrap("save member", err)
}

// Member returns one member of the collectivité.
func (s *Store) Member(ctx context.Context, tenantID, id string) (*Member, error) {
	return scanMember(s.DB().QueryRow(ctx, `SELECT `+memberColumns+` FROM council_members WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Members returns every member, past ones included, in the table's order.
func (s *Store) Members(ctx context.Context, tenantID string) ([]*Member, error) {
	var out []*Member
	err := db.Each(ctx, s.DB(), `SELECT `+memberColumns+` FROM council_members WHERE tenant_id = ?`, func(r db.Row) error {
		m, err := scanMember(r)
		out = append(out, m)
		return err
	}, tenantID)
	sortMembers(out)
	return out, wrap("members", err)
}

// MembersOn returns the members in office on day, in the table's order.
func (s *Store) MembersOn(ctx context.Context, tenantID, day string) ([]*Member, error) {
	all, err := s.Members(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(m *Member) bool { return !m.InOffice(day) }), nil
}

// sortMembers orders the table: the mayor, deputies by rank, delegates,
// then councillors by name.
func sortMembers(ms []*Member) {
	slices.SortStableFunc(ms, func(a, b *Member) int {
		if ra, rb := slices.Index(MemberRoles, a.Role), slices.Index(MemberRoles, b.Role); ra != rb {
			return ra - rb
		}
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		return strings.Compare(publishing.Slugify(a.Name), publishing.Slugify(b.Name))
	})
}
