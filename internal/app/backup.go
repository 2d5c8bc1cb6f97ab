package app

import (
	"context"

	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/invalidate"
)

// Backups returns what a backup reads and a restore writes: the database,
// the file store and which files each collectivité owns.
func (a *App) Backups() backup.Source {
	return backup.Source{DB: a.DB, Files: a.FileStore, Owners: a.FileOwners()}
}

// Restore writes the collectivités of the archive at path (see
// backup.Restore), then tells every node's caches that they changed whole.
func (a *App) Restore(ctx context.Context, path string, replace bool, progress backup.Progress) (*backup.Manifest, error) {
	m, err := backup.Restore(ctx, a.Backups(), path, backup.Options{Replace: replace, Jobs: a.Jobs.InsertParamsTx, Progress: progress})
	if m != nil {
		for _, t := range m.Tenants {
			for _, k := range invalidate.Kinds {
				a.Changes.Changed(ctx, invalidate.Change{Kind: k, TenantID: t.ID})
			}
		}
	}
	return m, err
}
