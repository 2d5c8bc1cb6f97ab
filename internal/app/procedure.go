package app

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"guichet/internal/capability/procedure"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel/files"
)

// Periodic work of the procedures domain.
const (
	procedureSilenceEvery   = 15 * time.Minute
	procedureRetentionEvery = 6 * time.Hour
)

// procedureStore returns the procedures store, with uploads kept in the
// data folder's "fichiers" sub-folder, outside anything served.
func (a *App) procedureStore() (*procedure.Store, error) {
	storage, err := files.NewLocal(filepath.Join(a.Config.DataDir, "fichiers"))
	if err != nil {
		return nil, err
	}
	store := procedure.NewStore(a.DB, storage)
	store.Now = a.Now
	return store, nil
}

// buildProcedures wires the procedures domain: its store, emails,
// periodic jobs (silence, retention), back-office sections and pages.
func (a *App) buildProcedures() (*procedureweb.Module, error) {
	store, err := a.procedureStore()
	if err != nil {
		return nil, err
	}
	a.Procedures = store
	a.Accounts.RegisterExporter("procedures", store.Export)
	a.Accounts.RegisterEraser(store.Eraser())
	if err := a.addPrivacy(store.Processing(), store.RetentionRules()); err != nil {
		return nil, err
	}
	m := procedureweb.New(store, a.Staff, a.Mail)
	m.Tenants = a.Tenants
	if _, port, err := net.SplitHostPort(a.Config.Addr); err == nil {
		m.Port = port
	}
	if err := a.Mail.Templates().Add("procedure", m.Assets()); err != nil {
		return nil, err
	}
	if err := a.Jobs.Periodic("procedure-silence", procedureSilenceEvery, m.RunSilence); err != nil {
		return nil, err
	}
	if err := a.Jobs.Periodic("procedure-retention", procedureRetentionEvery, m.RunRetention); err != nil {
		return nil, err
	}
	a.Backoffice.AddSection(staffweb.Section{Key: "procedure.section.inbox", DescKey: "procedure.section.inbox_desc",
		Path: procedureweb.InboxPath, Roles: []account.Role{account.RoleAgent}, Order: 100})
	a.Backoffice.AddSection(staffweb.Section{Key: "procedure.section.admin", DescKey: "procedure.section.admin_desc",
		Path: procedureweb.AdminPath, Roles: []account.Role{account.RoleAdmin}, Order: 110})
	return m, nil
}

// GenerateCases files n made-up cases in the published procedure slug of
// a collectivité (see "guichet seed cases").
func (a *App) GenerateCases(ctx context.Context, tenantID, slug string, n int, progress func(int)) error {
	store, err := a.procedureStore()
	if err != nil {
		return err
	}
	p, err := store.ProcedureBySlug(ctx, tenantID, slug)
	if err != nil {
		return err
	}
	if p.Version == 0 {
		return fmt.Errorf("procedure %s was never published", slug)
	}
	return store.Generate(ctx, p, n, progress)
}
