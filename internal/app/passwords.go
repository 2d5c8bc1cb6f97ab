package app

import "context"

// siteWords gives the words of a collectivité that its accounts'
// passwords must not be built on: its name and its short name.
func (a *App) siteWords(ctx context.Context, tenantID string) []string {
	t, err := a.Tenants.Get(ctx, tenantID)
	if err != nil {
		// The check still runs on the person's words and the service's.
		return nil
	}
	return []string{t.Name, t.Slug}
}
