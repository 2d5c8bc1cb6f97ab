// Package participationweb serves the participation: the spaces of
// discussion and their threads, debates with their arguments for and
// against side by side, consultations and polls with their results once
// closed, the charter, reports and appeals, and the moderators' queue
// and settings.
package participationweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages static
var assets embed.FS

// The participation's addresses.
const (
	HomePath        = participation.BasePath
	CharterPath     = participation.BasePath + "/charte"
	DebatesPath     = participation.BasePath + "/debats"
	PollsPath       = participation.BasePath + "/consultations"
	QueuePath       = "/gestion/participation"
	SpacesAdminPath = "/gestion/participation/espaces"
	PollsAdminPath  = "/gestion/participation/consultations"
)

// Abuse limits. The spam screen holds what slips through them.
var (
	// MessageLimit bounds the messages a resident writes (threads,
	// replies, arguments): each one reaches the followers.
	MessageLimit = abuse.Action{Name: "participation_message", Rules: []abuse.Rule{
		{Kind: abuse.ByAccount, Max: 30, Window: time.Hour},
		{Kind: abuse.ByAddress, Max: 60, Window: time.Hour},
		{Kind: abuse.ByTenant, Max: 3000, Window: time.Hour},
	}}
	// ReactionLimit bounds reactions, supports and follows.
	ReactionLimit = abuse.Action{Name: "participation_reaction", Rules: []abuse.Rule{
		{Kind: abuse.ByAccount, Max: 300, Window: time.Hour},
		{Kind: abuse.ByAddress, Max: 600, Window: time.Hour},
	}}
	// ReportLimit bounds the reports and appeals a resident sends to the
	// moderators.
	ReportLimit = abuse.Action{Name: "participation_report", Rules: []abuse.Rule{
		{Kind: abuse.ByAccount, Max: 20, Window: time.Hour},
		{Kind: abuse.ByAddress, Max: 40, Window: time.Hour},
	}}
	// BallotLimit bounds the ballots sent, a person's second one being
	// refused anyway.
	BallotLimit = abuse.Action{Name: "participation_ballot", Rules: []abuse.Rule{
		{Kind: abuse.ByAccount, Max: 30, Window: time.Hour},
		{Kind: abuse.ByAddress, Max: 200, Window: time.Hour},
	}}
)

// Module is the participation's web module.
type Module struct {
	k     *kernel.Kernel
	s     *web.Server
	store *participation.Store
}

// Name implements web.Module.
func (m *Module) Name() string { return "participation" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the participation, each part in its file.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "participation.nav", Path: HomePath, Order: 48})
	s.AddSitemap(m.sitemap)
	s.Site("GET "+HomePath, m.home)
	m.discussionRoutes(s)
	m.debateRoutes(s)
	m.pollRoutes(s)
	m.moderationRoutes(s)
	m.notificationRoutes(s)
	m.privateRoutes(s)
}

// sitemap lists the home page, the charter, the spaces and their
// threads, and the polls.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	paths := []string{HomePath, CharterPath, DebatesPath, PollsPath}
	spaces, err := m.store.Spaces(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, sp := range spaces {
		paths = append(paths, sp.Path())
	}
	threads, err := m.store.Threads(ctx, t.ID, "", "", 200)
	if err != nil {
		return nil, err
	}
	for _, th := range threads {
		paths = append(paths, th.Path())
	}
	polls, err := m.pollPaths(ctx, t)
	if err != nil {
		return nil, err
	}
	return append(paths, polls...), nil
}

// author is the signed-in resident as the screen judges them: their
// account's age, and whether they write for the mairie.
func (m *Module) author(r *http.Request) (participation.Author, error) {
	id := account.FromContext(r.Context())
	u, err := m.k.Accounts.Get(r.Context(), id.TenantID, id.UserID)
	if err != nil {
		return participation.Author{}, err
	}
	return participation.Author{ID: id.UserID, Name: u.Name, Since: u.CreatedAt, Staff: id.IsStaff()}, nil
}

// now is the request's time in the collectivité's zone.
func (m *Module) now(r *http.Request) time.Time {
	return m.k.Now().In(tenant.FromContext(r.Context()).Location())
}
