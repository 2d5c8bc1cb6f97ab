package attractivenessweb

import (
	"context"
	"slices"
	"time"

	"guichet/internal/capability/attractiveness"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the pages for entrepreneurs and visitors, installed into
// the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *attractiveness.Store
	Module *Module
}

// NewCapability returns the capability, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the capability as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "attractiveness" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return attractiveness.Migrations }

// Install builds the store and registers the export and erasure of a
// premise's contact, the register line and retention rule, the back
// office's section and the home page's practical links.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := attractiveness.NewStore(k.DB)
	s.Now = k.Now
	k.Accounts.RegisterExporter("premise_contacts", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "attractiveness.section", DescKey: "attractiveness.section_desc", Path: AdminPath,
		Roles: []account.Role{account.RoleAgent}, Services: []string{"vie-locale"}, Order: 160})
	k.Home.AddPracticalLink(web.NavItem{Key: "attractiveness.practical.business", Path: BusinessPath},
		web.NavItem{Key: "attractiveness.practical.visit", Path: VisitPath})
	c.Store = s
	c.Module = New(s, Readers{
		Entries: func(ctx context.Context, tenantID string, categories ...string) ([]kernel.DirectoryEntry, error) {
			return k.DirectoryEntries(ctx, tenantID, kernel.DirectoryQuery{Categories: categories})
		},
		Events: func(ctx context.Context, tenantID string, now time.Time) ([]kernel.Publication, error) {
			return upcomingEvents(ctx, k, tenantID, now)
		},
	})
	return c.Module, nil
}

// TouristCategories are the events' categories a visitor is shown.
var TouristCategories = []string{"culture", "marche", "sport"}

// UpcomingEvents is how many coming events /visiter shows at most.
const UpcomingEvents = 8

// upcomingEvents asks the agenda (the publication source of kind "event")
// for what it published in the last year and keeps the tourist events
// that have not ended, soonest first.
func upcomingEvents(ctx context.Context, k *kernel.Kernel, tenantID string, now time.Time) ([]kernel.Publication, error) {
	src, ok := k.PublicationsOf("event")
	if !ok || src.Published == nil {
		return nil, nil
	}
	list, err := src.Published(ctx, tenantID, now.AddDate(-1, 0, 0), now, 500)
	if err != nil {
		return nil, err
	}
	var out []kernel.Publication
	for _, e := range list {
		end := e.Ends
		if end.IsZero() {
			end = e.Starts
		}
		if slices.Contains(TouristCategories, e.Category) && !end.Before(now) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b kernel.Publication) int { return a.Starts.Compare(b.Starts) })
	if len(out) > UpcomingEvents {
		out = out[:UpcomingEvents]
	}
	return out, nil
}
